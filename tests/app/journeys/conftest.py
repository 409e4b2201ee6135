"""Journey tests reuse the call engine's fixtures: sample services pointed at a running sandbox."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.journeys.files import load_journey
from app.services import SANDBOX_URL_VAR
from tests.app.calls.conftest import call, resolver, retry_clock  # noqa: F401 - fixtures
from tests.app.journeys import runkit
from tests.helpers.clock import SkippingClock
from tests.helpers.once import made_once


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


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> runkit.SampleRun:
    """The sample journey over the sample's profiles against the sandbox, seed 11, its progress kept:
    made once for the whole test run (~0.3 s of CPU; the first xdist worker to ask makes it, the others
    read it back: tests.helpers.once), read by the runner's, the counts', the expectations' and the
    exports' tests (each made the same run for itself); none of them changes it."""
    def make(folder: Path) -> runkit.SampleRun:  # the maker alone needs a sandbox
        return _run_sample(folder, request.getfixturevalue("_session_sandbox"))
    return made_once(tmp_path_factory, "once-sample-run", make)


def _run_sample(folder: Path, sandbox: Any) -> runkit.SampleRun:
    if not sandbox.running:  # as the `sandbox` fixture: serve again, fresh
        sandbox.start()
    sandbox.reset()
    with runkit.sample_services(folder) as services:
        home = services.workspace.home
        resolver = services.resolver(overrides={SANDBOX_URL_VAR: sandbox.base_url})
        progress: list[Any] = []
        ran = runkit.run(home, services, resolver, load_journey(home, "sampleJourney"),
                         home / "profiles" / "purchases.csv", seed=11, retry_clock=SkippingClock(),
                         progress=progress.append)
        tokens = sandbox.counters()["token"]
        auth = services.workspace.load("writeJourneyEvent").auth
        token = services.auth.credentials(auth, resolver)[0]["Authorization"]  # the run's, remembered
        return runkit.SampleRun(home, ran, tuple(progress), token, tokens)
