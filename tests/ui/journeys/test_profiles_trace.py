"""After a run against the sandbox: the table filters as the diagram asks, a profile shows its calls."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from app.calls.history import history_of
from app.journeys.model import Journey
from app.journeys.tracereader import TraceReader
from tests.ui.journeys.conftest import open_recorded
from ui.journeys.runview import RunView


@pytest.fixture
def ran(qtbot: Any, run_view: RunView, recorded_sample: Path) -> Path:
    """The sample's run against the sandbox shown in the view: opened as a past run (recorded once per
    worker, conftest.py), as these tests are about what a finished run shows, not about running it."""
    path = open_recorded(qtbot, run_view.runbar, recorded_sample)
    model = run_view.profiles.model
    qtbot.waitUntil(lambda: model.total == 303, timeout=10000)
    return path


def test_counts_clicked_filter_the_table_to_as_many_profiles(qtbot: Any, run_view: RunView, ran: Path) -> None:
    pane, model = run_view.profiles, run_view.profiles.model
    with TraceReader(ran) as reader:
        nodes, edges, codes = reader.node_counts(), reader.edge_counts(), reader.codes()
    for kind, key, expected in (("node", "vipEvent", nodes["vipEvent"]),
                                ("edge", ("checkValue", "otherCases"), edges[("checkValue", "otherCases")]),
                                ("status", ("writeEvent", "http_200"), codes["writeEvent"]["http_200"]),
                                ("outcome", "rejected", 12)):
        with qtbot.waitSignal(model.loaded, timeout=10000):
            pane.filter_to(kind, key)
        assert model.total == expected, (kind, key)
    assert pane.outcome.currentText() == "rejected" and "12 profile entries — outcome rejected" == pane.caption.text()
    with qtbot.waitSignal(model.loaded, timeout=10000):
        pane.all_button.click()
    assert model.total == 303 and pane.outcome.currentText() == "Any"
    # The filter bar: a profile id, sorted by duration, slowest first.
    with qtbot.waitSignal(model.loaded, timeout=10000):
        pane.search.setText("p-00001")
    assert model.total == 10 and all("p-00001" in model.row_at(r).profile_id for r in range(model.rowCount()))
    with qtbot.waitSignal(model.loaded, timeout=10000):
        pane.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
    durations = [model.row_at(r).wall_ms for r in range(model.rowCount())]
    assert durations == sorted(durations, reverse=True) and model.total == 10


def test_a_selected_profile_shows_its_steps_why_and_calls(qtbot: Any, run_view: RunView, ran: Path) -> None:
    pane, trace = run_view.profiles, run_view.trace
    with qtbot.waitSignal(pane.model.loaded, timeout=10000):
        pane.filter_to("node", "vipEvent")
    pane.table.selectRow(0)
    qtbot.waitUntil(lambda: trace.entry is not None and trace.steps.topLevelItemCount() == 5, timeout=10000)
    steps = [trace.steps.topLevelItem(i) for i in range(5)]
    for step, node in zip(steps, ["purchase", "writeEvent", "checkValue", "vipEvent", "done"], strict=True):
        assert f"({node}, " in step.text(0) or step.text(0).startswith(f"{node} (")
    assert "paths[0] → vipEvent" in steps[2].text(3)
    why = next(steps[2].child(i) for i in range(steps[2].childCount()) if steps[2].child(i).text(0) == "Why")
    comparison = why.child(0).child(0)
    assert "@event{purchase.value} = " in comparison.text(3) and "100 = 100 (integer)" in comparison.text(3)
    attempt = next(steps[3].child(i) for i in range(steps[3].childCount()) if steps[3].child(i).text(0).startswith("Attempt"))
    trace.steps.setCurrentItem(attempt)
    assert trace.badge.text() == "SANDBOX" and trace.badge.isVisible()
    text = trace.detail.toPlainText()
    assert text.startswith("POST http://127.0.0.1:") and "Authorization: ********" in text and "HTTP 200" in text
    trace.copy_curl.click()
    assert QGuiApplication.clipboard().text().startswith("curl -X POST http://127.0.0.1:")
    history = history_of(trace.services)
    before = history.count()
    with qtbot.waitSignal(trace.resent, timeout=20000) as resent:
        trace.resend.click()
    assert resent.args[0].outcome == "http_200" and resent.args[0].source == "journey"
    assert history.count() == before + 1 and history.rows(limit=1)[0].source == "journey"
    assert trace.result.isVisible() and "Re-sent: http_200" in trace.attempt_line.text()


def test_a_resend_calls_the_dynamic_path_the_run_called(qtbot: Any, services: Any, tmp_path: Path) -> None:
    journey = Journey.model_validate({"name": "webhookPath", "nodes": [
        {"id": "start", "type": "event", "event": "signup", "example": {"customerId": "c"}, "next": "notify"},
        {"id": "notify", "type": "action", "action": "notifyWebhook", "next": "end",
         "mapping": {"customerId": "@event{signup.customerId}"},
         "dynamicPath": 'concat("/customers/", @event{signup.customerId})'},
        {"id": "end", "type": "end"}],
        # Throttled: the step shows its place in the queue beside its dynamic path.
        "throttling": {"urlPattern": "http://127.0.0.1:*/echo/*", "methods": ["POST"], "maxThroughput": 200}})
    profiles = tmp_path / "p.csv"
    profiles.write_text("profileId,event.customerId\np-1,c-9\n")
    view = RunView(services, journey)
    qtbot.addWidget(view)
    view.show()
    bar, trace = view.runbar, view.trace
    bar.profiles.setText(str(profiles))
    with qtbot.waitSignal(bar.runFinished, timeout=60000) as finished:
        bar.run_button.click()
    assert finished.args[0].outcomes == {"finished": 1}
    qtbot.waitUntil(lambda: view.profiles.model.rowCount() == 1, timeout=10000)
    view.profiles.table.selectRow(0)
    qtbot.waitUntil(lambda: trace.entry is not None and trace.steps.topLevelItemCount() == 3, timeout=10000)
    step = trace.steps.topLevelItem(1)
    children = [step.child(i) for i in range(step.childCount())]
    assert any(c.text(0) == "Dynamic path" and c.text(3) == "/customers/c-9" for c in children)
    assert any(c.text(0) == "Throttling queue" and c.text(3) == "arrived #1, released #1" for c in children)
    assert not any(c.text(0) == "Why" for c in children)
    trace.steps.setCurrentItem(next(c for c in children if c.text(0).startswith("Attempt")))
    assert trace.detail.toPlainText().startswith("POST http://127.0.0.1:")
    assert "/echo/notify/customers/c-9 " in trace.detail.toPlainText().splitlines()[0] + " "
    with qtbot.waitSignal(trace.resent, timeout=20000) as resent:
        trace.resend.click()
    result = resent.args[0]
    assert result.outcome == "http_200" and result.path_suffix == "/customers/c-9"
    assert result.data["path"] == "/notify/customers/c-9"  # what the sandbox's echo received
