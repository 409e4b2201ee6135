"""Contract of POST /ims/token/v3."""

from __future__ import annotations

import httpx
import pytest

from app.sandbox import Sandbox

GOOD = {"grant_type": "client_credentials", "client_id": "1234", "client_secret": "5678",
        "scope": "openid,AdobeID,read_organizations"}


def test_form_body_issues_a_bearer_token(client: httpx.Client) -> None:
    response = client.post("/ims/token/v3", data=GOOD)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600  # the module sandbox's token_ttl
    assert body["access_token"].count(".") == 2  # JWT-like


def test_query_parameters_are_accepted(client: httpx.Client) -> None:
    response = client.post("/ims/token/v3", params=GOOD)
    assert response.status_code == 200
    assert response.json()["access_token"]


def test_every_token_is_unique(client: httpx.Client) -> None:
    tokens = {client.post("/ims/token/v3", data=GOOD).json()["access_token"] for _ in range(20)}
    assert len(tokens) == 20


def test_default_ttl_is_86399(sandbox: Sandbox) -> None:
    with httpx.Client(base_url=sandbox.base_url) as http:
        assert http.post("/ims/token/v3", data=GOOD).json()["expires_in"] == 86399


@pytest.mark.parametrize(("change", "description"), [
    ({"client_id": "nope"}, "invalid client_id parameter"),
    ({"client_id": ""}, "invalid client_id parameter"),
    ({"client_secret": "wrong"}, "invalid client_secret parameter"),
])
def test_bad_credentials_are_invalid_client(client: httpx.Client, change: dict[str, str], description: str) -> None:
    response = client.post("/ims/token/v3", data={**GOOD, **change})
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_client", "error_description": description}


def test_missing_secret_is_invalid_client(client: httpx.Client) -> None:
    data = {k: v for k, v in GOOD.items() if k != "client_secret"}
    response = client.post("/ims/token/v3", data=data)
    assert response.json()["error_description"] == "invalid client_secret parameter"


def test_wrong_grant_type(client: httpx.Client) -> None:
    response = client.post("/ims/token/v3", data={**GOOD, "grant_type": "password"})
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_missing_grant_type(client: httpx.Client) -> None:
    data = {k: v for k, v in GOOD.items() if k != "grant_type"}
    response = client.post("/ims/token/v3", data=data)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_scope_outside_the_clients_scopes_is_invalid_scope(sb: Sandbox, client: httpx.Client) -> None:
    sb.add_client("scoped", "s3cret", scopes=["openid"])
    ok = client.post("/ims/token/v3", data={**GOOD, "client_id": "scoped", "client_secret": "s3cret", "scope": "openid"})
    assert ok.status_code == 200
    bad = client.post("/ims/token/v3", data={**GOOD, "client_id": "scoped", "client_secret": "s3cret"})
    assert bad.status_code == 400
    assert bad.json()["error"] == "invalid_scope"


def test_added_client_authenticates(sb: Sandbox, client: httpx.Client) -> None:
    sb.add_client("abc", "def")
    response = client.post("/ims/token/v3", data={**GOOD, "client_id": "abc", "client_secret": "def"})
    assert response.status_code == 200


def test_get_is_not_allowed(client: httpx.Client) -> None:
    assert client.get("/ims/token/v3", params=GOOD).status_code == 405


def test_token_requests_are_counted(sb: Sandbox, client: httpx.Client) -> None:
    for _ in range(3):
        client.post("/ims/token/v3", data=GOOD)
    assert sb.counters()["token"] == 3
