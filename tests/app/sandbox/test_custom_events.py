"""Contract of POST /api/custom-events."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest

from app.sandbox import Sandbox

from .conftest import CE_HEADERS, event, issue_token, occurred

URL = "/api/custom-events"
VND = "application/vnd.urbanairship+json; version=3"


def post(client: httpx.Client, payload: Any, **headers: str) -> httpx.Response:
    return client.post(URL, json=payload, headers={**CE_HEADERS, **headers})


def details(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["ok"] is False
    assert body["error_code"] in (40000, 40001)
    return dict(body["details"])


@pytest.mark.parametrize("path", [URL, URL + "/"])
def test_valid_events_are_accepted(client: httpx.Client, path: str) -> None:
    response = client.post(path, json=[event(), event()], headers=CE_HEADERS)
    assert response.status_code == 200
    assert response.headers["content-type"] == VND
    body = response.json()
    assert body["ok"] is True
    assert uuid.UUID(body["operation_id"]).version == 4


def test_single_object_is_accepted(client: httpx.Client) -> None:
    assert post(client, event()).status_code == 200


def test_issued_token_is_accepted(client: httpx.Client) -> None:
    token = issue_token(client)
    assert post(client, [event()], Authorization=f"Bearer {token}").status_code == 200


def test_added_app_and_static_token(sb: Sandbox, client: httpx.Client) -> None:
    sb.add_airship_app("k2", static_tokens=["t2"])
    assert post(client, [event()], Authorization="Bearer t2", **{"X-UA-Appkey": "k2"}).status_code == 200


@pytest.mark.parametrize("headers", [
    {"Authorization": ""},
    {"Authorization": "Basic dXNlcjpwYXNz"},
    {"Authorization": "Bearer wrong"},
    {"X-UA-Appkey": ""},
    {"X-UA-Appkey": "unknown-app"},
])
def test_authentication_failures_are_401_text(client: httpx.Client, headers: dict[str, str]) -> None:
    response = post(client, [event()], **headers)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("text/plain")


def test_expired_issued_token_is_401(sb: Sandbox, client: httpx.Client) -> None:
    token = issue_token(client)
    sb.expire_tokens()
    response = post(client, [event()], Authorization=f"Bearer {token}")
    assert response.status_code == 401
    assert "expired" in response.text


@pytest.mark.parametrize("accept", [VND + ";", "application/vnd.urbanairship+json;version=3", "*/*", "application/json"])
def test_acceptable_accept_headers(client: httpx.Client, accept: str) -> None:
    assert post(client, [event()], Accept=accept).status_code == 200


@pytest.mark.parametrize("accept", ["application/vnd.urbanairship+json; version=2", "application/vnd.urbanairship+json"])
def test_wrong_api_version_is_406(client: httpx.Client, accept: str) -> None:
    response = post(client, [event()], Accept=accept)
    assert response.status_code == 406
    assert response.json()["error_code"] == 40600


def test_empty_array_is_rejected(client: httpx.Client) -> None:
    assert details(post(client, []))["path"] == ""


def test_more_than_100_events_is_rejected(client: httpx.Client) -> None:
    assert post(client, [event()] * 100).status_code == 200
    assert "100" in details(post(client, [event()] * 101))["error"]


@pytest.mark.parametrize("user", [
    {}, {"named_user_id": "a", "channel": str(uuid.uuid4())}, {"email": "x@example.com"}, "hugh",
    {"named_user_id": ""}, {"channel": "not-a-uuid"},
])
def test_user_needs_exactly_one_known_key(client: httpx.Client, user: Any) -> None:
    assert details(post(client, [event(user=user)]))["path"].startswith("[0].user")


@pytest.mark.parametrize("key", ["channel", "ios_channel", "android_channel", "amazon_channel", "web_channel"])
def test_every_channel_kind_is_accepted(client: httpx.Client, key: str) -> None:
    assert post(client, [event(user={key: str(uuid.uuid4())})]).status_code == 200


def test_missing_user_is_rejected(client: httpx.Client) -> None:
    payload = event()
    del payload["user"]
    assert details(post(client, [payload]))["path"] == "[0].user"


# The times are made when the test runs, not when it is collected: the test ids stay the same
# in every process (pytest-xdist checks that its workers collected the same tests).
@pytest.mark.parametrize("form", ["space", "zulu"])
def test_occurred_formats(client: httpx.Client, form: str) -> None:
    value = occurred().replace("T", " ") if form == "space" else occurred() + "Z"
    assert post(client, [event(occurred=value)]).status_code == 200


def test_occurred_is_optional(client: httpx.Client) -> None:
    payload = event()
    del payload["occurred"]
    assert post(client, [payload]).status_code == 200


@pytest.mark.parametrize("value", [
    "2024-05-02", "2024-05-02T02:31:22+00:00", "2024-05-02T02:31:22.123", "02/05/2024 02:31:22", 1714616482,
    "2024-02-30T00:00:00",
    pytest.param(timedelta(minutes=5), id="future"),
    pytest.param(timedelta(days=-91), id="too-old"),
])
def test_bad_occurred_is_rejected(client: httpx.Client, value: Any) -> None:
    if isinstance(value, timedelta):  # relative to when the test runs
        value = occurred(value)
    assert details(post(client, [event(occurred=value)]))["path"] == "[0].occurred"


def test_name_with_uppercase_is_rejected(client: httpx.Client) -> None:
    payload = event(body={"name": "Purchased"})
    found = details(post(client, [event(), payload]))
    assert found["path"] == "[1].body.name"
    assert "uppercase" in found["error"]


def test_single_object_paths_have_no_index(client: httpx.Client) -> None:
    assert details(post(client, event(body={"name": "Bad"})))["path"] == "body.name"


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": 5}, "purchased"])
def test_name_is_required(client: httpx.Client, body: Any) -> None:
    assert details(post(client, [event(body=body)]))["path"].startswith("[0].body")


@pytest.mark.parametrize(("value", "ok"), [(1, True), (239.85, True), (0.123456, True), (0.1234567, False),
                                           ("12.5", False), (True, False)])
def test_value_is_a_number_with_at_most_6_decimals(client: httpx.Client, value: Any, ok: bool) -> None:
    response = post(client, [event(body={"name": "x", "value": value})])
    assert (response.status_code == 200) is ok
    if not ok:
        assert details(response)["path"] == "[0].body.value"


@pytest.mark.parametrize("key", ["transaction", "interaction_id", "interaction_type", "session_id", "unique_id"])
def test_string_fields_must_be_strings(client: httpx.Client, key: str) -> None:
    assert post(client, [event(body={"name": "x", key: "ok"})]).status_code == 200
    assert details(post(client, [event(body={"name": "x", key: 12})]))["path"] == f"[0].body.{key}"


def test_unknown_fields_are_rejected(client: httpx.Client) -> None:
    assert details(post(client, [event(extra=1)]))["path"] == "[0].extra"
    assert details(post(client, [event(body={"name": "x", "color": "red"})]))["path"] == "[0].body.color"


def test_at_most_100_properties(client: httpx.Client) -> None:
    props = {f"p{i}": i for i in range(100)}
    assert post(client, [event(body={"name": "x", "properties": props})]).status_code == 200
    props["p100"] = 1
    assert details(post(client, [event(body={"name": "x", "properties": props})]))["path"] == "[0].body.properties"


def test_property_strings_at_most_255(client: httpx.Client) -> None:
    ok = {"a": "x" * 255, "nested": {"list": ["y" * 255]}}
    assert post(client, [event(body={"name": "x", "properties": ok})]).status_code == 200
    bad = {"nested": {"list": ["short", "y" * 256]}}
    found = details(post(client, [event(body={"name": "x", "properties": bad})]))
    assert found["path"] == "[0].body.properties.nested.list[1]"


def test_syntax_error_has_location(client: httpx.Client) -> None:
    raw = b'[\n  {\n    "user": {"named_user_id": "a"},\n    "body": {"name": "x",}\n  }\n]'
    response = client.post(URL, content=raw, headers={**CE_HEADERS, "Content-Type": "application/json"})
    found = details(response)
    assert response.json()["error"] == "Could not parse request body."
    assert response.json()["error_code"] == 40000
    assert found["location"] == {"line": 4, "column": 26}


def test_invalid_utf8_has_location(client: httpx.Client) -> None:
    raw = b'[{"user": {"named_user_id": "\xc3\x28"}}]'
    response = client.post(URL, content=raw, headers={**CE_HEADERS, "Content-Type": "application/json"})
    found = details(response)
    assert "UTF-8" in found["error"]
    assert found["location"]["line"] == 1


def test_deep_nesting_is_a_clear_400(client: httpx.Client) -> None:
    for depth in (65, 5000):
        raw = b"[" * depth + b"]" * depth
        response = client.post(URL, content=raw, headers={**CE_HEADERS, "Content-Type": "application/json"})
        assert "nesting" in details(response)["error"]


def test_wrong_content_type_is_400(client: httpx.Client) -> None:
    response = client.post(URL, content=b"[]", headers={**CE_HEADERS, "Content-Type": "text/plain"})
    assert "Content-Type" in details(response)["error"]


def test_validation_errors_use_code_40001(client: httpx.Client) -> None:
    assert post(client, []).json()["error_code"] == 40001


def test_app_keys_well_formed_legacy_and_declared(sb: Sandbox, client: httpx.Client) -> None:
    for key in ("0123456789abcdefABCD-_", "sandbox-app-key"):  # any 22-character key; the old sample's key
        assert post(client, [event()], **{"X-UA-Appkey": key}).status_code == 200
    malformed = post(client, [event()], **{"X-UA-Appkey": "short-key"})
    assert malformed.status_code == 401 and "malformed app key" in malformed.text
    sb.add_airship_app("k2", static_tokens=["t2"])  # declared apps: only those from now on
    assert post(client, [event()], **{"X-UA-Appkey": "0123456789abcdefABCD-_"}).status_code == 401
