"""What the window remembers between runs (geometry, docks, the last workspace and action), and a
settings file of an older version migrated, never discarded."""
from __future__ import annotations

import argparse

from PySide6.QtCore import QSettings

from tests.ui.conftest import close_window, open_window, wait_idle
from tests.ui.test_mainwindow import select


def test_geometry_docks_and_last_action_come_back(qtbot, services, answers, _settings_file):
    from ui.windowstate import last_workspace

    window = open_window(qtbot, services.workspace.home, services, shown_while_loading=True)
    default = window.size()
    window.setGeometry(40, 50, 720, 560)
    select(qtbot, window, "writeJourneyEvent")
    window.panels.toggle_dock("history", True)
    window.panels.toggle_sandbox_panel(True)
    wait_idle(qtbot)
    size = window.size()
    assert size != default
    close_window(qtbot, window, answers)
    assert last_workspace() == services.workspace.home.resolve()

    again = open_window(qtbot, services.workspace.home, services, shown_while_loading=True)
    qtbot.waitUntil(lambda: again.current_name() == "writeJourneyEvent")
    assert again.size() == size
    docks = again.panels
    qtbot.waitUntil(lambda: set(docks.open_docks()) == {"history", "sandbox"})
    assert docks.docks.get("send") is None  # a panel that was not open is not built
    close_window(qtbot, again, answers)


def test_a_window_state_of_the_first_version_is_migrated(qtbot, services, answers, _settings_file):
    import hashlib

    key = hashlib.sha1(str(services.workspace.home.resolve()).encode()).hexdigest()[:12]
    old = QSettings(str(_settings_file), QSettings.Format.IniFormat)  # as 0.1.0 wrote it: no format
    old.setValue(f"last/{key}", "airshipCustomEvent")
    old.setValue("last/0123456789ab", "someOtherAction")  # another workspace's: kept too
    old.setValue("future/thing", "kept")
    old.sync()
    del old

    window = open_window(qtbot, services.workspace.home, services, shown_while_loading=True)
    qtbot.waitUntil(lambda: window.current_name() == "airshipCustomEvent")
    migrated = QSettings(str(_settings_file), QSettings.Format.IniFormat)
    assert migrated.value("format") in (2, "2")
    assert migrated.value("workspaces/0123456789ab/lastAction") == "someOtherAction"
    assert migrated.value("future/thing") == "kept" and migrated.childGroups().count("last") == 0
    close_window(qtbot, window, answers)


def test_a_newer_window_state_is_read_and_left_alone(qtbot, tmp_path):
    from ui.windowstate import open_settings

    path = tmp_path / "newer.ini"
    newer = QSettings(str(path), QSettings.Format.IniFormat)
    newer.setValue("format", 9)
    newer.setValue("last/abc", "kept as it is")
    newer.sync()
    del newer
    settings = open_settings(path)
    assert settings.value("last/abc") == "kept as it is" and settings.value("format") in (9, "9")


def test_the_last_workspace_is_opened_when_none_is_named(tmp_path, monkeypatch):
    from app.cli.gui_cmd import run
    from app.paths import HOME_ENV

    seen = []
    # What the `gui` command asks of the window (run_gui itself would block in the event loop).
    monkeypatch.setattr("ui.app.run_gui", lambda home, sample=False, last=False: seen.append((home, last)) or 0)
    monkeypatch.delenv(HOME_ENV)
    run(argparse.Namespace(home=None, sample=False))
    run(argparse.Namespace(home=str(tmp_path), sample=False))
    assert [last for _home, last in seen] == [True, False]
