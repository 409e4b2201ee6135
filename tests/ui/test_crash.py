"""An unexpected exception in the window: a dialog (what, where the report is), a report without
secrets in the log folder, and the window running on."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer

from app.logs import LOG_DIR_ENV
from ui.crash import CrashReporter


@pytest.mark.qt_no_exception_capture  # the reporter is the hook under test, not pytest-qt's
def test_an_exception_in_a_slot_is_reported_and_the_window_runs_on(window, qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv(LOG_DIR_ENV, str(tmp_path / "logs"))
    reporter = CrashReporter(window).install()

    def broken_slot() -> None:
        raise ValueError("token call said client_secret=5678 Authorization: Bearer sandbox-airship-token")

    try:
        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: len(reporter.dialogs) == 1)
        QTimer.singleShot(0, broken_slot)  # again while the dialog is open: reported, not shown twice
        qtbot.waitUntil(lambda: len(reporter.reports) == 2)
    finally:
        reporter.uninstall()
    dialog = reporter.dialogs[0]
    assert dialog.isVisible() and not dialog.isModal() and len(reporter.dialogs) == 1
    path = reporter.reports[0]
    assert path.parent == tmp_path / "logs" and path.name.startswith("crash-")
    assert "ValueError" in dialog.text() and str(path) in dialog.informativeText()
    report = path.read_text("utf-8")
    assert "broken_slot" in report and "ValueError" in report
    shown = report + dialog.text() + dialog.informativeText() + dialog.detailedText()
    assert "5678" not in shown and "sandbox-airship-token" not in shown

    dialog.close()
    window.menus.new_act.trigger()  # the window still works
    qtbot.waitUntil(lambda: window.current_name().startswith("newAction"))


def test_a_dying_thread_is_reported_and_the_hooks_are_given_back(qtbot, monkeypatch, tmp_path):
    import sys
    import threading

    from PySide6.QtWidgets import QWidget

    monkeypatch.setenv(LOG_DIR_ENV, str(tmp_path / "logs"))
    before, before_thread = sys.excepthook, threading.excepthook
    parent = QWidget()  # only the dialogs' parent: a thread's death shows none (no window needed to prove it)
    qtbot.addWidget(parent)
    reporter = CrashReporter(parent).install()
    assert sys.excepthook == reporter.hook and threading.excepthook == reporter.thread_hook

    def dies() -> None:
        raise OSError("password=hunter2 refused")

    thread = threading.Thread(target=dies, name="worker-x")
    thread.start()
    thread.join()
    reporter.uninstall()
    assert sys.excepthook is before and threading.excepthook is before_thread
    (path,) = reporter.reports
    report = path.read_text("utf-8")
    assert "OSError" in report and "hunter2" not in report and reporter.dialogs == []
