"""The auth engine over real HTTP: the sandbox's token endpoint, its echo sink, a canned server."""
from __future__ import annotations

import asyncio
import base64
import json
import socket

import httpx
import pytest

from app.auth import AuthEngine, AuthError, TokenCache
from app.auth.cache import margin
from app.model import ApiKeyAuth, BasicAuth, CacheDuration, CustomAuth, CustomBody, NoAuth, SecretRef
from tests.app.auth.conftest import SECRET, ims_auth, resolver_for
from tests.helpers.http import client as http_client


def _no_secret_in(result, *secrets: str) -> None:
    text = json.dumps(result.to_dict()) + repr(result)
    for secret in secrets:
        assert secret not in text


def test_custom_success_reports_masked_request_response_and_token(engine, store, secret_ref, sandbox):
    result = engine.test(ims_auth(secret_ref), resolver_for(store, sandbox.base_url))
    assert result.ok, result.reason
    assert result.request.method == "POST"
    assert result.request.url == f"{sandbox.base_url}/ims/token/v3"
    assert "client_secret=********" in result.request.body and "client_id=1234" in result.request.body
    assert result.request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert result.response.status == 200
    assert '"access_token":"********"' in result.response.body.replace(" ", "")
    assert result.token_preview.startswith("eyJ") and result.token_preview.endswith(" chars)")
    assert result.expires_in_s == 28000 and result.expires_at is not None
    assert result.applied["headers"]["Authorization"] == "Bearer ********"
    token = engine.credentials(ims_auth(secret_ref), resolver_for(store, sandbox.base_url))[0]["Authorization"][7:]
    _no_secret_in(result, SECRET, token)
    assert sandbox.counters()["token"] == 1  # the test's token was cached and reused


def test_wrong_secret_shows_the_invalid_client_text(engine, store, sandbox):
    wrong = store.put("nope-wrong", hint="client_secret")
    result = engine.test(ims_auth(wrong), resolver_for(store, sandbox.base_url))
    assert not result.ok
    assert "400 invalid_client: invalid client_secret parameter" in result.reason
    assert result.response.status == 400
    _no_secret_in(result, "nope-wrong")
    with pytest.raises(AuthError, match="invalid client_secret parameter"):
        engine.credentials(ims_auth(wrong), resolver_for(store, sandbox.base_url))


def test_token_path_missing_lists_the_keys_there(engine, store, secret_ref, sandbox):
    result = engine.test(ims_auth(secret_ref, token_in_response="json://data.token"),
                         resolver_for(store, sandbox.base_url))
    assert not result.ok
    assert "json://data.token was not found" in result.reason
    assert "access_token, token_type, expires_in" in result.reason


def test_response_not_json(engine, store, canned):
    canned.answer("<html>maintenance</html>", content_type="text/html")
    result = engine.test(ims_auth("x"), resolver_for(store, canned.url))
    assert not result.ok
    assert "not JSON (Content-Type text/html)" in result.reason and "<html>maint" in result.reason


def test_whole_body_token_and_array_paths(engine, store, canned):
    canned.answer("abc123\n", content_type="text/plain")
    assert engine.credentials(ims_auth("x", token_in_response="response"), resolver_for(store, canned.url)) == (
        {"Authorization": "Bearer abc123"}, {})
    canned.answer(json.dumps({"data": [{"token": "t1"}], "n": 1}))
    for path in ("json://data[0].token", "json://data.0.token"):
        assert engine.test(ims_auth("x", token_in_response=path), resolver_for(store, canned.url)).token_preview \
            == "t1… (2 chars)"
    bad = engine.test(ims_auth("x", token_in_response="json://data.token"), resolver_for(store, canned.url))
    assert "data is a list of 1 items" in bad.reason
    missing = engine.test(ims_auth("x", token_in_response="json://data[0].jwt"), resolver_for(store, canned.url))
    assert "data[0] has no key 'jwt'; the keys there are: token" in missing.reason


def test_timeout(store, secret_ref, sandbox):
    sandbox.set_fault("token", hang=True)
    engine = AuthEngine(store, timeout=0.1)
    result = engine.test(ims_auth(secret_ref), resolver_for(store, sandbox.base_url))
    assert not result.ok
    assert "timed out after 0.1 s" in result.reason
    assert result.request is not None and result.response is None


def test_connection_refused(engine, store):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    result = engine.test(ims_auth("x"), resolver_for(store, f"http://127.0.0.1:{port}"))
    assert not result.ok
    assert f"connection refused by 127.0.0.1:{port}" in result.reason


def test_dns_failure(engine, store):
    result = engine.test(ims_auth("x"), resolver_for(store, "http://token-host.invalid"))
    assert not result.ok
    assert "DNS failure" in result.reason and "token-host.invalid" in result.reason


def test_async_connection_refused_and_dns(engine, store):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(AuthError, match=f"connection refused by 127.0.0.1:{port}"):
        asyncio.run(engine.acredentials(ims_auth("x"), resolver_for(store, f"http://127.0.0.1:{port}")))
    with pytest.raises(AuthError, match="DNS failure"):
        asyncio.run(engine.acredentials(ims_auth("x"), resolver_for(store, "http://token-host.invalid")))


def test_missing_secret_and_variable(engine, store, sandbox):
    gone = SecretRef(secret="nowhere/client_secret")
    result = engine.test(ims_auth(gone), resolver_for(store, sandbox.base_url))
    assert not result.ok and "body parameter client_secret is not in the keyring" in result.reason
    result = engine.test(ims_auth("x", endpoint="{{imsUrl}}/ims/token/v3"), resolver_for(store, sandbox.base_url))
    assert not result.ok and "{{imsUrl}}" in result.reason
    assert sandbox.counters()["token"] == 0


def test_cache_reuse_and_expiry(engine, store, secret_ref, sandbox, clock):
    auth, resolver = ims_auth(secret_ref), resolver_for(store, sandbox.base_url)
    first = engine.credentials(auth, resolver)
    assert engine.credentials(auth, resolver) == first
    assert sandbox.counters()["token"] == 1
    clock.advance(28000 - 60 - 1)  # still inside the lifetime minus the margin
    assert engine.credentials(auth, resolver) == first
    assert sandbox.counters()["token"] == 1
    clock.advance(2)
    second = engine.credentials(auth, resolver)
    assert second != first and sandbox.counters()["token"] == 2


def test_actions_with_the_same_credentials_share_a_token(engine, store, secret_ref, sandbox):
    resolver = resolver_for(store, sandbox.base_url)
    other_ref = store.put(SECRET, hint="other")  # another action, same resolved request
    assert engine.credentials(ims_auth(secret_ref), resolver) == engine.credentials(ims_auth(other_ref), resolver)
    assert sandbox.counters()["token"] == 1


def test_expiry_in_response(engine, store, secret_ref, sandbox, clock):
    auth = ims_auth(secret_ref, cache_duration=CacheDuration(expiry_in_response="json://expires_in",
                                                             time_unit="seconds"))
    resolver = resolver_for(store, sandbox.base_url)
    result = engine.test(auth, resolver)
    assert result.ok and result.expires_in_s == 86399
    clock.advance(86399 - 61)
    engine.credentials(auth, resolver)
    assert sandbox.counters()["token"] == 1
    clock.advance(2)
    engine.credentials(auth, resolver)
    assert sandbox.counters()["token"] == 2


def test_expiry_not_a_number(engine, store, canned):
    auth = ims_auth("x", cache_duration=CacheDuration(expiry_in_response="json://expires", time_unit="minutes"))
    canned.answer(json.dumps({"access_token": "abcd", "expires": "soon"}))
    result = engine.test(auth, resolver_for(store, canned.url))
    assert not result.ok and "json://expires holds 'soon', not a number of minutes" in result.reason
    canned.answer(json.dumps({"access_token": "abcd", "expires": "2"}))  # a numeric string is fine
    assert engine.test(auth, resolver_for(store, canned.url)).expires_in_s == 120


def test_short_lived_tokens_keep_half_their_life_as_margin():
    assert margin(3600) == 60 and margin(120) == 60 and margin(90) == 45


def _echo_auth(**changes: object) -> CustomAuth:
    data: dict[str, object] = dict(endpoint="{{baseUrl}}/echo/token", method="POST",
                                   body=CustomBody(body_type="json", body_params={"grant": "x", "access": "tok-42"}),
                                   token_in_response="json://body.access")
    data.update(changes)
    return CustomAuth(**data)


@pytest.mark.parametrize("kind, target", [("header", "X-Access"), ("queryParam", "access")])
def test_header_and_query_targets_arrive_at_the_action(engine, store, sandbox, kind, target):
    auth = _echo_auth(authorization_type=kind, token_target=target)
    headers, params = engine.credentials(auth, resolver_for(store, sandbox.base_url))
    with http_client() as client:
        echoed = client.post(f"{sandbox.base_url}/echo/action", headers=headers, params=params, json={}).json()
    if kind == "header":
        assert echoed["headers"]["x-access"] == "tok-42" and "access" not in echoed["query"]
    else:
        assert echoed["query"] == {"access": "tok-42"}


def test_bearer_token_opens_the_inlet_and_refetches_once_after_401(engine, store, secret_ref, sandbox):
    auth, resolver = ims_auth(secret_ref), resolver_for(store, sandbox.base_url)
    url = f"{sandbox.base_url}/collection/inlet-1"
    with http_client() as client:
        with http_client() as bare:
            assert bare.post(url, json={}).status_code == 401
        creds = engine.credentials(auth, resolver)
        assert client.post(url, headers=creds[0], json={}).status_code != 401
        sandbox.expire_tokens()
        stale = client.post(url, headers=creds[0], json={})
        assert stale.status_code in (401, 403)
        assert engine.invalidate(auth, resolver, creds) is True
        assert engine.invalidate(auth, resolver, creds) is False  # a second caller with the same 401
        fresh = engine.credentials(auth, resolver)
        assert fresh != creds and client.post(url, headers=fresh[0], json={}).status_code not in (401, 403)
    assert sandbox.counters()["token"] == 2


def test_json_body_get_and_encode_base64(engine, store, sandbox):
    resolver = resolver_for(store, sandbox.base_url, secretVar="s3cr3t(x)")
    auth = _echo_auth(headers={"X-Basic": "Basic EncodeBase64({{clientId}}:{{secretVar}})"},
                      token_in_response="json://headers.x-basic")
    result = engine.test(auth, resolver)
    expected = base64.b64encode(b"1234:s3cr3t(x)").decode()
    assert result.ok
    assert result.response.body.count("********") >= 1 and expected not in json.dumps(result.to_dict())
    assert engine.credentials(auth, resolver)[0]["Authorization"] == f"Bearer Basic {expected}"
    echoed = json.loads(engine.test(_echo_auth(token_in_response="json://body.access"), resolver)
                        .request.body)
    assert echoed == {"grant": "x", "access": "tok-42"}
    get = CustomAuth(endpoint="{{baseUrl}}/echo/token?access=abc", method="GET", token_in_response="json://query.access")
    result = engine.test(get, resolver)
    assert result.ok and result.request.body == "" and result.token_preview == "abc… (3 chars)"


def test_basic_api_key_and_none(engine, store, sandbox):
    password = store.put("pa55word", hint="password")
    resolver = resolver_for(store, sandbox.base_url)
    headers, _ = engine.credentials(BasicAuth(username="{{clientId}}", password=password), resolver)
    assert headers == {"Authorization": "Basic " + base64.b64encode(b"1234:pa55word").decode()}
    result = engine.test(BasicAuth(username="u", password=password), resolver)
    assert result.ok and result.applied["headers"]["Authorization"] == "Basic ********"
    _no_secret_in(result, "pa55word", base64.b64encode(b"u:pa55word").decode())
    key = store.put("k-123", hint="api_key")
    for location, where in (("header", 0), ("query", 1)):
        creds = engine.credentials(ApiKeyAuth(name="X-UA-Appkey", value=key, location=location), resolver)
        assert creds[where] == {"X-UA-Appkey": "k-123"}
        with http_client() as client:
            echoed = client.get(f"{sandbox.base_url}/echo/x", headers=creds[0], params=creds[1]).json()
        assert (echoed["headers"]["x-ua-appkey"] if location == "header" else echoed["query"]["X-UA-Appkey"]) == "k-123"
    assert engine.test(ApiKeyAuth(value=SecretRef(secret="gone")), resolver).ok is False
    assert engine.credentials(NoAuth(), resolver) == ({}, {})
    assert engine.test(NoAuth(), resolver).ok
    assert sandbox.counters()["token"] == 0


def test_repr_never_shows_tokens(engine, store, secret_ref, sandbox):
    auth, resolver = ims_auth(secret_ref), resolver_for(store, sandbox.base_url)
    token = engine.credentials(auth, resolver)[0]["Authorization"][7:]
    request = engine.token_request(auth, resolver)
    for text in (repr(engine), repr(engine.cache), repr(request), repr(engine.cache.get(request.key))):
        assert token not in text and SECRET not in text


def test_an_injected_transport_is_used(store):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"access_token": "mock-token"})

    engine = AuthEngine(store, transport=httpx.MockTransport(handler), cache=TokenCache())
    assert engine.credentials(ims_auth("x"), resolver_for(store, "https://ims.example"))[0] == {
        "Authorization": "Bearer mock-token"}
