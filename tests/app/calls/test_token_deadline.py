"""The call's timeout is one deadline for the token call and the action call together (real
servers: a hanging and a trickling token endpoint), on the single and the batch path."""
from __future__ import annotations

import json
from typing import Any, Iterator

import pytest

from app.auth import AuthEngine
from app.calls import send
from app.calls.batch import BatchItem, run_batch
from app.model import Action, CustomAuth, CustomBody, Endpoint, infer_payload
from app.resolve import Resolver
from tests.helpers.servers import Server, echo, hang, trickle


@pytest.fixture
def sink() -> Iterator[Server]:
    with Server(echo) as server:
        yield server


def _action(token_url: str, url: str) -> Action:
    auth = CustomAuth(endpoint=token_url + "/token", method="POST", token_in_response="json://access_token",
                      body=CustomBody(body_type="form", body_params={"grant_type": "client_credentials"}))
    return Action(name="hook", auth=auth, endpoint=Endpoint(url=url + "/hook", method="POST"),
                  request=infer_payload('{"a": 1}'))


def test_a_hanging_token_endpoint_times_the_call_out_at_its_timeout(secrets, sink) -> None:
    engine = AuthEngine(secrets)  # its own default (30 s) is not what bounds an action call
    with Server(hang) as token:
        result = send(_action(token.url, sink.url), {}, engine=engine, resolver=Resolver(secrets), timeout=0.2)
    assert result.outcome == "timedout" and result.attempts == 0 and sink.requests == []
    assert "token request" in result.error and "timed out after 0.2 s" in result.error


def test_a_trickling_token_endpoint_times_the_call_out(secrets, sink) -> None:
    body = json.dumps({"access_token": "t" * 40}).encode()  # ~3 s at one byte every 0.05 s
    with Server(trickle(body, 0.05)) as token:
        result = send(_action(token.url, sink.url), {}, engine=AuthEngine(secrets), resolver=Resolver(secrets),
                      timeout=0.2)
    assert result.outcome == "timedout" and "timed out after 0.2 s" in result.error and sink.requests == []


def test_a_batch_with_a_hanging_token_endpoint_keeps_each_call_to_its_timeout(secrets, sink) -> None:
    failures: list[Any] = []
    with Server(hang) as token:
        summary = run_batch(_action(token.url, sink.url), [BatchItem(i, {}) for i in range(8)],
                            engine=AuthEngine(secrets), resolver=Resolver(secrets), timeout=0.15, concurrency=4,
                            on_result=lambda item, result: failures.append(result.error))
    assert summary.failed == {"timedout": 8} and sink.requests == []
    assert all("token" in error for error in failures)
