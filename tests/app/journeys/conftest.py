"""Journey tests reuse the call engine's fixtures: sample services pointed at a running sandbox."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.app.calls.conftest import call, resolver, retry_clock  # noqa: F401 - fixtures
from tests.app.journeys import runkit


@pytest.fixture
def run_journey(services: Any, resolver: Any, tmp_path: Path, retry_clock: Any):  # noqa: F811 - the fixture
    """run_journey(journey, rows or a profiles file, **RunOptions/hooks) -> runkit.Ran, against the sandbox;
    the calls' retries wait on `retry_clock` (skipped waits) unless a `retry_clock` is given."""
    def go(journey: Any, profiles: Any, **kwargs: Any) -> runkit.Ran:
        kwargs.setdefault("retry_clock", retry_clock)
        path = profiles if isinstance(profiles, Path) else runkit.rows(tmp_path / "profiles.jsonl", profiles)
        return runkit.run(services.workspace.home, services, resolver, journey, path, **kwargs)
    return go
