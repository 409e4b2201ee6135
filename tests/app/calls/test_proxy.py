"""Every path (one call, a batch on each transport, the token call) uses the same proxies from the
environment and the same TLS settings: a real forwarding proxy and an HTTPS server on loopback."""
from __future__ import annotations

import asyncio
import time
from typing import Any, Iterator

import httpx
import pytest

from app.auth import AuthEngine
from app.calls import example_values, send
from app.calls.aiosender import AioSender
from app.calls.batch import BatchItem, run_batch
from app.model import Action, CustomAuth, CustomBody, Endpoint, infer_payload
from app.net.config import ProxyRoutes
from app.resolve import Resolver
from tests.helpers.servers import CERT, Server, answer, echo, forward

PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
              "NO_PROXY")
KINDS = ["single", "aiohttp", "httpx"]


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    with Server(forward) as server:
        monkeypatch.setenv("HTTP_PROXY", server.url)
        yield server


def _call(kind: str, action: Action, engine: Any, resolver: Resolver, values: dict[str, Any]) -> list[Any]:
    if kind == "single":
        return [send(action, values, engine=engine, resolver=resolver, timeout=10)]
    results: list[Any] = []
    run_batch(action, [BatchItem(i, values) for i in range(3)], engine=engine, resolver=resolver, timeout=10,
              transport=kind, on_result=lambda item, result: results.append(result))
    return results


@pytest.mark.parametrize("kind", KINDS)
def test_every_path_goes_through_the_environments_proxy(kind, proxy, services, resolver, sandbox) -> None:
    action = services.workspace.load("writeJourneyEvent")  # a token call, then the inlet
    results = _call(kind, action, AuthEngine(services.secrets), resolver, example_values(action))
    assert results and all(r.ok for r in results), [r.summary() for r in results]
    targets = [seen.target for seen in proxy.requests]
    assert [t for t in targets if "/ims/token/" in t] == [f"{sandbox.base_url}/ims/token/v3"]
    assert len([t for t in targets if "/collection/" in t]) == len(results)
    assert all(t.startswith(sandbox.base_url) for t in targets)  # absolute-form: a proxy request


@pytest.mark.parametrize("kind", KINDS)
def test_no_proxy_is_honoured_by_every_path(kind, proxy, services, resolver, monkeypatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    action = services.workspace.load("writeJourneyEvent")
    results = _call(kind, action, AuthEngine(services.secrets), resolver, example_values(action))
    assert all(r.ok for r in results) and proxy.requests == []


@pytest.mark.parametrize("kind", KINDS)
def test_every_path_trusts_the_same_certificates(kind, secrets, monkeypatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(CERT))  # the test certificate becomes a trusted one
    with Server(answer(200, {"access_token": "tls-token"}), tls=True) as server:
        auth = CustomAuth(endpoint=server.url + "/token", method="POST", token_in_response="json://access_token",
                          body=CustomBody(body_type="form", body_params={"grant_type": "client_credentials"}))
        action = Action(name="hook", auth=auth, endpoint=Endpoint(url=server.url + "/hook", method="POST"),
                        request=infer_payload('{"a": 1}'))
        results = _call(kind, action, AuthEngine(secrets), Resolver(secrets), {})
    assert results and all(r.ok for r in results), [r.summary() for r in results]
    assert server.requests[0].target == "/token" and len(server.requests) == 1 + len(results)


def test_one_sender_routes_each_of_its_targets_every_time(proxy, monkeypatch) -> None:
    """A journey's calls alternate between its actions' URLs: each keeps its own route (the sender
    keeps the route of every target it has seen, not only the last one's)."""
    monkeypatch.setenv("NO_PROXY", "localhost")
    with Server(echo) as server:
        port = server.url.rsplit(":", 1)[1]
        proxied, direct = httpx.URL(f"{server.url}/via"), httpx.URL(f"http://localhost:{port}/direct")

        routed: list[httpx.URL] = []

        class Routes(ProxyRoutes):  # the real routes, each lookup seen
            def route(self, url: httpx.URL) -> Any:
                routed.append(url)
                return super().route(url)

        async def run() -> list[int]:
            async with AioSender(2) as sender:
                sender._routes = Routes()
                return [(await sender.exchange("GET", t, str(t), [("Host", t.netloc.decode())], None,
                                               time.monotonic() + 10)).status
                        for t in (proxied, direct, proxied, direct, proxied)]

        assert asyncio.run(run()) == [200] * 5
    assert routed == [proxied, direct]  # worked out once per target, though they took turns
    assert [seen.target for seen in proxy.requests] == [f"{server.url}/via"] * 3
    assert [seen.target for seen in server.requests if seen.target == "/direct"] == ["/direct"] * 2
