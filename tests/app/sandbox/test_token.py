"""Contract of POST /ims/token/v3."""

from __future__ import annotations

import httpx
import pytest

from app.sandbox import Sandbox
from tests.helpers.http import client as http_client

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
    with http_client(base_url=sandbox.base_url) as http:
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


def _basic(client_id: str, secret: str) -> dict[str, str]:
    import base64

    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def test_http_basic_client_authentication_issues_a_token(client: httpx.Client) -> None:
    data = {"grant_type": "client_credentials", "client_id": "1234"}  # the id may be repeated in the body
    response = client.post("/ims/token/v3", data=data, headers=_basic("1234", "5678"))
    assert response.status_code == 200 and response.json()["access_token"]


@pytest.mark.parametrize(("headers", "data", "status", "description"), [
    (_basic("1234", "nope"), {}, 401, "invalid client_secret in HTTP Basic credentials"),
    (_basic("9999", "5678"), {}, 401, "invalid client_id in HTTP Basic credentials"),
    ({"Authorization": "Basic !!!"}, {}, 401, "malformed HTTP Basic credentials (not base64 of UTF-8 text)"),
    ({"Authorization": "Basic MTIzNA=="}, {}, 401, "malformed HTTP Basic credentials (no ':' between client id "
                                                   "and secret)"),
    (_basic("1234", "5678"), {"client_secret": "5678"}, 400, "client authenticated twice (HTTP Basic and "
                                                             "client_secret parameter): use one method"),
    (_basic("1234", "5678"), {"client_id": "other"}, 400, "client_id parameter differs from the HTTP Basic "
                                                          "client id"),
])
def test_http_basic_refusals_say_why(client: httpx.Client, headers: dict[str, str], data: dict[str, str],
                                     status: int, description: str) -> None:
    response = client.post("/ims/token/v3", data={"grant_type": "client_credentials", **data}, headers=headers)
    assert response.status_code == status
    assert response.json()["error_description"] == description
    assert (response.headers.get("www-authenticate") == 'Basic realm="token"') is (status == 401)
