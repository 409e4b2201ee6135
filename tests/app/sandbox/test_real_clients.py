"""The vendors' own client libraries, pointed at the sandbox, work unchanged (issue 15).

The libraries (urbanairship, authlib, and requests, jwt, joserfc under them: ~0.5 s of CPU) are
imported by the tests, not at collection: every xdist worker collects this module, one runs it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from app.sandbox import Sandbox
from app.sandbox.config import DEFAULT_AIRSHIP_TOKEN, DEFAULT_APP_KEY

if TYPE_CHECKING:
    import urbanairship

CHANNEL = "9c36e8c7-5a73-47c0-9716-99fd3d4197d5"


def _airship(sb: Sandbox, key: str, token: str) -> urbanairship.BearerTokenClient:
    import urbanairship
    from urbanairship.urls import Urls

    airship = urbanairship.BearerTokenClient(key=key, token=token)
    airship.urls = Urls(base_url=f"{sb.base_url}/api/")
    return airship


def test_official_airship_client_sends_a_custom_event(sb: Sandbox) -> None:
    import urbanairship

    event = urbanairship.CustomEvent(_airship(sb, DEFAULT_APP_KEY, DEFAULT_AIRSHIP_TOKEN), name="purchased",
                                     user={"named_user_id": "cust-42"}, value=12.5, properties={"sku": "A1"})
    answer = event.send()
    assert answer["ok"] is True and answer["operation_id"]
    logged = sb.requests("/api/custom-events/")
    assert [entry["status"] for entry in logged] == [200]


def test_any_well_formed_key_is_accepted_until_apps_are_declared(sb: Sandbox) -> None:
    import urbanairship

    mine = "aBcDeFgHiJkLmNoPqRsT_-"
    event = urbanairship.CustomEvent(_airship(sb, mine, DEFAULT_AIRSHIP_TOKEN), name="viewed",
                                     user={"channel": CHANNEL})
    assert event.send()["ok"] is True
    sb.add_airship_app("DeclaredAppKey00000001", ["t-declared"])
    with pytest.raises(urbanairship.Unauthorized):
        urbanairship.CustomEvent(_airship(sb, mine, DEFAULT_AIRSHIP_TOKEN), name="viewed",
                                 user={"channel": CHANNEL}).send()
    declared = _airship(sb, "DeclaredAppKey00000001", "t-declared")
    assert urbanairship.CustomEvent(declared, name="viewed", user={"channel": CHANNEL}).send()["ok"] is True


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
def test_oauth2_client_credentials_with_basic_and_post(sb: Sandbox, method: str) -> None:
    from authlib.integrations.requests_client import OAuth2Session

    with OAuth2Session("1234", "5678", token_endpoint_auth_method=method, scope="openid,AdobeID") as oauth:
        token = oauth.fetch_token(f"{sb.base_url}/ims/token/v3", grant_type="client_credentials")
    assert token["token_type"] == "bearer" and token["access_token"].count(".") == 2
    assert token["expires_in"] == 3600
    sent = sb.requests("/ims/token/v3")[-1]
    assert ("authorization" in {k.lower() for k in sent["headers"]}) is (method == "client_secret_basic")


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
def test_oauth2_client_with_a_wrong_secret_is_refused(sb: Sandbox, method: str) -> None:
    from authlib.integrations.base_client.errors import OAuthError
    from authlib.integrations.requests_client import OAuth2Session

    with OAuth2Session("1234", "wrong", token_endpoint_auth_method=method) as oauth:
        with pytest.raises(OAuthError, match="invalid_client"):
            oauth.fetch_token(f"{sb.base_url}/ims/token/v3", grant_type="client_credentials")
