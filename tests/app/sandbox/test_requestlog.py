"""The request log and counters, through the Python API and /_sandbox/..."""

from __future__ import annotations

import json

import httpx

from app.sandbox import Sandbox, SandboxConfig
from tests.helpers.http import client as http_client

from .conftest import CE_HEADERS, event


def test_entries_record_the_request(sb: Sandbox, client: httpx.Client) -> None:
    client.post("/echo/a?q=1", json={"x": 1}, headers={"X-Trace": "t"})
    (entry,) = sb.requests()
    assert entry["method"] == "POST"
    assert entry["path"] == "/echo/a"
    assert entry["query"] == {"q": "1"}
    assert entry["headers"]["x-trace"] == "t"
    assert json.loads(entry["body"]) == {"x": 1}
    assert entry["status"] == 200
    assert entry["endpoint"] == "echo"
    assert entry["duration_ms"] >= 0
    assert entry["time"].endswith("Z")
    assert isinstance(entry["id"], int)


def test_control_api_lists_filters_and_clears(sb: Sandbox, client: httpx.Client) -> None:
    client.post("/echo/a")
    client.post("/api/custom-events", json=[event()], headers=CE_HEADERS)
    client.post("/api/custom-events/", json=[event()], headers=CE_HEADERS)
    listed = client.get("/_sandbox/requests").json()
    assert [e["endpoint"] for e in listed] == ["echo", "custom_events", "custom_events"]
    filtered = client.get("/_sandbox/requests", params={"path": "/api/custom-events"}).json()
    assert len(filtered) == 2
    after = client.get("/_sandbox/requests", params={"since": listed[0]["id"]}).json()
    assert [e["id"] for e in after] == [e["id"] for e in listed[1:]]
    by_time = client.get("/_sandbox/requests", params={"since": listed[0]["time"]}).json()
    assert len(by_time) == 3
    assert client.get("/_sandbox/counters").json() == {"token": 0, "inlet": 0, "custom_events": 2, "echo": 1}
    assert client.delete("/_sandbox/requests").json()["cleared"] == 3
    assert client.get("/_sandbox/requests").json() == []
    assert sb.counters()["custom_events"] == 0


def test_bad_since_is_400(client: httpx.Client) -> None:
    assert client.get("/_sandbox/requests", params={"since": "soon"}).status_code == 400


def test_control_calls_are_not_logged(sb: Sandbox, client: httpx.Client) -> None:
    client.get("/_sandbox/health")
    client.get("/_sandbox/counters")
    assert sb.requests() == []


def test_unknown_paths_are_logged_not_counted(sb: Sandbox, client: httpx.Client) -> None:
    client.get("/typo")
    assert sb.requests()[0]["endpoint"] == "other"
    assert sum(sb.counters().values()) == 0


def test_secrets_are_never_logged(sb: Sandbox, client: httpx.Client) -> None:
    client.post("/ims/token/v3?client_secret=q-secret-1",
                data={"grant_type": "client_credentials", "client_id": "1234", "client_secret": "5678"})
    client.post("/echo/x", json={"user": {"password": "p-secret-2"}, "api_key": "k-secret-3", "ok": "shown"},
                headers={"Authorization": "Bearer h-secret-4", "X-Api-Key": "h-secret-5", "Cookie": "c-secret-6"})
    client.post("/echo/x", content=b"token=f-secret-7&name=shown",
                headers={"Content-Type": "application/x-www-form-urlencoded"})
    dump = json.dumps(sb.requests()) + client.get("/_sandbox/requests").text
    for secret in ("q-secret-1", "5678", "p-secret-2", "k-secret-3", "h-secret-4", "h-secret-5", "c-secret-6", "f-secret-7"):
        assert secret not in dump
    assert "********" in dump and "shown" in dump


def test_large_bodies_are_truncated_with_a_marker(sb: Sandbox, client: httpx.Client) -> None:
    client.post("/echo/big", content=b"z" * 200_000)
    (entry,) = sb.requests()
    assert entry["body_size"] == 200_000
    assert entry["body"].startswith("z" * 1000)
    assert entry["body"].endswith(f"[truncated {200_000 - 64 * 1024} bytes]")


def test_ring_buffer_keeps_the_newest() -> None:
    with Sandbox(SandboxConfig(log_size=5)) as small, http_client(base_url=small.base_url) as http:
        for i in range(8):
            http.get(f"/echo/{i}")
        assert [e["path"] for e in small.requests()] == [f"/echo/{i}" for i in range(3, 8)]
        assert small.counters()["echo"] == 8


def test_health(client: httpx.Client) -> None:
    assert client.get("/_sandbox/health").json() == {"status": "ok"}


def test_registered_secret_values_are_masked_under_any_name(sb: Sandbox, client: httpx.Client) -> None:
    client.post("/echo/c0de-s3cret?code=c0de-s3cret&auth=Xc0de-s3cretX", content=b"v=c0de-s3cret",
                headers={"X-Trace": "c0de-s3cret", "Content-Type": "text/plain"})
    assert "c0de-s3cret" in json.dumps(sb.requests())  # innocent names: the name rule lets them through
    sb.mask_values(["c0de-s3cret"])  # registered after the request: still hidden when read
    (entry,) = client.get("/_sandbox/requests").json()
    assert "c0de-s3cret" not in json.dumps(entry)
    assert entry["query"] == {"code": "********", "auth": "X********X"}
    assert entry["path"] == "/echo/********" and entry["headers"]["x-trace"] == "********"
    assert entry["body"] == "v=********"
