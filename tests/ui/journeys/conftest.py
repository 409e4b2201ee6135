"""The journey view's tests on the sample workspace: a RunView with its own embedded sandbox, big
profiles files, and the sample's run recorded once for the test run, for the tests about what a
finished run shows."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

from app.journeys.files import load_journey
from app.journeys.profiles import ProfileSource
from app.journeys.traces import runs_dir
from app.services import SANDBOX_URL_VAR
from tests.app.journeys import runkit
from tests.helpers.clock import SkippingClock
from tests.helpers.once import made_once
from ui.journeys.runbar import RunBar
from ui.journeys.runview import RunView

SAMPLE_SEED = 3  # the seed the window tests ran the sample with (the CLI's run of it is compared)


@pytest.fixture
def run_view(qtbot: Any, services: Any) -> Iterator[RunView]:
    view = RunView(services, load_journey(services.workspace.home, "sampleJourney"))
    qtbot.addWidget(view)
    view.resize(1300, 900)
    view.show()
    yield view
    view.runbar.stop()
    if view.runbar.running:
        qtbot.waitUntil(lambda: not view.runbar.running, timeout=10000)
    from tests.ui.conftest import wait_idle

    wait_idle(qtbot)


def big_profiles(path: Path, rows: int) -> Path:
    """A CSV of `rows` purchases for the sample journey (a tenth over the VIP threshold)."""
    lines = ["profileId,event.customerId,event.value,event.transaction,event.timestamp"]
    lines += [f"p-{i:06d},c-{i},{150.0 if i % 10 == 0 else 20.5},t-{i},2026-11-01T10:00:00Z" for i in range(1, rows + 1)]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(autouse=True)
def run_processes_end(qtbot: Any) -> Iterator[None]:
    """Every run's child process has exited before the next test (none is left running)."""
    yield
    from ui.journeys import runprocess

    qtbot.waitUntil(lambda: not runprocess.busy(), timeout=15000)


@pytest.fixture(scope="session")
def recorded_sample(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """The sample journey over the sample's profiles against the sandbox (seed 3, the bar's preset), run
    through the real runner once for the whole test run (the first xdist worker to ask makes it, the
    others wait on a lock and read it): the trace a window run of it records. The tests about what a
    finished run shows open a copy of it (each of their own runs cost ~0.3 s of CPU in the zygote's
    child); those about running keep their own run. None changes it."""
    def make(folder: Path) -> Path:  # the maker alone needs a sandbox
        return _record_sample(folder / "home", request.getfixturevalue("_session_sandbox"))
    return made_once(tmp_path_factory, "once-recorded-sample", make)


def _record_sample(home: Path, sandbox: Any) -> Path:
    if not sandbox.running:  # as the `sandbox` fixture: serve again, fresh
        sandbox.start()
    sandbox.reset()
    with runkit.sample_services(home) as services:
        resolver = services.resolver(overrides={SANDBOX_URL_VAR: sandbox.base_url})
        journey = load_journey(home, "sampleJourney")
        runner = runkit.make_run(home, services, resolver, journey, seed=SAMPLE_SEED, retry_clock=SkippingClock())
        with ProfileSource.open(home / "profiles" / "purchases.csv", journey.entry) as source:
            return Path(runner.run(source).path)


def open_recorded(qtbot: Any, bar: RunBar, recorded: Path) -> Path:
    """A copy of the recorded run in the bar's workspace, opened through the window's own way to a
    past run (listed off the UI thread, chosen, "Open"): the view shows it as when the run finished."""
    path = runs_dir(bar.services.workspace.home) / recorded.name
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(recorded, path)
    bar.refresh_runs(select=path)
    qtbot.waitUntil(lambda: bar.open_run.isEnabled() and bar.past.currentData() == str(path), timeout=10000)
    with qtbot.waitSignal(bar.runOpened, timeout=10000):
        bar.open_run.click()
    return path
