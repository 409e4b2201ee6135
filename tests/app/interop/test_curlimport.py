"""A whole call from a curl command: method, URL and query, headers, -u, JSON or form data; the
action written back as curl reads back to the same action."""
from __future__ import annotations

import json

import pytest

from app.interop.curlimport import read_curl
from app.interop.report import InteropError
from app.interop.snippets import action_snippet
from tests.app.interop.helpers import comparable

COMMAND = """curl -X PUT 'https://api.example.com/v2/profiles?source=web' \\
  -H 'Content-Type: application/json' -H 'X-Tenant: t-1' \\
  -u bob:s3cret \\
  --data-raw '{"id": "p-1", "tags": ["a"], "score": 4.5}'"""


def test_a_whole_call_becomes_an_action() -> None:
    report = read_curl(COMMAND)
    action = report.items[0].action
    assert action.name == "profiles" and action.endpoint.method == "PUT"
    assert action.endpoint.url == "https://api.example.com/v2/profiles"
    assert [(q.name, q.value) for q in action.endpoint.query] == [("source", "web")]
    assert [(h.name, h.value) for h in action.endpoint.headers[2:]] == [("X-Tenant", "t-1")]
    assert action.auth.type == "basic" and action.auth.username == "bob" and action.auth.password == "s3cret"
    assert action.request is not None and json.loads(action.request.example)["score"] == 4.5
    assert report.lines() == []


@pytest.mark.parametrize("command, method, body, note", [
    ("curl https://api.example.com/x -d 'a=1&b=two'", "POST", {"a": "1", "b": "two"}, "form body became"),
    ("curl https://api.example.com/x --json '{\"k\": [1, 2]}'", "POST", {"k": [1, 2]}, None),
    ("curl -G https://api.example.com/x -d q=shoes", "GET", None, "moved to the query string"),
    ("curl https://api.example.com/x -b 'sid=1' -k", "GET", None, "option -k has no equivalent"),
])
def test_bodies_methods_and_left_out_options(command: str, method: str, body, note) -> None:
    report = read_curl(command)
    action = report.items[0].action
    assert action.endpoint.method == method
    assert (json.loads(action.request.example) if action.request else None) == body
    if note:
        assert any(note in line for line in report.lines())


def test_curl_round_trip_gives_the_same_action() -> None:
    action = read_curl(COMMAND).items[0].action
    copied = action_snippet(action, "curl")
    assert "s3cret" not in copied  # the copy masks the password
    [back] = read_curl(copied.split("\n", 1)[1]).items  # after the "# name" line
    assert back.missing_secrets == ["auth.password"]
    expected = comparable(action)
    expected["auth"]["password"] = "<secret>"
    assert comparable(back.action) == expected


@pytest.mark.parametrize("command, message", [
    ("curl -X DELETE https://api.example.com/x", "method DELETE"),
    ("curl -X POST", "no URL"),
    ("wget https://x", "not a curl command"),
    ("curl https://api.example.com/x --json '{bad'", "not valid JSON"),
    ("curl 'https://api.example.com/x", "line 1"),
])
def test_bad_commands_say_what(command: str, message: str) -> None:
    with pytest.raises(InteropError, match=message):
        read_curl(command, "cmd.sh")
