"""No stampede: many concurrent callers (threads, asyncio tasks, several loops) cause one token request."""
from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.auth import AuthError
from tests.app.auth.conftest import ims_auth, resolver_for

CALLERS = 50


def test_50_threads_one_request(engine, store, secret_ref, sandbox):
    sandbox.set_fault("token", latency_ms=200)  # keep the fetch in flight while the others arrive
    auth, resolver = ims_auth(secret_ref), resolver_for(store, sandbox.base_url)
    barrier = threading.Barrier(CALLERS)

    def call(_: int) -> str:
        barrier.wait()
        return engine.credentials(auth, resolver)[0]["Authorization"]

    with ThreadPoolExecutor(CALLERS) as pool:
        tokens = set(pool.map(call, range(CALLERS)))
    assert len(tokens) == 1
    assert sandbox.counters()["token"] == 1


def test_50_tasks_one_request(engine, store, secret_ref, sandbox):
    sandbox.set_fault("token", latency_ms=200)
    auth, resolver = ims_auth(secret_ref), resolver_for(store, sandbox.base_url)

    async def main() -> set[str]:
        results = await asyncio.gather(*(engine.acredentials(auth, resolver) for _ in range(CALLERS)))
        return {r[0]["Authorization"] for r in results}

    assert len(asyncio.run(main())) == 1
    assert sandbox.counters()["token"] == 1


def test_threads_and_several_loops_share_one_fetch(engine, store, secret_ref, sandbox):
    sandbox.set_fault("token", latency_ms=300)
    auth, resolver = ims_auth(secret_ref), resolver_for(store, sandbox.base_url)
    barrier = threading.Barrier(10)

    async def tasks() -> set[str]:
        results = await asyncio.gather(*(engine.acredentials(auth, resolver) for _ in range(5)))
        return {r[0]["Authorization"] for r in results}

    def worker(i: int) -> set[str]:
        barrier.wait()
        if i % 2:
            return asyncio.run(tasks())
        return {engine.credentials(auth, resolver)[0]["Authorization"]}

    with ThreadPoolExecutor(10) as pool:
        tokens = set().union(*pool.map(worker, range(10)))
    assert len(tokens) == 1
    assert sandbox.counters()["token"] == 1


def test_concurrent_failures_share_one_request_and_the_reason(engine, store, sandbox):
    sandbox.set_fault("token", latency_ms=200)
    wrong = store.put("wrong", hint="client_secret")
    auth, resolver = ims_auth(wrong), resolver_for(store, sandbox.base_url)
    # all callers arrive together: on a loaded machine a thread started late came after the failed
    # fetch had ended, and (failures are not cached) rightly made a second request
    barrier = threading.Barrier(20)

    def call(_: int) -> str:
        barrier.wait()
        try:
            engine.credentials(auth, resolver)
        except AuthError as exc:
            return exc.reason
        return "ok"

    with ThreadPoolExecutor(20) as pool:
        reasons = set(pool.map(call, range(20)))
    assert len(reasons) == 1 and "invalid client_secret parameter" in reasons.pop()
    assert sandbox.counters()["token"] == 1
    # failures are not cached: the next caller tries again
    with pytest.raises(AuthError):
        engine.credentials(auth, resolver)
    assert sandbox.counters()["token"] == 2


def test_a_cancelled_fetcher_hands_over_to_a_waiter(engine, store, secret_ref, sandbox):
    sandbox.set_fault("token", latency_ms=300, times=1)
    auth, resolver = ims_auth(secret_ref), resolver_for(store, sandbox.base_url)

    async def main() -> str:
        leader = asyncio.create_task(engine.acredentials(auth, resolver))
        await asyncio.sleep(0.05)
        waiter = asyncio.create_task(engine.acredentials(auth, resolver))
        await asyncio.sleep(0.05)
        leader.cancel()
        with pytest.raises(asyncio.CancelledError):
            await leader
        return (await waiter)[0]["Authorization"]

    assert asyncio.run(main()).startswith("Bearer ")
    assert engine.credentials(auth, resolver)[0]["Authorization"].startswith("Bearer ")
