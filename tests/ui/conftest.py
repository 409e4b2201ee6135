"""Fixtures for the window tests: settings in a temp file, scripted answers, a ready main window."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

import pytest
import shiboken6

from tests.ui.helpers.answers import Answers

# The offscreen platform says this whenever a window's size hints change; it is not a problem.
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui" in item.path.as_posix():
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def _settings_file(_isolated: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The window's settings file, in the test's own config folder (tests/conftest.py's `_isolated`), not
    in a `tmp_path`: pytest's lists every folder made so far in the session each time (~0.6 ms a test
    after 500), and most tests here ask for none."""
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "settings.ini"
    monkeypatch.setenv("ACTION_STUDIO_SETTINGS", str(path))
    return path


@pytest.fixture(scope="session")
def _ui_collector(qapp: Any) -> Any:
    from ui.gcguard import UiThreadCollector

    return UiThreadCollector(qapp)


@pytest.fixture(autouse=True)
def _collect_on_ui_thread(_ui_collector: Any) -> Iterator[None]:
    """As in the app (ui/app.py): during a window's test, the cyclic collector runs on the UI thread only,
    never in a worker thread that allocates (a worker segfaulted collecting a cycle that held Qt objects);
    between tests, what is due is collected here and the automatic collector is back for the tests of
    app/, which run no event loop."""
    _ui_collector.start()
    yield
    _ui_collector.stop()


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    return Answers().install(monkeypatch)


def wait_idle(qtbot: Any, timeout: int = 15000) -> None:
    """Wait until every background job has delivered its result to the GUI thread."""
    from ui import workers

    qtbot.waitUntil(lambda: not workers.busy(), timeout=timeout)


def wait_opened(qtbot: Any, window: Any, timeout: int = 5000) -> None:
    """Wait until the action the window is opening (its file is read in a worker) is shown."""
    qtbot.waitUntil(lambda: not window.current.is_opening(), timeout=timeout)


def open_window(qtbot: Any, home: Path, services: Any, shown_while_loading: bool = False) -> Any:
    """The window on `home`, loaded, shown and idle.

    It is shown once loaded: painted once, in its final layout. Shown first, as the app shows it, it is
    painted at each step of its start (the placeholder, the list, the pane, the pane again once the
    splitter made room for it): 10-15 ms of CPU of an open's ~100 (measured: 25 opens, 110 -> 98 ms a
    test), in each of the ~100 tests about what the window does once open. The tests about the start itself (what a start restores, the first
    run) pass `shown_while_loading`; test_window_startup watches that order."""
    from ui import create_main_window

    window = create_main_window(home, services)
    qtbot.addWidget(window)
    if shown_while_loading:
        window.show()
    qtbot.waitUntil(window.is_ready, timeout=15000)
    wait_idle(qtbot)
    if not shown_while_loading:
        with qtbot.waitExposed(window):
            window.show()
        wait_idle(qtbot)
    return window


def close_window(qtbot: Any, window: Any, answers: Answers) -> None:
    answers.save_discard_cancel = "discard"
    wait_idle(qtbot)
    # pytest-qt closes and deleteLater()s every addWidget'ed widget before fixtures tear down; the
    # deferred delete runs in the first nested event loop (wait_idle), so the window may be gone.
    if shiboken6.isValid(window):
        window.close()


@pytest.fixture
def window(qtbot: Any, services: Any, answers: Answers) -> Iterator[Any]:
    """The main window on a sample workspace copy (in-memory keyring), ready to drive."""
    win = open_window(qtbot, services.workspace.home, services)
    yield win
    close_window(qtbot, win, answers)
