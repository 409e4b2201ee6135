"""Only failures that can change are retried: not a TLS verification failure, not a header that
cannot be sent, not a 413 (real servers; single and batch paths)."""
from __future__ import annotations

from typing import Any

import pytest

from app.auth import AuthEngine
from app.calls import send
from app.calls.batch import BatchItem, run_batch
from app.calls.build import SetupError
from app.model import Action, Endpoint, Param, infer_payload
from app.resolve import Resolver
from tests.helpers.clock import SkippingClock
from tests.helpers.servers import Server, answer, echo

KINDS = ["single", "aiohttp", "httpx"]


def _action(url: str, headers: tuple[Param, ...] = ()) -> Action:
    return Action(name="hook", endpoint=Endpoint(url=url + "/hook", method="POST", headers=list(headers)),
                  request=infer_payload('{"a": 1}'))


def _results(kind: str, action: Action, secrets: Any, n: int = 2) -> list[Any]:
    engine, resolver = AuthEngine(secrets), Resolver(secrets)
    clock = SkippingClock()  # a retry's backoff costs no waiting
    if kind == "single":
        return [send(action, {}, engine=engine, resolver=resolver, timeout=5, clock=clock)]
    results: list[Any] = []
    run_batch(action, [BatchItem(i, {}) for i in range(n)], engine=engine, resolver=resolver, timeout=5,
              transport=kind, on_result=lambda item, result: results.append(result), clock=clock)
    return results


@pytest.mark.parametrize("kind", KINDS)
def test_a_certificate_that_does_not_verify_is_not_retried(kind, secrets) -> None:
    with Server(answer(200, {}), tls=True) as server:
        results = _results(kind, _action(server.url), secrets)
    assert server.requests == []
    for result in results:
        assert result.outcome == "internalError" and result.attempts == 1
        assert "TLS failed (not retried)" in result.error and "certificate" in result.error.lower()


@pytest.mark.parametrize("value, what", [("café", "U+00E9 (character 4): header values must be ASCII")])
@pytest.mark.parametrize("kind", KINDS)
def test_a_header_that_cannot_be_sent_is_reported_not_retried(kind, value, what, secrets) -> None:
    with Server(echo) as server:
        results = _results(kind, _action(server.url, (Param(name="X-Note", value=value),)), secrets)
    assert server.requests == []
    for result in results:
        assert result.outcome == "internalError" and result.attempts == 1
        assert result.error.startswith("not sent: the value of header X-Note holds") and what in result.error


@pytest.mark.parametrize("kind", KINDS)
def test_a_control_character_in_a_header_is_refused_before_any_call(kind, secrets) -> None:
    # The resolver refuses it while the request is prepared (app.resolve.UnsafeValue): no call at all.
    with Server(echo) as server:
        with pytest.raises(SetupError, match=r"header X-Note holds a control character \(U\+0001\)"):
            _results(kind, _action(server.url, (Param(name="X-Note", value="a\x01b"),)), secrets)
    assert server.requests == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_413_is_not_retried(kind, secrets) -> None:
    with Server(answer(413, {"error": "payload too large"})) as server:
        results = _results(kind, _action(server.url), secrets)
    assert len(server.requests) == len(results)
    assert all(r.outcome == "http_413" and r.attempts == 1 for r in results)


def test_a_503_is_still_retried(secrets) -> None:
    with Server(answer(503, {})) as server:
        result = _results("single", _action(server.url), secrets)[0]
    assert result.outcome == "http_503" and result.attempts == 4 and len(server.requests) == 4
