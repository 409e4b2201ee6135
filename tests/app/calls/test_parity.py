"""One call, a batch and a journey step put the same bytes on the wire for the same action and
values (request line, header names, values and order, body), directly and through an HTTP proxy
from the environment: real loopback servers that record what they receive."""
from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest

from app.auth import AuthEngine
from app.calls import send
from app.calls.aiosender import AioSender
from app.calls.batch import BatchItem, run_batch
from app.journeys.actionplan import Resolvers
from app.journeys.profiles import ProfileSource
from app.journeys.runner import JourneyRun, RunOptions
from app.model import Action, ApiKeyAuth, Endpoint, Param
from app.resolve import Resolver
from tests.app.calls.test_proxy import PROXY_VARS
from tests.app.journeys.runkit import END, EVENT, FAILED, journey, notify, rows
from tests.helpers.recorder import Raw, Recorder

PATHS = ("single", "batch", "journey")


@pytest.fixture
def origin(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    with Recorder() as server:
        yield server


def _action(services: Any, secrets: Any, url: str, content_type: bool = True) -> Action:
    """The sample's notifyWebhook (customerId Variable) with an API key, constant headers and a query."""
    sample = services.workspace.load("notifyWebhook")
    typed = [Param(name="Content-Type", value="application/json")] if content_type else []
    endpoint = Endpoint(url=url + "/echo/notify", method="POST",
                        headers=[Param(name="X-Trace", value="keep-me"), *typed],
                        query=[Param(name="plain", value="a b"), Param(name="tenant", value="t-1")])
    return sample.model_copy(update={"endpoint": endpoint, "auth": ApiKeyAuth(
        name="X-Api-Key", value=secrets.put("key-secret-1"), location="header")})


def _send(path: str, action: Action, secrets: Any, tmp_path: Path) -> None:
    engine, resolver = AuthEngine(secrets), Resolver(secrets)
    if path == "single":
        assert send(action, {"customerId": "c-7"}, engine=engine, resolver=resolver, timeout=10).ok
    elif path == "batch":
        summary = run_batch(action, [BatchItem(1, {"customerId": "c-7"})], engine=engine, resolver=resolver,
                            timeout=10)
        assert summary.ok == 1, summary.line()
    else:
        flow = journey(EVENT, notify(), END, FAILED)
        run = JourneyRun(tmp_path, flow, {action.name: action}, engine=engine, resolvers=Resolvers(resolver),
                         options=RunOptions(seed=1, concurrency=1))
        profiles = rows(tmp_path / "profiles.jsonl", [{"profileId": "p1", "event.customerId": "c-7"}])
        with ProfileSource.open(profiles, flow.entry) as source:
            assert run.run(source).outcomes == {"finished": 1}


def _each_path(services: Any, secrets: Any, server: Recorder, tmp_path: Path, content_type: bool = True) -> list[Raw]:
    action = _action(services, secrets, server.url, content_type)
    for path in PATHS:
        _send(path, action, secrets, tmp_path)
    return server.seen


def test_every_path_sends_the_same_bytes(services, secrets, origin, tmp_path) -> None:
    single, batch, step = _each_path(services, secrets, origin, tmp_path)
    assert single == batch == step
    assert single.line == "POST /echo/notify?plain=a+b&tenant=t-1 HTTP/1.1"
    assert [name for name, _ in single.headers] == ["Host", "Content-Type", "Charset", "X-Trace", "User-Agent",
                                                    "Accept", "X-Api-Key", "Content-Length"]  # no library adds one
    assert single.body.startswith(b'{"customerId":"c-7",')


def test_no_path_adds_a_header_of_its_own_where_the_action_sets_no_content_type(services, secrets, origin,
                                                                            tmp_path) -> None:
    single, batch, step = _each_path(services, secrets, origin, tmp_path, content_type=False)
    assert single == batch == step
    names = [name for name, _ in single.headers]  # the call engine's own Content-Type, where it puts it
    assert names == ["Host", "Content-Type", "Charset", "X-Trace", "User-Agent", "Accept", "X-Api-Key",
                     "Content-Length"]  # aiohttp would add another Content-Type and Accept-Encoding


def test_the_aiohttp_sender_sends_only_the_headers_it_is_given(origin) -> None:
    async def exchange() -> None:
        async with AioSender(2) as sender:
            url = origin.url + "/echo/notify"
            target = httpx.URL(url)
            host = ("Host", target.netloc.decode())
            await sender.exchange("POST", target, url, [host, ("Content-Length", "2")], b"{}", time.monotonic() + 10)
            await sender.exchange("GET", target, url, [host], None, time.monotonic() + 10)
    asyncio.run(exchange())
    # aiohttp would add Accept, Accept-Encoding, User-Agent and, to a body, Content-Type
    assert [[name for name, _ in raw.headers] for raw in origin.seen] == [["Host", "Content-Length"], ["Host"]]


def test_the_aiohttp_sender_keeps_a_host_and_a_length_other_than_its_own_as_given(origin) -> None:
    """Host and Content-Length holding what aiohttp writes are left to it; any other value goes out as given."""
    async def exchange() -> None:
        async with AioSender(2) as sender:
            url = origin.url + "/echo/notify"
            headers = [("Host", "virtual.example"), ("X-Trace", "t"), ("Content-Length", "2")]
            await sender.exchange("POST", httpx.URL(url), url, headers, b"{}", time.monotonic() + 10)
    asyncio.run(exchange())
    assert [(name, value) for name, value in origin.seen[0].headers] == \
        [("Host", "virtual.example"), ("X-Trace", "t"), ("Content-Length", "2")]


def test_every_path_sends_the_same_bytes_through_the_environments_proxy(services, secrets, origin, tmp_path,
                                                                        monkeypatch) -> None:
    with Recorder(forward=True) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        single, batch, step = _each_path(services, secrets, origin, tmp_path)
    assert single == batch == step  # what the endpoint got (the proxy forwarded it)
    assert proxy.seen[0] == proxy.seen[1] == proxy.seen[2] and len(proxy.seen) == 3
    assert proxy.seen[0].target == f"{origin.url}/echo/notify?plain=a+b&tenant=t-1"  # absolute-form: proxied
    assert [h for h in proxy.seen[0].headers if h[0].lower() != "proxy-connection"] == list(single.headers)


def test_no_proxy_hosts_go_direct_on_every_path(services, secrets, origin, tmp_path, monkeypatch) -> None:
    with Recorder(forward=True) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        single, batch, step = _each_path(services, secrets, origin, tmp_path)
    assert proxy.seen == [] and single == batch == step


def test_a_batch_of_bodies_of_several_lengths_sends_each_as_one_call_would(services, secrets, origin) -> None:
    """The batch's header tuples with their Content-Length are kept per length (app.calls.credentials.sized,
    the sender's trimmed headers by identity): lengths that come and go each get their own."""
    action = _action(services, secrets, origin.url)
    engine, resolver = AuthEngine(secrets), Resolver(secrets)
    ids = ["c-7", "c-7777777", "c-77", "c-7", "c-7777777"]
    for customer in ids:
        assert send(action, {"customerId": customer}, engine=engine, resolver=resolver, timeout=10).ok
    summary = run_batch(action, [BatchItem(n, {"customerId": c}) for n, c in enumerate(ids, 1)], engine=engine,
                        resolver=resolver, timeout=10, concurrency=1)
    assert summary.ok == len(ids), summary.line()
    singles, batch = origin.seen[:len(ids)], origin.seen[len(ids):]
    assert batch == singles
    assert [dict(raw.headers)["Content-Length"] for raw in batch] == [str(len(raw.body)) for raw in singles]
    assert len({raw.body for raw in batch}) == 3
