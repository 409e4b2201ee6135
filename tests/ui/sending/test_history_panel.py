"""The history panel: a lazy table model over SQLite, filters, details, re-send, export."""
from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from app.calls import example_values, send
from app.calls.history import Filter, History, history_of
from app.calls.record import CallResult
from tests.ui.conftest import wait_idle
from ui.sending import HistoryPanel
from ui.sending.history_model import PAGE, HistoryModel, RowRole


def fake(i: int) -> CallResult:
    return CallResult(action=f"a{i % 3}", outcome="http_200" if i % 5 else "http_503", duration_ms=float(i))


def test_model_pages_lazily_off_the_ui_thread_and_passes_the_model_tester(qtbot, qtmodeltester,
                                                                          tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        history.add_many([fake(i) for i in range(450)])
        model = HistoryModel(history)
        model.reload()
        assert model.rowCount() == 0 and not model.canFetchMore() and model.busy()  # asked, not yet answered
        with qtbot.waitSignal(model.loaded):
            pass
        assert model.rowCount() == PAGE and model.total == 450 and model.canFetchMore()
        while model.canFetchMore():
            with qtbot.waitSignal(model.loaded):
                model.fetchMore()
        assert model.rowCount() == 450
        assert model.data(model.index(0, 1)) == "a2"  # newest first: row 449
        assert model.data(model.index(0, 0), RowRole).id == 450
        assert len({model.data(model.index(r, 0), RowRole).id for r in range(450)}) == 450  # no page twice
        qtmodeltester.check(model)
        with qtbot.waitSignal(model.loaded):
            model.set_filter(Filter(outcome="http_503"))
        assert model.rowCount() == 90 and not model.canFetchMore()
        qtmodeltester.check(model)
        wait_idle(qtbot)


def test_an_answer_for_a_changed_filter_is_dropped(qtbot, tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        history.add_many([fake(i) for i in range(20)])
        model = HistoryModel(history)
        model.set_filter(Filter(outcome="http_200"))
        with qtbot.waitSignal(model.loaded):
            model.set_filter(Filter(outcome="http_503"))  # before the first answer came
        wait_idle(qtbot)
        assert model.total == 4 and {model.row_at(r).outcome for r in range(model.rowCount())} == {"http_503"}


@pytest.fixture
def quick_panel(monkeypatch: pytest.MonkeyPatch) -> None:
    """The panel searches 10 ms after the text changes (not 250) and shows new rows within 10 ms (not
    300): each search here sets the whole text at once, and the pauses are not what is tested."""
    monkeypatch.setattr("ui.sending.history_panel.SEARCH_PAUSE_MS", 10)
    monkeypatch.setattr("ui.sending.history_panel.REFRESH_MS", 10)


def test_panel_filters_sorts_and_shows_details(qtbot, gui_services, quick_panel) -> None:
    history = history_of(gui_services)
    action = gui_services.workspace.load("notifyWebhook")
    for i in range(3):
        send(action, {"customerId": f"cust-{i}"}, services=gui_services, history=history)
    history.add_many([fake(i) for i in range(10)])
    panel = HistoryPanel(gui_services)
    qtbot.addWidget(panel)
    wait_idle(qtbot)
    assert panel.proxy.rowCount() == 13 and panel.count.text() == "13 calls"
    assert panel.outcome.findData("http_503") > 0  # the outcomes recorded, read off the UI thread
    panel.search.setText("cust-1")
    qtbot.waitUntil(lambda: panel.proxy.rowCount() == 1, timeout=3000)
    panel.search.clear()
    qtbot.waitUntil(lambda: panel.proxy.rowCount() == 13, timeout=3000)
    panel.outcome.setCurrentIndex(panel.outcome.findData("error"))
    wait_idle(qtbot)
    assert panel.proxy.rowCount() == 2 and panel.count.text() == "2 calls"
    panel.outcome.setCurrentIndex(0)
    wait_idle(qtbot)
    panel.on_sort(5)
    durations = [panel.proxy.data(panel.proxy.index(r, 5)) for r in range(panel.proxy.rowCount())]
    assert len(durations) == 13
    panel.search.setText("cust-2")
    qtbot.waitUntil(lambda: panel.proxy.rowCount() == 1, timeout=3000)
    panel.select_row(0)
    qtbot.waitUntil(panel.resend_button.isEnabled)  # the call is read off the UI thread
    assert '"customerId": "cust-2"' in panel.details.response_body.toPlainText()


def test_a_call_is_one_line_with_its_time_whole(qtbot, gui_services, quick_panel) -> None:
    """At the default width the time wrapped onto two lines ("2026-11-30" above "19:34:26")."""
    history_of(gui_services).add_many([fake(i) for i in range(3)])
    panel = HistoryPanel(gui_services)
    qtbot.addWidget(panel)
    panel.resize(1200, 400)
    panel.show()
    wait_idle(qtbot)
    table, time = panel.table, panel.proxy.index(0, 0).data()
    assert len(time) == 19 and not table.wordWrap()
    assert table.columnWidth(0) > table.fontMetrics().horizontalAdvance(time)
    assert table.columnWidth(5) > table.fontMetrics().horizontalAdvance("Duration (ms)")  # its header whole


def test_resend_and_live_update(qtbot, gui_services, sandbox, quick_panel) -> None:
    history = history_of(gui_services)
    action = gui_services.workspace.load("airshipCustomEvent")
    send(action, example_values(action) | {"body.name": "resent_event"}, services=gui_services, history=history)
    panel = HistoryPanel(gui_services)
    qtbot.addWidget(panel)
    wait_idle(qtbot)
    panel.select_row(0)
    qtbot.waitUntil(panel.resend_button.isEnabled)
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
    wait_idle(qtbot)
    answers.save_file = tmp_path / "out.jsonl"
    panel.on_export()
    qtbot.waitUntil(lambda: "exported 7 calls" in panel.count.text(), timeout=5000)
    lines = (tmp_path / "out.jsonl").read_text().splitlines()
    assert len(lines) == 7 and json.loads(lines[0])["action"] == "a0"


def test_no_query_runs_on_the_ui_thread(qtbot, gui_services, quick_panel) -> None:
    history = history_of(gui_services)
    history.add_many([fake(i) for i in range(PAGE + 50)])
    reads: set[str] = set()  # the threads that read

    def trace(sql: str) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            reads.add(threading.current_thread().name)

    history._conn().set_trace_callback(trace)
    panel = HistoryPanel(gui_services)
    qtbot.addWidget(panel)
    wait_idle(qtbot)
    panel.table.scrollToBottom()  # the view asks for the next page
    qtbot.waitUntil(lambda: panel.model.rowCount() == PAGE + 50)
    panel.search.setText("a1")
    qtbot.waitUntil(lambda: panel.count.text() == f"{(PAGE + 50) // 3} calls")
    panel.outcome.setCurrentIndex(panel.outcome.findData("http_503"))
    qtbot.waitUntil(lambda: panel.count.text() == "16 calls")
    panel.select_row(0)
    qtbot.waitUntil(panel.resend_button.isEnabled)
    writer = threading.Thread(target=history.add, args=(fake(10),))  # an a1 503, recorded by a worker
    writer.start()
    writer.join()
    qtbot.waitUntil(lambda: panel.count.text() == "17 calls")
    history._conn().set_trace_callback(None)
    assert reads and threading.main_thread().name not in reads


def test_a_history_of_a_newer_format_is_named_in_the_panel(qtbot, gui_services) -> None:
    path = gui_services.workspace.home / "history.sqlite3"
    with History(path):
        pass
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    panel = HistoryPanel(gui_services)
    qtbot.addWidget(panel)
    wait_idle(qtbot)
    assert panel.count.text() == "no history"
    assert panel.details.outcome.text().startswith(f"{path}: this history was written by a newer version")
