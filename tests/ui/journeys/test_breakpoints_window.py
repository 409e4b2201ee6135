"""Breakpoints and Export… in the window: a conditional breakpoint set from the diagram's menu (its
condition checked as it is typed), the run pauses only the matching profile while the others finish,
the Paused list shows it and the trace its steps so far, Step runs one node, Resume finishes; the
run shown is exported off the UI thread."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton

from tests.ui.journeys.test_window_journeys import open_sample
from ui import ask
from ui.journeys.breakpoints import ConditionDialog
from ui.journeys.exportdialog import ExportDialog

CONDITION = '@journey{profileId} == "p-000006"'


def test_a_conditional_breakpoint_pauses_one_profile_steps_resumes_and_the_run_exports(
        qtbot: Any, window: Any, monkeypatch: Any, qtmodeltester: Any, tmp_path: Path) -> None:
    view = open_sample(qtbot, window)
    diagram, bar = view.diagram, view.run_view.runbar
    seen: dict[str, Any] = {}

    def condition(dialog: Any) -> int:
        assert isinstance(dialog, ConditionDialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        dialog.box.setText("@journey{profileId} ==")
        seen["refused"] = (ok.isEnabled(), dialog.box.problem.text())
        dialog.box.setText(CONDITION)
        seen["accepted"] = ok.isEnabled()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ask, "show_dialog", condition)
    (conditional,) = [a for a in diagram.breakpoint_actions("checkValue", None) if "conditional" in a.text()]
    conditional.trigger()
    assert seen["refused"][0] is False and "column 23" in seen["refused"][1] and seen["accepted"] is True
    assert diagram.nodes["checkValue"].breakpoint == CONDITION
    assert "Breakpoint when" in diagram.nodes["checkValue"].toolTip()
    assert [a.text() for a in diagram.breakpoint_actions("checkValue", None)] == [
        "Edit breakpoint condition…", "Remove breakpoint"]

    home = window.services.workspace.home
    bar.profiles.setText(str(home / "profiles" / "purchases.csv"))
    bar.seed.setText("3")
    qtbot.mouseClick(bar.run_button, Qt.MouseButton.LeftButton)
    pane = bar.paused
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1, timeout=60000)
    # the others went on: every other profile ended while p-000006 waits
    qtbot.waitUntil(lambda: bar.last_progress is not None and bar.last_progress.done == 302, timeout=60000)
    assert bar.running and pane.isVisible() and pane.title.text() == "Paused (1)"
    qtmodeltester.check(pane.model)
    pane.table.selectRow(0)
    trace = view.run_view.trace
    assert "p-000006" in trace.header.text() and "paused" in trace.header.text()
    assert trace.steps.topLevelItemCount() == 2  # purchase, writeEvent: checkValue not run yet
    qtbot.mouseClick(pane.step_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1 and pane.model.rows[0].why == "stepped one node",
                    timeout=30000)
    assert pane.model.rows[0].node == "vipEvent"  # exactly one node further
    pane.table.selectRow(0)
    assert trace.steps.topLevelItemCount() == 3
    with qtbot.waitSignal(view.countsShown, timeout=60000):
        qtbot.mouseClick(pane.resume_button, Qt.MouseButton.LeftButton)
    assert bar.result.outcomes == {"finished": 288, "rejected": 12, "discarded": 3}

    out = tmp_path / "log.json"

    def export(dialog: Any) -> int:
        assert isinstance(dialog, ExportDialog)
        dialog.format.setCurrentIndex(dialog.format.findData("curl"))
        seen["curl without profile"] = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
        dialog.format.setCurrentIndex(dialog.format.findData("platform-log"))
        dialog.file.setText(str(out))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ask, "show_dialog", export)
    qtbot.mouseClick(view.findChild(QPushButton, "journeyExportButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bar.status.text().startswith("Exported"), timeout=30000)
    assert seen["curl without profile"] is False
    assert bar.status.text() == f"Exported 288 entries to {out}"
    assert json.loads(out.read_text())["instanceCount"] == 288
