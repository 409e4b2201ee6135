"""Shared fixtures of the sandbox contract tests: one server per module, reset per test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from app.sandbox import Sandbox, SandboxConfig
from tests.helpers.http import client as http_client

# The root conftest registers these through pytest_plugins; importing them here as well keeps
# this folder runnable on its own (a conftest-level fixture simply takes precedence).
from tests.helpers.sandbox_fixture import sandbox, sandbox_url  # noqa: F401

CE_HEADERS = {
    "Authorization": "Bearer sandbox-airship-token",
    "X-UA-Appkey": "SandboxDemoAppKey00001",
    "Accept": "application/vnd.urbanairship+json; version=3",
}
XDM_TYPE = "application/vnd.adobe.xed-full+json;version=1.0"
SCHEMA = {"id": "https://ns.adobe.com/tenant/schemas/abc123", "contentType": XDM_TYPE}


@pytest.fixture(scope="module")
def live() -> Iterator[Sandbox]:
    """One sandbox for the whole module: starting one per test would dominate the run time."""
    with Sandbox(SandboxConfig(token_ttl=3600)) as running:
        yield running


@pytest.fixture
def sb(live: Sandbox) -> Sandbox:
    """The module's sandbox, reset to its defaults before the test."""
    live.reset()
    return live


@pytest.fixture
def client(sb: Sandbox) -> Iterator[httpx.Client]:
    """A keep-alive client on the sandbox, closed after the test."""
    with http_client(base_url=sb.base_url, timeout=5) as http:  # one TLS context for all: see the helper
        yield http


def occurred(delta: timedelta = timedelta(hours=-1)) -> str:
    """An ``occurred`` value relative to now (UTC, the API's format)."""
    return (datetime.now(UTC) + delta).strftime("%Y-%m-%dT%H:%M:%S")


def event(**overrides: Any) -> dict[str, Any]:
    """A valid custom event; keyword arguments replace top-level keys."""
    base: dict[str, Any] = {
        "occurred": occurred(),
        "user": {"named_user_id": "hugh.manbeing"},
        "body": {"name": "purchased", "value": 239.85, "transaction": "886f53d4",
                 "properties": {"brand": "Victory Sneakers", "colors": ["red", "blue"]}},
    }
    base.update(overrides)
    return base


def envelope(**entity: Any) -> dict[str, Any]:
    """A valid streaming-inlet message; keyword arguments replace xdmEntity fields."""
    xdm = {"_id": "rec-1", "timestamp": "2018-11-12T20:20:39+00:00", "eventType": "journey.step"}
    xdm.update(entity)
    return {
        "header": {"schemaRef": dict(SCHEMA), "imsOrgId": "ORG@AdobeOrg", "datasetId": "ds1",
                   "source": {"name": "Custom Journey Events"}},
        "body": {"xdmMeta": {"schemaRef": dict(SCHEMA)}, "xdmEntity": xdm},
    }


def issue_token(http: httpx.Client) -> str:
    """A fresh token from the sandbox's token endpoint with the default client."""
    response = http.post("/ims/token/v3", data={
        "grant_type": "client_credentials", "client_id": "1234", "client_secret": "5678", "scope": "openid"})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])
