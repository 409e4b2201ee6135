"""What a test result shows of the token response: every credential masked, even when extraction failed.

A real local server answers with tokens; the result (its dict, the CLI's text) must never show them.
"""
from __future__ import annotations

import json

import pytest

from app.auth import AuthError
from app.cli.auth_cmd import _describe
from app.model import CacheDuration
from tests.app.auth.conftest import ims_auth, resolver_for

TOKEN = "tok-" + "A1b2C3d4e5" * 6
REFRESH = "ref-" + "Z9y8X7w6v5" * 6
ID_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLXBhcnQ"
ANSWER = json.dumps({"access_token": TOKEN, "refresh_token": REFRESH, "id_token": ID_TOKEN,
                     "token_type": "bearer", "expires_in": 86399})


def shown(result) -> str:
    return json.dumps(result.to_dict()) + repr(result) + _describe("imsToken", result)


def assert_no_token(text: str) -> None:
    for secret in (TOKEN, REFRESH, ID_TOKEN, TOKEN[:40], REFRESH[:40], ID_TOKEN[:30]):
        assert secret not in text


def test_wrong_token_path_masks_every_token_the_response_holds(engine, store, secret_ref, canned):
    canned.answer(ANSWER)
    result = engine.test(ims_auth(secret_ref, token_in_response="json://data.token"), resolver_for(store, canned.url))
    assert not result.ok and "json://data.token was not found" in result.reason
    assert "access_token, refresh_token, id_token, token_type, expires_in" in result.reason
    assert_no_token(shown(result))
    body = json.loads(result.response.body)
    assert body == {"access_token": "********", "refresh_token": "********", "id_token": "********",
                    "token_type": "bearer", "expires_in": 86399}


def test_success_masks_the_refresh_and_id_tokens_too(engine, store, secret_ref, canned):
    canned.answer(ANSWER)
    result = engine.test(ims_auth(secret_ref), resolver_for(store, canned.url))
    assert result.ok, result.reason
    assert_no_token(shown(result))
    assert json.loads(result.response.body)["token_type"] == "bearer"


@pytest.mark.parametrize("changes, says", [
    ({"token_in_response": "json://access_token.value"},
     "access_token is a string its name marks as secret (not shown), not an object"),
    ({"cache_duration": CacheDuration(expiry_in_response="json://access_token")},
     "json://access_token holds a string its name marks as secret (not shown), not a number"),
])
def test_a_path_that_lands_on_the_token_never_quotes_it(engine, store, secret_ref, canned, changes, says):
    canned.answer(ANSWER)
    auth = ims_auth(secret_ref, **changes)
    result = engine.test(auth, resolver_for(store, canned.url))
    assert not result.ok and says in result.reason
    assert_no_token(shown(result))
    with pytest.raises(AuthError) as info:  # the sending path reports the same, masked
        engine.credentials(auth, resolver_for(store, canned.url))
    assert says in info.value.reason
    assert_no_token(info.value.reason)


@pytest.mark.parametrize("body, content_type, status, says", [
    (json.dumps({"access_token": TOKEN}), "application/json", 400, '400: {"access_token": "********"}'),
    (TOKEN, "text/plain", 200, "not JSON (Content-Type text/plain); it starts with '********'"),
    (f"access_token={TOKEN}&token_type=bearer", "application/x-www-form-urlencoded", 200,
     "it starts with 'access_token=********&token_type=bearer'"),
])
def test_tokens_in_odd_answers_are_masked(engine, store, secret_ref, canned, body, content_type, status, says):
    canned.answer(body, status=status, content_type=content_type)
    result = engine.test(ims_auth(secret_ref), resolver_for(store, canned.url))
    assert not result.ok and says in result.reason
    assert_no_token(shown(result))
