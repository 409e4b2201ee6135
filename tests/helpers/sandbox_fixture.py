"""Pytest fixtures for the embedded sandbox: ``sandbox`` (a running Sandbox) and ``sandbox_url``.

Registered by the root conftest through ``pytest_plugins``. One server runs for the whole session
(starting one costs ~0.1-0.2 s, and some 90 tests use one); each test gets it reset to a fresh
sandbox (``Sandbox.reset``: log, counters, masked values, faults, identities, tokens). A test that
needs its own configuration, or stops the server, starts its own ``Sandbox``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.sandbox import Sandbox, SandboxConfig


@pytest.fixture(scope="session")
def _session_sandbox() -> Iterator[Sandbox]:
    with Sandbox(SandboxConfig()) as running:
        yield running


@pytest.fixture
def sandbox(_session_sandbox: Sandbox) -> Sandbox:
    """A running sandbox with the default identities (client 1234/5678, any well-formed app key), fresh."""
    if not _session_sandbox.running:  # a test stopped it after all: serve again (on a new port)
        _session_sandbox.start()
    _session_sandbox.reset()
    return _session_sandbox


@pytest.fixture
def sandbox_url(sandbox: Sandbox) -> str:
    """The running sandbox's base URL, e.g. ``http://127.0.0.1:54321``."""
    return sandbox.base_url
