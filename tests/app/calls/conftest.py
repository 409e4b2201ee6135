"""Fixtures for the call engine: the sample workspace's services pointed at a running sandbox."""
from __future__ import annotations

from typing import Any

import pytest

from app.resolve import Resolver
from app.services import SANDBOX_URL_VAR
from tests.helpers.clock import SkippingClock


@pytest.fixture
def resolver(services: Any, sandbox: Any) -> Resolver:
    """The sample's sandbox environment with {{sandbox.url}} pointing at the test's sandbox."""
    return services.resolver(overrides={SANDBOX_URL_VAR: sandbox.base_url})


@pytest.fixture
def retry_clock() -> SkippingClock:
    """The clock `call` gives the retry loop: its waits are skipped (and listed in `.waits`)."""
    return SkippingClock()


@pytest.fixture
def call(services: Any, resolver: Resolver, retry_clock: SkippingClock):
    """call(name, values=None, **kwargs): send a sample action (example values by default), its
    retries on `retry_clock` unless a `clock` is given."""
    from app.calls import example_values, send

    def run(name: str, values: Any = None, **kwargs: Any):
        action = kwargs.pop("action", None) or services.workspace.load(name)
        if values is None:
            values = example_values(action)
        kwargs.setdefault("clock", retry_clock)
        return send(action, values, engine=services.auth, resolver=resolver, **kwargs)

    return run
