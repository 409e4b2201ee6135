"""Redirects over real loopback servers: credentials never follow a redirect to another origin (any
auth mode, secret headers and query parameters), the same origin keeps them; single and batch paths."""
from __future__ import annotations

import base64
import json
from typing import Any, Iterator

import pytest

from app.auth import AuthEngine
from app.calls import send
from app.calls.batch import BatchItem, run_batch
from app.model import (
    Action,
    ApiKeyAuth,
    BasicAuth,
    CustomAuth,
    CustomBody,
    Endpoint,
    Environment,
    Param,
    Variable,
    infer_payload,
)
from app.resolve import Resolver
from tests.helpers.servers import Seen, Server, answer, echo, redirect

TOKEN = "tok-123456"
SECRETS = ["hdr-secret-1", "env-secret-1", "qry-secret-1", "key-secret-1", "cs-secret-1", TOKEN,
           base64.b64encode(b"user:key-secret-1").decode()]


@pytest.fixture
def other() -> Iterator[Server]:
    """Another origin (another port): records what arrives, echoes it."""
    with Server(echo) as server:
        yield server


@pytest.fixture
def token_server() -> Iterator[Server]:
    with Server(answer(200, {"access_token": TOKEN})) as server:
        yield server


def _auth(kind: str, secrets: Any, token_url: str) -> Any:
    key = secrets.put("key-secret-1")
    custom = dict(endpoint=token_url + "/token", method="POST", token_in_response="json://access_token",
                  body=CustomBody(body_type="form", body_params={"client_secret": secrets.put("cs-secret-1")}))
    return {
        "apiKey-header": lambda: ApiKeyAuth(name="X-Api-Key", value=key, location="header"),
        "apiKey-query": lambda: ApiKeyAuth(name="key", value=key, location="query"),
        "basic": lambda: BasicAuth(username="user", password=key),
        "custom-bearer": lambda: CustomAuth(**custom),
        "custom-header": lambda: CustomAuth(**custom, authorization_type="header", token_target="X-Access"),
        "custom-query": lambda: CustomAuth(**custom, authorization_type="queryParam", token_target="access"),
    }[kind]()


def _setup(kind: str, secrets: Any, url: str, token_url: str) -> tuple[Action, Resolver]:
    action = Action(name="hook", auth=_auth(kind, secrets, token_url), request=infer_payload('{"a": 1}'),
                    endpoint=Endpoint(url=url + "/hook", method="POST", headers=[
                        Param(name="X-Secret-Token", value=secrets.put("hdr-secret-1")),
                        Param(name="X-Tenant", value="{{tenantKey}}"),  # a secret environment variable
                        Param(name="X-Trace", value="keep-me")],
                        query=[Param(name="api_key", value=secrets.put("qry-secret-1")),
                               Param(name="plain", value="1")]))
    env = Environment(name="t", variables=[Variable(name="tenantKey", value=secrets.put("env-secret-1"))])
    return action, Resolver(secrets, env)


def _no_credentials(seen: Seen) -> None:
    text = json.dumps([seen.target, seen.headers])
    assert not [s for s in SECRETS if s in text], text
    assert seen.headers["x-trace"] == "keep-me" and seen.query["plain"] == ["1"]
    assert json.loads(seen.body) == {"a": 1}  # a 307 keeps the method and the body


KINDS = ["apiKey-header", "apiKey-query", "basic", "custom-bearer", "custom-header", "custom-query"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_single_call_redirected_to_another_origin_carries_no_credential(kind, secrets, other, token_server) -> None:
    with Server(redirect(other.url)) as first:
        action, resolver = _setup(kind, secrets, first.url, token_server.url)
        result = send(action, {}, engine=AuthEngine(secrets), resolver=resolver, timeout=5)
    assert result.ok and len(other.requests) == 1
    assert any(s in json.dumps(first.requests[0].headers) + first.requests[0].target for s in SECRETS)
    _no_credentials(other.requests[0])


@pytest.mark.parametrize("transport", ["aiohttp", "httpx"])
@pytest.mark.parametrize("kind", ["apiKey-header", "custom-query"])
def test_a_batch_redirected_to_another_origin_carries_no_credential(kind, transport, secrets, other,
                                                                    token_server) -> None:
    with Server(redirect(other.url, 308)) as first:
        action, resolver = _setup(kind, secrets, first.url, token_server.url)
        summary = run_batch(action, [BatchItem(i, {}) for i in range(3)], engine=AuthEngine(secrets),
                            resolver=resolver, timeout=5, transport=transport)
    assert summary.ok == 3 and len(other.requests) == 3
    for seen in other.requests:
        _no_credentials(seen)


def _same_origin(handler: Any, seen: Seen) -> None:
    if seen.target.startswith("/hook"):
        answer(307, b"", {"Location": "/moved" + seen.target[len("/hook"):]})(handler, seen)
    else:
        echo(handler, seen)


@pytest.mark.parametrize("transport", ["single", "aiohttp"])
def test_a_redirect_on_the_same_origin_keeps_the_credentials(transport, secrets, token_server) -> None:
    with Server(_same_origin) as server:
        action, resolver = _setup("custom-header", secrets, server.url, token_server.url)
        engine = AuthEngine(secrets)
        if transport == "single":
            assert send(action, {}, engine=engine, resolver=resolver, timeout=5).ok
        else:
            assert run_batch(action, [BatchItem(1, {})], engine=engine, resolver=resolver, timeout=5).ok == 1
    moved = server.requests[1]
    assert moved.target.startswith("/moved") and moved.headers["x-access"] == TOKEN
    assert moved.headers["x-secret-token"] == "hdr-secret-1" and moved.query["api_key"] == ["qry-secret-1"]
