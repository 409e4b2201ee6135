"""Pytest fixtures for the embedded sandbox: ``sandbox`` (a running Sandbox) and ``sandbox_url``.

Registered by the root conftest through ``pytest_plugins``. Each test gets its own server on
a free loopback port, stopped (thread joined, port freed) after the test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.sandbox import Sandbox, SandboxConfig


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """A running sandbox with the default identities (client 1234/5678, sandbox-app-key)."""
    with Sandbox(SandboxConfig()) as running:
        yield running


@pytest.fixture
def sandbox_url(sandbox: Sandbox) -> str:
    """The running sandbox's base URL, e.g. ``http://127.0.0.1:54321``."""
    return sandbox.base_url
