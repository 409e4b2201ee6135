"""Sending through the sample actions to the sandbox over real HTTP: outcomes, retries, timeouts."""
from __future__ import annotations

import re
import time

import httpx
import pytest

from app.calls import example_values, send
from app.calls.pacing import REAL
from app.model import ApiKeyAuth, NoAuth


def test_each_seed_endpoint_succeeds(call, sandbox) -> None:
    inlet = call("writeJourneyEvent")
    assert inlet.outcome == "http_200" and inlet.ok
    assert inlet.field("inletId") == "sample-inlet" and inlet.field("jo_status_code") == "http_200"
    assert inlet.field("skipped") is True
    event = call("airshipCustomEvent")
    assert event.outcome == "http_200" and event.field("ok") is True and event.field("operation_id")
    echo = call("notifyWebhook")
    assert echo.ok and echo.data["body"]["customerId"] == "c-1001"
    assert sandbox.counters()["token"] == 1


def test_uppercase_event_name_is_a_400_shown_with_its_path(call, services) -> None:
    values = example_values(services.workspace.load("airshipCustomEvent")) | {"body.name": "Purchased"}
    result = call("airshipCustomEvent", values, timeout=5)
    assert result.outcome == "http_400" and not result.ok
    assert result.field("path") == "[0].body.name"  # the error-response example's fields
    assert "uppercase" in result.summary() and "[0].body.name" in result.summary()


def test_missing_token_is_a_401_not_retried(call, services, sandbox) -> None:
    action = services.workspace.load("airshipCustomEvent").model_copy(update={"auth": NoAuth()})
    result = call("airshipCustomEvent", action=action)
    assert result.outcome == "http_401" and result.attempts == 1
    assert "missing bearer token" in result.summary()
    assert sandbox.counters()["custom_events"] == 1


def test_invalid_token_is_a_401(call, services, secrets) -> None:
    ref = secrets.put("Bearer not-a-token")
    action = services.workspace.load("airshipCustomEvent")
    action = action.model_copy(update={"auth": ApiKeyAuth(name="Authorization", value=ref, location="header")})
    result = call("airshipCustomEvent", action=action)
    assert result.outcome == "http_401" and "invalid bearer token" in result.summary()
    assert "not-a-token" not in result.to_curl()


def test_bad_client_secret_fails_the_call_with_the_reason(call, services, secrets) -> None:
    from app.model import SecretRef

    secrets.put("wrong", ref=SecretRef(secret="sample/writeJourneyEvent/client_secret"))
    result = call("writeJourneyEvent")
    assert result.outcome == "internalError" and result.error.startswith("authentication failed")
    assert "wrong" not in result.error


def test_503s_are_retried_three_times_then_the_error_stands(call, sandbox, retry_clock) -> None:
    sandbox.set_fault("custom_events", status=503, times=10)
    result = call("airshipCustomEvent", timeout=10)
    assert result.outcome == "http_503" and result.attempts == 4
    assert sandbox.counters()["custom_events"] == 4
    assert retry_clock.waits == [0.1, 0.2, 0.4]  # the backoff doubles
    assert result.duration_ms >= 700  # the waits count in the call's duration


def test_a_503_then_success_in_real_time(call, sandbox) -> None:
    sandbox.set_fault("custom_events", status=503, times=2)
    result = call("airshipCustomEvent", timeout=10, clock=REAL)  # the default of send()
    assert result.ok and result.attempts == 3 and sandbox.counters()["custom_events"] == 3


def test_no_retry_on_404(call, sandbox) -> None:
    sandbox.add_inlet("another-inlet")  # from now on the sample's inlet id is unknown: 404
    result = call("writeJourneyEvent")
    assert result.outcome == "http_404" and result.attempts == 1
    assert sandbox.counters()["inlet"] == 1


def test_retry_after_is_honoured_within_the_budget(call, sandbox, retry_clock) -> None:
    sandbox.set_fault("echo", status=429, retry_after=1, times=1)
    result = call("notifyWebhook", timeout=5)
    assert result.ok and result.attempts == 2 and retry_clock.waits == [1.0]


def test_retry_after_beyond_the_budget_ends_the_call(call, sandbox, retry_clock) -> None:
    sandbox.set_fault("echo", status=429, retry_after=20, times=1)
    result = call("notifyWebhook", timeout=2)
    assert result.outcome == "http_429" and result.attempts == 1 and retry_clock.waits == []


def test_a_hang_times_out_at_the_configured_timeout_without_retry(call, sandbox) -> None:
    sandbox.set_fault("echo", hang=True)
    t0 = time.monotonic()
    result = call("notifyWebhook", timeout=0.3)  # send() takes any timeout: the platform's 1-30 s is the model's
    elapsed = time.monotonic() - t0
    assert result.outcome == "timedout" and result.attempts == 1
    assert 0.28 <= elapsed < 1.8
    assert sandbox.counters()["echo"] == 1


def test_a_dropped_connection_is_an_internal_error(call, sandbox) -> None:
    sandbox.set_fault("echo", drop=True)
    result = call("notifyWebhook", timeout=3)
    assert result.outcome == "internalError" and result.attempts == 4
    assert result.error


def test_expired_token_is_refetched_once(call, sandbox) -> None:
    assert call("writeJourneyEvent").ok
    sandbox.expire_tokens()
    result = call("writeJourneyEvent")
    assert result.ok and [e.response.status for e in result.exchanges] == [403, 200]
    assert sandbox.counters()["token"] == 2


def test_redirects_are_followed(services, resolver) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/echo/notify":
            return httpx.Response(302, headers={"Location": "/moved"})
        return httpx.Response(200, json={"method": request.method, "path": request.url.path})

    action = services.workspace.load("notifyWebhook")
    result = send(action, example_values(action), engine=services.auth, resolver=resolver,
                  transport=httpx.MockTransport(handler))
    assert result.ok and result.field("path") == "/moved"


def test_secrets_are_masked_in_the_record(call, services, resolver) -> None:
    result = call("writeJourneyEvent")
    token = services.auth.credentials(services.workspace.load("writeJourneyEvent").auth, resolver)[0]["Authorization"]
    text = result.to_curl() + repr(result.to_dict())
    assert token.split()[1] not in text
    # The client secret 5678 as it would be written (a quoted value, a form value, Basic credentials), not
    # any 5678: the sandbox's answer holds a random 4-digit number and millisecond times.
    assert not re.search(r"""['"=]5678(?![0-9])""", text) and "MTIzNDo1Njc4" not in text
    assert ("Authorization", "********") in result.request.headers
    airship = call("airshipCustomEvent")
    assert "sandbox-airship-token" not in airship.to_curl() + repr(airship.to_dict())


def test_invalid_values_raise_before_anything_is_sent(call, sandbox) -> None:
    from app.calls import ValuesError

    with pytest.raises(ValuesError, match="customerId"):
        call("notifyWebhook", {"customerId": 5})
    assert sandbox.counters().get("echo", 0) == 0


def test_a_raw_body_replaces_the_payload_and_needs_no_payload_values(services, resolver) -> None:
    action = services.workspace.load("airshipCustomEvent")
    event = [{"user": {"named_user_id": "u9"}, "body": {"name": "raw_event"}}]
    result = send(action, {}, engine=services.auth, resolver=resolver, body=event)
    assert result.ok and result.body == event and result.values == {}
    assert '"raw_event"' in result.request.body


def test_a_dynamic_path_cannot_reach_the_sandbox_control_api(call, sandbox) -> None:
    from app.calls import SetupError

    with pytest.raises(SetupError, match="may not climb above"):
        call("notifyWebhook", path_suffix="../../_sandbox/faults")
    assert sandbox.counters().get("echo", 0) == 0 and sandbox.counters().get("admin", 0) == 0
    assert call("notifyWebhook", path_suffix="a/b").data["path"].endswith("/notify/a/b")
