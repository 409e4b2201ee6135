"""Contract of ANY /echo/{path}."""

from __future__ import annotations

import httpx
import pytest


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_echo_answers_every_method(client: httpx.Client, method: str) -> None:
    response = client.request(method, "/echo/hooks/a?x=1&y=two")
    assert response.status_code == 200
    body = response.json()
    assert body["method"] == method
    assert body["path"] == "/hooks/a"
    assert body["query"] == {"x": "1", "y": "two"}
    assert body["received_at"].endswith("Z")


def test_json_body_is_parsed(client: httpx.Client) -> None:
    assert client.post("/echo/x", json={"a": [1, 2]}).json()["body"] == {"a": [1, 2]}


def test_text_body_is_text(client: httpx.Client) -> None:
    body = client.post("/echo/x", content=b"plain \xff", headers={"Content-Type": "text/plain"}).json()["body"]
    assert body == "plain \ufffd"


def test_broken_json_comes_back_as_text(client: httpx.Client) -> None:
    response = client.post("/echo/x", content=b"{nope", headers={"Content-Type": "application/json"})
    assert response.json()["body"] == "{nope"


def test_secret_headers_are_masked(client: httpx.Client) -> None:
    headers = {"Authorization": "Bearer s3cr3t", "X-Api-Key": "k3y", "Cookie": "sid=abc", "X-Trace": "visible"}
    echoed = client.get("/echo/x", headers=headers).json()["headers"]
    assert echoed["authorization"] == "Bearer ********"
    assert echoed["x-api-key"] == "********"
    assert echoed["cookie"] == "********"
    assert echoed["x-trace"] == "visible"
    assert "s3cr3t" not in str(echoed) and "k3y" not in str(echoed)


def test_bare_echo_path(client: httpx.Client) -> None:
    assert client.post("/echo").json()["path"] == "/"


def test_unknown_path_is_404_json(client: httpx.Client) -> None:
    response = client.get("/nothing/here")
    assert response.status_code == 404
    assert response.json()["path"] == "/nothing/here"
