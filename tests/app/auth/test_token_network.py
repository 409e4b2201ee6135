"""The token call against hostile real servers: a redirect to another host is not followed, a huge or
endless answer is cut at the cap, a trickling or hanging endpoint ends at the deadline."""
from __future__ import annotations

import asyncio
import json
from typing import Iterator

import pytest

from app.auth import AuthEngine, AuthError
from app.auth.errors import AuthTimeout
from app.net import NetConfig
from tests.app.auth.conftest import SECRET, ims_auth, resolver_for
from tests.helpers.servers import Seen, Server, answer, endless, hang, huge, redirect, trickle

GRANT = {"access_token": "evil-token", "expires_in": 3600}


@pytest.fixture
def elsewhere() -> Iterator[Server]:
    """Another origin answering any token request."""
    with Server(answer(200, GRANT)) as server:
        yield server


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_token_call_is_not_redirected_to_another_host(engine, store, secret_ref, elsewhere, status) -> None:
    with Server(redirect(elsewhere.url, status)) as first:
        result = engine.test(ims_auth(secret_ref), resolver_for(store, first.url))
        with pytest.raises(AuthError, match="another host"):
            asyncio.run(engine.acredentials(ims_auth(secret_ref), resolver_for(store, first.url)))
    assert not result.ok and f"redirected ({status}) to {elsewhere.url}, another host" in result.reason
    assert elsewhere.requests == [] and "evil" not in json.dumps(result.to_dict())
    assert "client_secret=" + SECRET in first.requests[0].body.decode()  # the one host it was meant for


def _moved_on_the_same_origin(handler, seen: Seen) -> None:
    if seen.target.startswith("/ims"):
        answer(307, b"", {"Location": "/token-moved"})(handler, seen)
    else:
        answer(200, {"access_token": "good-token", "client_secret_seen": SECRET in seen.body.decode()})(handler, seen)


def test_a_token_redirect_on_the_same_origin_is_followed_with_its_body(engine, store, secret_ref) -> None:
    with Server(_moved_on_the_same_origin) as server:
        result = engine.test(ims_auth(secret_ref), resolver_for(store, server.url))
    assert result.ok and result.token_preview.startswith("good")
    assert [r.target for r in server.requests] == ["/ims/token/v3", "/token-moved"]
    assert SECRET in server.requests[1].body.decode()


@pytest.mark.parametrize("respond", [huge(64 * 1024 * 1024), endless], ids=["huge", "endless"])
def test_a_huge_or_endless_token_answer_is_cut_at_the_cap(store, secret_ref, respond) -> None:
    engine = AuthEngine(store, timeout=10, net=NetConfig(token_max_bytes=64 * 1024))
    with Server(respond) as server:
        result = engine.test(ims_auth(secret_ref), resolver_for(store, server.url))
        with pytest.raises(AuthError, match="larger than 65,536 bytes"):
            engine.credentials(ims_auth(secret_ref), resolver_for(store, server.url))
    assert not result.ok and "larger than 65,536 bytes (tokenResponseMaxBytes" in result.reason
    assert result.response.truncated and len(result.response.body) <= 64 * 1024
    # Reading stopped at the cap: the server could write little more than the sockets' buffers.
    assert len(server.sent) == 2 and max(server.sent) < 32 * 1024 * 1024


def test_the_default_token_cap_is_one_megabyte() -> None:
    assert NetConfig().token_max_bytes == 1024 * 1024


def test_a_trickling_token_endpoint_is_cut_at_the_deadline(store, secret_ref) -> None:
    engine = AuthEngine(store, timeout=30)
    body = json.dumps(GRANT).encode()  # one byte every 0.05 s: seconds in all, no read ever waits long
    with Server(trickle(body, 0.05)) as server:
        result = engine.test(ims_auth(secret_ref), resolver_for(store, server.url), timeout=0.2)
        with pytest.raises(AuthTimeout, match="timed out after 0.2 s"):
            asyncio.run(engine.acredentials(ims_auth(secret_ref), resolver_for(store, server.url), timeout=0.2))
    assert not result.ok and "timed out after 0.2 s" in result.reason


def test_a_hanging_token_endpoint_ends_at_the_callers_timeout(store, secret_ref) -> None:
    engine = AuthEngine(store)  # 30 s when the caller gives no timeout
    with Server(hang) as server:
        # The server never answers: any timeout proves the caller's wins over the engine's 30 s.
        with pytest.raises(AuthTimeout, match="timed out after 0.1 s"):
            engine.credentials(ims_auth(secret_ref), resolver_for(store, server.url), timeout=0.1)
        with pytest.raises(AuthTimeout, match="timed out after 0.2 s"):
            asyncio.run(engine.acredentials(ims_auth(secret_ref), resolver_for(store, server.url), timeout=0.2))


def test_a_token_header_that_cannot_be_sent_is_a_failed_test_not_a_crash(engine, store, secret_ref) -> None:
    with Server(answer(200, GRANT)) as server:
        result = engine.test(ims_auth(secret_ref, headers={"X-Note": "café"}), resolver_for(store, server.url))
    assert not result.ok and server.requests == []
    assert result.reason == ("the token request cannot be sent: the value of header X-Note holds U+00E9 "
                             "(character 4): header values must be ASCII")
