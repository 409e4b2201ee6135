"""A hop's deadline (app.calls.deadlines): no timer while the deadline is far, its timer set by the watchdog
at the very deadline once near, a TimeoutError there as asyncio.timeout gives; a cancel from outside stays one."""
from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from app.calls import deadlines
from app.calls.aiosender import AioSender
from app.calls.deadlines import Deadlines
from tests.helpers.servers import Server, trickle


def test_a_hop_gets_a_timer_only_once_its_deadline_is_near(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deadlines, "ARM_AHEAD", 0.1)

    async def go() -> None:
        loop = asyncio.get_running_loop()
        watch = Deadlines(loop)
        quick = asyncio.timeout(None)
        async with quick:  # a hop that ends long before its deadline never makes a timer
            watch.enter(quick, 30.0)
            watch.leave(quick)
        assert quick.when() is None and not quick.expired()
        slow = asyncio.timeout(None)
        with pytest.raises(TimeoutError):
            async with slow:
                before = loop.time()
                watch.enter(slow, 0.3)
                after = loop.time()
                assert slow.when() is None  # far: left to the watchdog
                try:
                    await asyncio.sleep(30)
                finally:
                    watch.leave(slow)
        when = slow.when()
        assert slow.expired() and when is not None and before + 0.3 <= when <= after + 0.3  # the very deadline
        near = asyncio.timeout(None)
        with pytest.raises(TimeoutError):
            async with near:
                watch.enter(near, 0.05)
                assert near.when() is not None  # near already: its timer at once
                await asyncio.sleep(30)
        watch.close()
    asyncio.run(go())


def test_a_cancel_from_outside_stays_a_cancel() -> None:
    async def go() -> None:
        watch = Deadlines(asyncio.get_running_loop())
        entered = asyncio.Event()

        async def hop() -> None:
            timeout = asyncio.timeout(None)
            async with timeout:
                watch.enter(timeout, 30.0)
                entered.set()
                try:
                    await asyncio.sleep(30)
                finally:
                    watch.leave(timeout)
        task = asyncio.ensure_future(hop())
        await entered.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        watch.close()
    asyncio.run(go())


def test_a_sender_hop_past_the_watchdogs_reach_ends_at_its_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Headers at once, then a byte every 0.2 s (22 s in all): a 0.6 s deadline, armed by the watchdog
    (0.1 s ahead) rather than on entry, ends the attempt there."""
    monkeypatch.setattr(deadlines, "ARM_AHEAD", 0.1)

    async def call(url: str) -> None:
        async with AioSender(1) as sender:
            target = httpx.URL(url)
            await sender.exchange("GET", target, url, [("Host", target.netloc.decode())], None, time.monotonic() + 0.6)
    with Server(trickle(b'{"slow": "' + b"x" * 100 + b'"}', 0.2)) as server:
        with pytest.raises(TimeoutError):
            asyncio.run(call(server.url + "/slow"))
        assert len(server.requests) == 1
