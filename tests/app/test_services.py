"""Services: the embedded sandbox masks, in its log, every secret the services' resolvers revealed."""
from __future__ import annotations

import base64
import json

from app.calls import send
from app.model import MASK, Action, ApiKeyAuth, CustomAuth, Endpoint, Param
from app.sandbox import Sandbox, SandboxConfig
from tests.helpers.http import client as http_client


def test_secrets_under_innocent_names_are_masked_in_the_embedded_sandbox_log(services, secrets) -> None:
    code = secrets.put("c0de-s3cret-value", hint="code")
    key = secrets.put("k3y-s3cret-value", hint="auth")
    action = Action(name="leaky", endpoint=Endpoint(url="{{sandbox.url}}/echo/x", method="GET",
                                                    query=[Param(name="code", value=code)]),
                    auth=ApiKeyAuth(name="auth", value=key, location="query"))
    result = send(action, {}, services=services)  # the window's path: services' resolver, embedded sandbox
    assert result.ok, result.summary()
    (entry,) = [e for e in services.sandbox.requests() if e["path"] == "/echo/x"]
    assert entry["query"] == {"code": MASK, "auth": MASK}
    assert "s3cret-value" not in json.dumps(services.sandbox.requests())


def test_a_sandbox_started_later_masks_secrets_revealed_before(services, secrets) -> None:
    ref = secrets.put("early-s3cret", hint="x")
    services.resolver().value(ref)
    with Sandbox(SandboxConfig()) as sandbox:
        services.share_secrets_with(sandbox)
        with http_client() as http:
            http.get(sandbox.base_url + "/echo/y", params={"q": "early-s3cret"})
        assert sandbox.requests()[-1]["query"] == {"q": MASK}


def test_values_derived_from_secrets_are_masked_too(services, secrets) -> None:
    # EncodeBase64 of a secret is sent under an innocent header name and query parameter.
    ref = secrets.put("EncodeBase64(ada:pa55-s3cret)", hint="sig")
    auth = CustomAuth(endpoint="{{sandbox.url}}/echo/token?client=ada", method="GET", headers={"X-Sig": ref})
    result = services.auth.test(auth, services.resolver())
    assert not result.ok  # the echo sink has no token to give: only the logged request matters here
    (entry,) = [e for e in services.sandbox.requests() if e["path"] == "/echo/token"]
    assert entry["headers"]["x-sig"] == MASK
    assert base64.b64encode(b"ada:pa55-s3cret").decode() not in json.dumps(services.sandbox.requests())
