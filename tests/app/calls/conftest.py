"""Fixtures for the call engine: the sample workspace's services pointed at a running sandbox."""
from __future__ import annotations

from typing import Any

import pytest

from app.resolve import Resolver
from app.services import SANDBOX_URL_VAR


@pytest.fixture
def resolver(services: Any, sandbox: Any) -> Resolver:
    """The sample's sandbox environment with {{sandbox.url}} pointing at the test's sandbox."""
    return services.resolver(overrides={SANDBOX_URL_VAR: sandbox.base_url})


@pytest.fixture
def call(services: Any, resolver: Resolver):
    """call(name, values=None, **kwargs): send a sample action (example values by default)."""
    from app.calls import example_values, send

    def run(name: str, values: Any = None, **kwargs: Any):
        action = kwargs.pop("action", None) or services.workspace.load(name)
        if values is None:
            values = example_values(action)
        return send(action, values, engine=services.auth, resolver=resolver, **kwargs)

    return run
