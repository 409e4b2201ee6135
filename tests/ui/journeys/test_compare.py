"""Compare two runs in the window: "Compare with…" from the past runs, per-node and per-edge deltas on
the diagram, the changed profiles paged lazily, a selected one's two paths on the diagram and each
side's trace, latency side by side. The runs are trace files written by the trace writer for the
sample journey (run B sends every fifth profile to the VIP branch, run A every tenth)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.journeys.files import load_journey
from app.journeys.tracerecords import AttemptTrace, ProfileTrace, StepTrace
from app.journeys.traces import TraceWriter
from tests.ui.journeys.test_window_journeys import open_sample
from ui.journeys.compare import CompareView
from ui.journeys.compare_marks import DeltaBadge, PathMark, delta_text
from ui.journeys.compare_model import PAGE

PLAIN = ["purchase", "writeEvent", "checkValue", "done"]
VIP = ["purchase", "writeEvent", "checkValue", "vipEvent", "done"]
PORTS = {"purchase": "next", "writeEvent": "next", "vipEvent": "next"}


def steps(path: list[str], ms: float) -> list[StepTrace]:
    out = []
    for i, node in enumerate(path):
        last = i == len(path) - 1
        port = None if last else PORTS.get(node, "paths[0]" if path[i + 1] == "vipEvent" else "otherCases")
        attempts = [AttemptTrace(1, "sandbox", "POST", "http://127.0.0.1/x", status=200, outcome="http_200",
                                 network_ms=ms)] if node in ("writeEvent", "vipEvent") else []
        out.append(StepTrace(node, port=port, next=None if last else path[i + 1], attempts=attempts,
                             outcome="http_200" if attempts else None))
    return out


def write_run(home: Path, run_id: str, profiles: int, vip_every: int, ms: float) -> Path:
    journey = load_journey(home, "sampleJourney")
    # Every profile of a path takes it in the same steps: made once a path (the writer only reads them).
    made = {"plain": steps(PLAIN, ms), "vip": steps(VIP, ms)}
    with TraceWriter.create(home, journey, [], seed=5, preset="fast", targets={"writeEvent": "sandbox"},
                            run_id=run_id) as writer:
        for i in range(1, profiles + 1):
            writer.add(ProfileTrace(i, f"p-{i:06d}", "finished", made["vip" if i % vip_every == 0 else "plain"]))
    return writer.path


def test_compare_with_shows_deltas_changed_profiles_paths_traces_and_latency(qtbot: Any, window: Any) -> None:
    home = window.services.workspace.home
    run_a = write_run(home, "20261130-100000-sampleJourney-aaaa", 3000, 10, 40.0)
    run_b = write_run(home, "20261130-110000-sampleJourney-bbbb", 3000, 5, 80.0)
    view = open_sample(qtbot, window)
    bar, run_view = view.run_view.runbar, view.run_view
    qtbot.waitUntil(lambda: bar.past.count() == 2, timeout=10000)
    bar.past.setCurrentIndex(bar.past.findData(str(run_a)))
    button = bar.compare_button
    assert button.isEnabled() and button.text() == "Compare with…"
    button.fill_menu()
    (choice,) = button.menu().actions()  # the other run only
    with qtbot.waitSignal(run_view.compare.diffShown, timeout=10000) as shown:
        choice.trigger()
    diff = shown.args[0]
    assert (diff.run_a.path, diff.run_b.path) == (run_a, run_b) and diff.changed_count == 300
    compare = window.findChild(CompareView, "journeyCompareView")
    assert compare.isVisible() and not run_view.results.isVisible()
    assert not run_view.bar_area.isVisible()  # the comparison takes the height ("Back to the run")
    # The diagram: +300 on the VIP node and its edge in, -300 on the edge to done; nothing on unchanged ones.
    marks = view.compare_marks
    assert {k: b.text() for k, b in marks.badges.items()} == {
        "vipEvent": delta_text(300), ("checkValue", "otherCases"): delta_text(-300),
        ("checkValue", "paths[0]"): delta_text(300), ("vipEvent", "next"): delta_text(300)}
    badge = marks.badges["vipEvent"]
    assert isinstance(badge, DeltaBadge) and badge.parentItem() is view.diagram.nodes["vipEvent"]
    assert badge.text() == "+300" and badge.toolTip() == "A 300 → B 600 (+300)"
    assert marks.badges[("checkValue", "otherCases")].text() == "\u2212300"
    assert badge.brush().color() != marks.badges[("checkValue", "otherCases")].brush().color()
    qtbot.waitUntil(lambda: view.diagram.counts is not None and view.diagram.counts.nodes["vipEvent"].entered == 600,
                    timeout=10000)  # B's counts under the deltas
    # The table: lazy pages, the parting node, both paths.
    model = compare.model
    qtbot.waitUntil(lambda: model.rowCount() == PAGE, timeout=10000)
    assert model.total == 300 and "Changed profiles: 300 (showing 200)" == compare.caption.text()
    assert [model.index(0, c).data() for c in range(5)] == [
        "5", "p-000005", "after checkValue", ">".join(PLAIN) + " [finished]", ">".join(VIP) + " [finished]"]
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == 300, timeout=10000)
    assert not model.canFetchMore() and compare.caption.text() == "Changed profiles: 300"
    # A profile selected: both traces, both paths marked (A solid, B dashed).
    compare.table.selectRow(0)
    qtbot.waitUntil(lambda: compare.trace_a.entry is not None and compare.trace_b.entry is not None, timeout=10000)
    assert compare.trace_a.entry["path"] == PLAIN and compare.trace_b.entry["path"] == VIP
    # Either side's profile can be replayed on its own (the run bar starts it; not here: fake runs).
    compare.replayAsked.disconnect(run_view.runbar.start_replay)
    with qtbot.waitSignal(compare.replayAsked, timeout=5000) as asked:
        qtbot.mouseClick(compare.trace_b.replay_profile, Qt.MouseButton.LeftButton)
    assert (asked.args[0].run, asked.args[0].profile, asked.args[0].rerun) == (run_b, "p-000005", False)
    assert {m.side for m in marks.paths} == {"a", "b"}
    assert sum(1 for m in marks.paths if m.side == "b") == len(VIP) + len(VIP) - 1
    assert all(isinstance(m, PathMark) and m.scene() is view.diagram.scene() for m in marks.paths)
    # Latency side by side.
    latency = compare.latency
    rows = {latency.item(r, 0).text(): [latency.item(r, c).text() for c in range(1, 5)]
            for r in range(latency.rowCount())}
    assert rows["writeEvent"] == ["40.0", "80.0", "40.0", "80.0"]
    assert rows["vipEvent"] == ["40.0", "80.0", "40.0", "80.0"]
    # Back to the run: the marks go, the results come back.
    qtbot.mouseClick(compare.close_button, Qt.MouseButton.LeftButton)
    assert not compare.isVisible() and run_view.results.isVisible() and run_view.bar_area.isVisible()
    qtbot.waitUntil(lambda: run_view.bar_area.height() > run_view.bar_area.minimumHeight(), timeout=5000)
    assert marks.badges == {} and marks.paths == []
    assert view.diagram.nodes["vipEvent"].childItems() == [] or not any(
        isinstance(c, DeltaBadge) for c in view.diagram.nodes["vipEvent"].childItems())
    assert window.findChild(QWidget, "journeyChangedTable") is not None


def test_a_comparison_that_cannot_be_read_says_why(qtbot: Any, window: Any, tmp_path: Path) -> None:
    view = open_sample(qtbot, window)
    compare = view.run_view.compare
    view.run_view.show_compare(tmp_path / "gone-a.sqlite3", tmp_path / "gone-b.sqlite3")
    qtbot.waitUntil(lambda: compare.summary.text().startswith("Cannot compare the runs:"), timeout=10000)
    assert "gone-a" in compare.summary.text() and view.compare_marks.badges == {}


def test_the_comparison_is_built_when_first_asked_for_in_its_place_of_the_tab_order(qtbot: Any, window: Any,
                                                                                    tmp_path: Path) -> None:
    """Most runs are never compared: the run view builds its comparison when one is asked for, and Tab
    goes from the run side's tab bar through it as when it was built with the view."""
    from PySide6.QtWidgets import QApplication

    view = open_sample(qtbot, window)
    run_view = view.run_view
    assert window.findChild(QWidget, "journeyCompareView") is None
    run_view.show_compare(tmp_path / "gone-a.sqlite3", tmp_path / "gone-b.sqlite3")
    qtbot.waitUntil(lambda: run_view.compare.summary.text().startswith("Cannot compare the runs:"), timeout=10000)
    assert window.findChild(CompareView, "journeyCompareView") is run_view.compare and run_view.compare.isVisible()
    tabs = view.findChild(QWidget, "journeyTabs").tabBar()
    tabs.setFocus()
    qtbot.waitUntil(tabs.hasFocus)
    seen = []
    for _ in range(8):
        window.focusNextChild()
        seen.append(QApplication.focusWidget().objectName())
    assert seen == ["journeyCompareClose", "journeyChangedTable", "journeyCompareLatency",
                    "journeyCompareTraceATraceSteps", "journeyCompareTraceATraceDetail",
                    "journeyCompareTraceBTraceSteps", "journeyCompareTraceBTraceDetail", "journeyList"]
