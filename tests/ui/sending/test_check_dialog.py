"""The "Check endpoint" dialog: a run against the sandbox with its plot, the confirmation a real
host needs, and Stop halting at once with a partial report; all off the UI thread."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from ui.check_dialog import CheckDialog


def open_check(host: QWidget, services: Any, name: str, rate: int, duration: float) -> CheckDialog:
    dialog = CheckDialog(services, services.workspace.load(name), host)
    dialog.rate.setValue(rate)
    dialog.duration.setValue(duration)
    dialog.show()
    return dialog


def test_a_check_against_the_sandbox_plots_and_reports(qtbot, host, gui_services, answers) -> None:
    dialog = open_check(host, gui_services, "airshipCustomEvent", 20, 1.1)  # two seconds on the plot
    with qtbot.waitSignal(dialog.finished_check, timeout=30000) as done:
        dialog.start_button.click()
        assert not dialog.start_button.isEnabled() and dialog.stop_button.isEnabled()
    report = done.args[0]
    assert report.started == 22 and report.ok == 22 and not report.cancelled
    assert "22 of 22 calls started" in dialog.report_view.toPlainText() and dialog.status.text() == "Done"
    assert [p["second"] for p in dialog.plot.points] == [0, 1] and dialog.start_button.isEnabled()
    assert answers.asked == []  # the sandbox is this machine: nothing to confirm
    assert not dialog.plot.grab().isNull()


def test_a_real_host_is_called_only_when_confirmed(qtbot, host, gui_services, answers) -> None:
    envs = gui_services.environments()
    gui_services.save_environments(envs.model_copy(update={"active": "production"}))
    answers.confirm = False
    dialog = open_check(host, gui_services, "writeJourneyEvent", 300, 2)
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.start_button.isEnabled(), timeout=15000)
    assert answers.asked == [("confirm", "This check makes 600 calls to dcs.adobedc.net, ims-na1.adobelogin.com "
                                         "(300 calls per second for 2 s), plus its token calls: real traffic to a "
                                         "real endpoint.")]
    assert dialog.status.text() == "Not started: the real endpoint was not confirmed; nothing was sent"
    assert not dialog.running


def test_stop_halts_at_once_with_a_partial_report(qtbot, host, gui_services, sandbox) -> None:
    sandbox.set_fault("custom_events", hang=True)
    dialog = open_check(host, gui_services, "airshipCustomEvent", 100, 60)
    dialog.start_button.click()
    qtbot.waitUntil(lambda: sandbox.counters().get("custom_events", 0) >= 5, timeout=15000)
    with qtbot.waitSignal(dialog.finished_check, timeout=15000) as done:
        dialog.stop_button.click()
    report = done.args[0]
    assert report.cancelled and report.started >= 5 and report.completed == 0
    assert dialog.status.text() == "Stopped: partial report" and "stopped early" in dialog.report_view.toPlainText()


def test_closing_the_dialog_stops_its_check(qtbot, host, gui_services, sandbox) -> None:
    sandbox.set_fault("custom_events", hang=True)
    dialog = open_check(host, gui_services, "airshipCustomEvent", 20, 60)
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.running, timeout=15000)
    cancel = dialog._cancel
    dialog.close()
    assert cancel is not None and cancel.is_set()
