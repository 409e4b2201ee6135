"""Fault injection: latency, statuses (always, N times, at a rate), drop, hang, expiry."""

from __future__ import annotations

import time

import httpx
import pytest

from app.sandbox import Sandbox, SandboxError

from .conftest import CE_HEADERS, event


def statuses(client: httpx.Client, n: int, path: str = "/echo/x") -> list[int]:
    return [client.get(path).status_code for _ in range(n)]


def test_status_for_the_next_n_calls(sb: Sandbox, client: httpx.Client) -> None:
    sb.set_fault("echo", status=503, times=2)
    assert statuses(client, 4) == [503, 503, 200, 200]


def test_status_always(sb: Sandbox, client: httpx.Client) -> None:
    sb.set_fault("echo", status=500)
    assert statuses(client, 3) == [500, 500, 500]
    sb.clear_faults()
    assert statuses(client, 1) == [200]


def test_429_with_retry_after(sb: Sandbox, client: httpx.Client) -> None:
    sb.set_fault("custom_events", status=429, retry_after=7, times=1)
    response = client.post("/api/custom-events", json=[event()], headers=CE_HEADERS)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert response.json()["error_code"] == 42900
    assert client.post("/api/custom-events", json=[event()], headers=CE_HEADERS).status_code == 200


def test_fault_only_hits_its_endpoint(sb: Sandbox, client: httpx.Client) -> None:
    sb.set_fault("inlet", status=500)
    assert statuses(client, 2) == [200, 200]


def test_rate_is_deterministic_for_a_seed(sb: Sandbox, client: httpx.Client) -> None:
    runs = []
    for _ in range(2):
        sb.set_fault("echo", status=500, rate=0.5, seed=42)
        runs.append(statuses(client, 30))
    assert runs[0] == runs[1]
    assert 5 < runs[0].count(500) < 25
    sb.set_fault("echo", status=500, rate=0.5, seed=43)
    assert statuses(client, 30) != runs[0]


def test_latency(sb: Sandbox, client: httpx.Client) -> None:
    sb.set_fault("echo", latency_ms=150, times=1)
    started = time.perf_counter()
    response = client.post("/echo/x", json={"kept": True})
    assert time.perf_counter() - started >= 0.15
    assert response.json()["body"] == {"kept": True}  # the delayed request is still served whole
    assert sb.requests()[-1]["fault"] == "latency"


def test_drop_is_a_connection_error_not_a_500(sb: Sandbox, client: httpx.Client, caplog: pytest.LogCaptureFixture) -> None:
    sb.set_fault("echo", drop=True, times=1)
    # A closed connection reads as "disconnected" (FIN) or as a reset (RST, when the request's bytes
    # were still unread, as happens under load): either is a connection error, never an answer.
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        client.post("/echo/x", json={"a": 1})
    assert client.get("/echo/x").status_code == 200
    assert [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")] == []


def test_hang_outlasts_the_client_timeout(sb: Sandbox, client: httpx.Client) -> None:
    sb.set_fault("inlet", hang=True, times=1)
    with pytest.raises(httpx.ReadTimeout):
        client.post("/collection/abc", json={}, timeout=0.3)
    # The sandbox notices the client left and records the request.
    deadline = time.monotonic() + 5
    while not sb.requests(path="/collection") and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sb.requests(path="/collection")[0]["fault"] == "hang"


def test_control_endpoint_sets_and_clears_faults(client: httpx.Client) -> None:
    response = client.post("/_sandbox/faults", json={"endpoint": "echo", "status": 503, "times": 1, "seed": 3})
    assert response.json()["ok"] is True
    assert client.get("/_sandbox/faults").json()[0]["status"] == 503
    assert statuses(client, 2) == [503, 200]
    client.post("/_sandbox/faults", json={"endpoint": "echo", "status": 500})
    assert client.delete("/_sandbox/faults").json() == {"ok": True}
    assert statuses(client, 1) == [200]


@pytest.mark.parametrize("spec", [
    {"endpoint": "nowhere", "status": 500}, {"endpoint": "echo", "status": 99}, {"endpoint": "echo", "rate": 2},
    {"endpoint": "echo", "times": 0}, {"endpoint": "echo", "drop": True, "hang": True},
    {"endpoint": "echo", "latency_ms": -1}, {"endpoint": "echo", "colour": "red"}, [1, 2],
])
def test_bad_fault_specs_are_400(client: httpx.Client, spec: object) -> None:
    response = client.post("/_sandbox/faults", json=spec)
    assert response.status_code == 400
    assert response.json()["ok"] is False


def test_bad_fault_in_python_raises(sb: Sandbox) -> None:
    with pytest.raises(SandboxError):
        sb.set_fault("echo", status=1000)
