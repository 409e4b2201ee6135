"""The journey view's tests on the sample workspace: the runner's fixtures (sample services, a running
sandbox) for the diagram, a RunView with its own embedded sandbox, and big profiles files."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from app.journeys.files import load_journey
from tests.app.calls.conftest import resolver  # noqa: F401 - fixtures
from tests.app.journeys.conftest import run_journey  # noqa: F401
from ui.journeys.runview import RunView


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
