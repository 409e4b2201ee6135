"""Journey tests reuse the call engine's fixtures: sample services pointed at a running sandbox."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.app.calls.conftest import call, resolver, retry_clock  # noqa: F401 - fixtures
from tests.app.journeys import runkit
from tests.helpers.clock import SkippingClock


@pytest.fixture
def run_journey(services: Any, resolver: Any, tmp_path: Path):  # noqa: F811 - the fixture
    """run_journey(journey, rows or a profiles file, **RunOptions/hooks) -> runkit.Ran, against the sandbox;
    the calls' retries skip their waits (tests.helpers.clock) unless a `retry_clock` is given."""
    skipping = SkippingClock()  # not the retry_clock fixture: tests/ui/journeys imports this one alone

    def go(journey: Any, profiles: Any, **kwargs: Any) -> runkit.Ran:
        kwargs.setdefault("retry_clock", skipping)
        path = profiles if isinstance(profiles, Path) else runkit.rows(tmp_path / "profiles.jsonl", profiles)
        return runkit.run(services.workspace.home, services, resolver, journey, path, **kwargs)
    return go
