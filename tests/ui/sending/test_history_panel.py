"""The history panel: a lazy table model over SQLite, filters, details, re-send, export."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.calls import example_values, send
from app.calls.history import Filter, History, history_of
from app.calls.record import CallResult
from ui.sending import HistoryPanel
from ui.sending.history_panel import PAGE, HistoryModel, RowRole


def fake(i: int) -> CallResult:
    return CallResult(action=f"a{i % 3}", outcome="http_200" if i % 5 else "http_503", duration_ms=float(i))


def test_model_pages_lazily_and_passes_the_model_tester(qtmodeltester, tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        history.add_many([fake(i) for i in range(450)])
        model = HistoryModel(history)
        assert model.rowCount() == 0 and model.canFetchMore()
        model.fetchMore()
        assert model.rowCount() == PAGE
        while model.canFetchMore():
            model.fetchMore()
        assert model.rowCount() == 450
        assert model.data(model.index(0, 1)) == "a2"  # newest first: row 449
        assert model.data(model.index(0, 0), RowRole).id == 450
        qtmodeltester.check(model)
        model.set_filter(Filter(outcome="http_503"))
        model.fetchMore()
        assert model.rowCount() == 90
        qtmodeltester.check(model)


def test_panel_filters_sorts_and_shows_details(qtbot, gui_services) -> None:
    history = history_of(gui_services)
    action = gui_services.workspace.load("notifyWebhook")
    for i in range(3):
        send(action, {"customerId": f"cust-{i}"}, services=gui_services, history=history)
    history.add_many([fake(i) for i in range(10)])
    panel = HistoryPanel(gui_services)
    qtbot.addWidget(panel)
    assert panel.proxy.rowCount() == 13 and panel.count.text() == "13 calls"
    panel.search.setText("cust-1")
    qtbot.waitUntil(lambda: panel.proxy.rowCount() == 1, timeout=3000)
    panel.search.clear()
    qtbot.waitUntil(lambda: panel.proxy.rowCount() == 13, timeout=3000)
    panel.outcome.setCurrentIndex(panel.outcome.findData("error"))
    assert panel.proxy.rowCount() == 2
    panel.outcome.setCurrentIndex(0)
    panel.on_sort(5)
    durations = [panel.proxy.data(panel.proxy.index(r, 5)) for r in range(panel.proxy.rowCount())]
    assert len(durations) == 13
    panel.search.setText("cust-2")
    qtbot.waitUntil(lambda: panel.proxy.rowCount() == 1, timeout=3000)
    panel.select_row(0)
    assert panel.resend_button.isEnabled()
    assert '"customerId": "cust-2"' in panel.details.response_body.toPlainText()


def test_resend_and_live_update(qtbot, gui_services, sandbox) -> None:
    history = history_of(gui_services)
    action = gui_services.workspace.load("airshipCustomEvent")
    send(action, example_values(action) | {"body.name": "resent_event"}, services=gui_services, history=history)
    panel = HistoryPanel(gui_services)
    qtbot.addWidget(panel)
    panel.select_row(0)
    with qtbot.waitSignal(panel.resent, timeout=15000) as caught:
        panel.resend_button.click()
    result = caught.args[0]
    assert result.ok and result.values["body.name"] == "resent_event"
    assert sandbox.counters()["custom_events"] == 2
    qtbot.waitUntil(lambda: panel.proxy.rowCount() == 2, timeout=5000)  # the re-sent call appeared


def test_export_json_lines(qtbot, gui_services, answers, tmp_path: Path) -> None:
    history = history_of(gui_services)
    history.add_many([fake(i) for i in range(7)])
    panel = HistoryPanel(gui_services)
    qtbot.addWidget(panel)
    answers.save_file = tmp_path / "out.jsonl"
    panel.on_export()
    qtbot.waitUntil(lambda: "exported 7 calls" in panel.count.text(), timeout=5000)
    lines = (tmp_path / "out.jsonl").read_text().splitlines()
    assert len(lines) == 7 and json.loads(lines[0])["action"] == "a0"
