"""Contract of the streaming inlet: POST /collection/{id} and /collection/batch/{id}."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from app.sandbox import Sandbox
from tests.helpers.http import client as http_client

from .conftest import envelope, issue_token


@pytest.fixture
def auth(client: httpx.Client) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(client)}"}


def causes(response: httpx.Response) -> list[dict[str, Any]]:
    report = response.json()["report"]
    return list(report["cause"]["_streamingValidation"][0]["causingExceptions"])


def test_valid_message_with_sync_validation_passes(client: httpx.Client, auth: dict[str, str]) -> None:
    response = client.post("/collection/abc", params={"syncValidation": "true"}, json=envelope(), headers=auth)
    assert response.status_code == 200
    body = response.json()
    assert body["inletId"] == "abc"
    assert body["syncValidation"] == {"status": "pass"}
    assert isinstance(body["receivedTimeMs"], int)
    assert body["xactionId"].count(":") == 2


def test_without_sync_validation_it_is_skipped(client: httpx.Client, auth: dict[str, str]) -> None:
    response = client.post("/collection/abc", json=envelope(), headers=auth)
    assert response.status_code == 200
    assert response.json()["syncValidation"] == {"skipped": True}


def test_record_checks_run_only_with_sync_validation(client: httpx.Client, auth: dict[str, str]) -> None:
    bad = envelope(_id=42)
    assert client.post("/collection/abc", json=bad, headers=auth).status_code == 200
    assert client.post("/collection/abc?syncValidation=true", json=bad, headers=auth).status_code == 400


def test_non_string_id_is_reported_with_pointer(client: httpx.Client, auth: dict[str, str]) -> None:
    response = client.post("/collection/abc?syncValidation=true", json=envelope(_id=1), headers=auth)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["title"] == "Invalid XDM Message Format"
    assert body["type"].endswith("/data-collection-service/inlet")
    assert causes(response) == [{"schemaLocation": "#/properties/_id", "pointerToViolation": "#/_id",
                                 "keyword": "type", "message": "expected type: String, found: Long"}]


@pytest.mark.parametrize("stamp", ["yesterday", "2018-11-12", "2018-11-12 20:20:39", 1541974839])
def test_timestamp_must_be_iso_8601(client: httpx.Client, auth: dict[str, str], stamp: Any) -> None:
    response = client.post("/collection/abc?syncValidation=true", json=envelope(timestamp=stamp), headers=auth)
    assert response.status_code == 400
    assert causes(response)[0]["pointerToViolation"] == "#/timestamp"


@pytest.mark.parametrize("stamp", ["2018-11-12T20:20:39Z", "2018-11-12T20:20:39.123+02:00", "2018-11-12T20:20:39+0000"])
def test_timestamp_variants_accepted(client: httpx.Client, auth: dict[str, str], stamp: str) -> None:
    response = client.post("/collection/abc?syncValidation=true", json=envelope(timestamp=stamp), headers=auth)
    assert response.status_code == 200


def test_missing_id_is_a_required_violation(client: httpx.Client, auth: dict[str, str]) -> None:
    message = envelope()
    del message["body"]["xdmEntity"]["_id"]
    response = client.post("/collection/abc?syncValidation=true", json=message, headers=auth)
    assert causes(response)[0]["keyword"] == "required"


@pytest.mark.parametrize(("path", "pointer"), [
    (("header", "imsOrgId"), "#/header"),
    (("header", "datasetId"), "#/header"),
    (("header", "schemaRef", "contentType"), "#/header/schemaRef/contentType"),
    (("header", "schemaRef", "id"), "#/header/schemaRef/id"),
    (("body", "xdmMeta"), "#/body"),
    (("body", "xdmEntity"), "#/body"),
])
def test_envelope_checks(client: httpx.Client, auth: dict[str, str], path: tuple[str, ...], pointer: str) -> None:
    message = envelope()
    parent = message
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    response = client.post("/collection/abc", json=message, headers=auth)
    assert response.status_code == 400
    assert causes(response)[0]["pointerToViolation"] == pointer


def test_at_most_five_violations(client: httpx.Client, auth: dict[str, str]) -> None:
    message = {"header": {"schemaRef": 1, "imsOrgId": 2, "datasetId": 3}, "body": {"xdmMeta": 4, "xdmEntity": 5}}
    response = client.post("/collection/abc", json=message, headers=auth)
    assert response.status_code == 400
    found = causes(response)
    assert len(found) == 5
    assert response.json()["report"]["cause"]["_streamingValidation"][0]["message"] == "5 schema violations found"


def test_missing_token_is_401(client: httpx.Client) -> None:
    response = client.post("/collection/abc", json=envelope())
    assert response.status_code == 401
    body = response.json()
    assert body["status"] == "401"
    assert body["title"] == "Authorization"
    assert "Ims service token is empty" in body["report"]["message"]


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer eyJ.fake.token"])
def test_unknown_token_is_403(client: httpx.Client, header: str) -> None:
    response = client.post("/collection/abc", json=envelope(), headers={"Authorization": header})
    assert response.status_code == 403
    assert response.json()["status"] == "403"


def test_expired_token_is_403(sb: Sandbox, client: httpx.Client, auth: dict[str, str]) -> None:
    assert client.post("/collection/abc", json=envelope(), headers=auth).status_code == 200
    assert sb.expire_tokens() >= 1
    response = client.post("/collection/abc", json=envelope(), headers=auth)
    assert response.status_code == 403
    assert "expired" in response.json()["report"]["message"]


def test_expire_tokens_control_endpoint(client: httpx.Client, auth: dict[str, str]) -> None:
    assert client.post("/_sandbox/expire-tokens").json()["expired"] == 1
    assert client.post("/collection/abc", json=envelope(), headers=auth).status_code == 403


def test_token_ttl_expires_tokens() -> None:
    from app.sandbox import SandboxConfig

    with Sandbox(SandboxConfig(token_ttl=0)) as short, http_client(base_url=short.base_url) as http:
        token = issue_token(http)
        response = http.post("/collection/abc", json=envelope(), headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 403


def test_declared_inlets_only(sb: Sandbox, client: httpx.Client, auth: dict[str, str]) -> None:
    sb.add_inlet("known")
    sb.add_inlet("open", authenticated=False)
    assert client.post("/collection/known", json=envelope(), headers=auth).status_code == 200
    assert client.post("/collection/open", json=envelope()).status_code == 200
    missing = client.post("/collection/other", json=envelope(), headers=auth)
    assert missing.status_code == 404
    assert missing.json()["status"] == 404


def test_malformed_json_is_400_in_inlet_shape(client: httpx.Client, auth: dict[str, str]) -> None:
    response = client.post("/collection/abc", content=b'{"header": ', headers={**auth, "Content-Type": "application/json"})
    assert response.status_code == 400
    body = response.json()
    assert body["title"] == "Invalid JSON"
    assert "line 1" in body["report"]["message"]


def test_invalid_utf8_is_400(client: httpx.Client, auth: dict[str, str]) -> None:
    response = client.post("/collection/abc", content=b'{"a": "\xff\xfe"}', headers={**auth, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert "UTF-8" in response.json()["report"]["message"]


def test_wrong_content_type_is_400(client: httpx.Client, auth: dict[str, str]) -> None:
    response = client.post("/collection/abc", content=json.dumps(envelope()), headers={**auth, "Content-Type": "text/plain"})
    assert response.status_code == 400
    assert response.json()["title"] == "Invalid Content-Type"


def test_over_one_megabyte_is_413(client: httpx.Client, auth: dict[str, str]) -> None:
    message = envelope(padding="x" * (1024 * 1024))
    response = client.post("/collection/abc", json=message, headers=auth)
    assert response.status_code == 413
    assert response.json()["status"] == 413


def test_batch_answers_207_per_message(client: httpx.Client, auth: dict[str, str]) -> None:
    messages = [envelope(), envelope(_id=5), envelope()]
    response = client.post("/collection/batch/abc?syncValidation=true", json={"messages": messages}, headers=auth)
    assert response.status_code == 207
    body = response.json()
    batch_id = body["batchId"]
    assert body["inletId"] == "abc"
    assert body["responses"][0] == {"xactionId": f"{batch_id}:0"}
    assert body["responses"][1]["statusCode"] == 400
    assert "#/_id" in body["responses"][1]["message"]
    assert body["responses"][2] == {"xactionId": f"{batch_id}:2"}


def test_batch_needs_messages(client: httpx.Client, auth: dict[str, str]) -> None:
    response = client.post("/collection/batch/abc", json=[envelope()], headers=auth)
    assert response.status_code == 400


def test_batch_over_one_megabyte_is_413(client: httpx.Client, auth: dict[str, str]) -> None:
    messages = [envelope(padding="x" * 300_000) for _ in range(4)]
    response = client.post("/collection/batch/abc", json={"messages": messages}, headers=auth)
    assert response.status_code == 413


def test_batch_requires_token(client: httpx.Client) -> None:
    assert client.post("/collection/batch/abc", json={"messages": []}).status_code == 401
