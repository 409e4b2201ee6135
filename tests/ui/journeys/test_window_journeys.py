"""The journey view in the window: open the sample from journeyList, run it against the sandbox,
the diagram's counts equal the CLI's summary and the stored trace; counts filter the table; a
profile's calls and path; the list follows the disk."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QProcess, Qt
from PySide6.QtWidgets import QListWidget, QProgressBar, QPushButton, QTableView, QWidget

from app.journeys.tracereader import TraceReader, list_runs
from tests.helpers.cli import run_cli
from tests.ui.conftest import wait_idle
from tests.ui.journeys.conftest import SAMPLE_SEED, open_recorded
from ui.journeys import runprocess
from ui.journeys.diagram import JourneyDiagram
from ui.journeys.traceview import TraceView


def open_sample(qtbot: Any, window: Any) -> Any:
    qtbot.keyClick(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    journeys = window.findChild(QListWidget, "journeyList")
    qtbot.waitUntil(lambda: journeys.count() == 1, timeout=10000)
    assert window.right.currentWidget() is window.journeys.page and journeys.hasFocus()
    view = window.findChild(QWidget, "journeyView")
    with qtbot.waitSignal(view.opened, timeout=10000):
        journeys.setCurrentRow(0)
    assert view.isVisible() and window.findChild(JourneyDiagram, "journeyDiagram").isVisible()
    return view


def run_sample(qtbot: Any, window: Any, view: Any) -> Any:
    home = window.services.workspace.home
    view.findChild(QWidget, "journeyProfilesEdit").setText(str(home / "profiles" / "purchases.csv"))
    view.run_view.runbar.seed.setText(str(SAMPLE_SEED))
    with qtbot.waitSignal(view.countsShown, timeout=60000):
        qtbot.mouseClick(view.findChild(QPushButton, "journeyRunButton"), Qt.MouseButton.LeftButton)
    assert view.findChild(QPushButton, "journeyStopButton").isEnabled() is False
    assert view.findChild(QProgressBar, "journeyProgress").format().startswith("303 profiles in ")
    qtbot.waitUntil(lambda: view.run_view.profiles.model.total == 303, timeout=10000)
    return view.run_view.runbar.result


def show_recorded(qtbot: Any, view: Any, recorded: Path) -> Path:
    """The sample's run (seed 3, recorded once per test run) opened as a past run: the diagram shows its
    counts and the table its 303 profiles, as when the window's own run of it finished."""
    with qtbot.waitSignal(view.countsShown, timeout=10000):
        path = open_recorded(qtbot, view.run_view.runbar, recorded)
    qtbot.waitUntil(lambda: view.run_view.profiles.model.total == 303, timeout=10000)
    return path


def click(qtbot: Any, view: JourneyDiagram, item: Any) -> None:
    view.zoom_to_fit()
    point = view.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def cli_summary(home: Path, seed: int) -> dict[str, Any]:
    """The command's summary of a run (in process: main(), as `python -m app` runs it)."""
    out = run_cli("--home", str(home), "--session-secrets", "--json", "journey", "run", "sampleJourney",
                  "--profiles", str(home / "profiles" / "purchases.csv"), "--seed", str(seed))
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_the_diagram_counts_equal_the_cli_summary_and_the_stored_trace(qtbot: Any, window: Any,
                                                                      recorded_sample: Path) -> None:
    view = open_sample(qtbot, window)
    path = show_recorded(qtbot, view, recorded_sample)
    diagram = view.diagram
    with TraceReader(path) as reader:
        nodes, edges, codes = reader.node_counts(), reader.edge_counts(), reader.codes()
        info = reader.info()
    cli = cli_summary(window.services.workspace.home, SAMPLE_SEED)
    assert info.seed == SAMPLE_SEED and cli["run"]["id"] != info.id  # a second run of the same seed, by the command line
    assert cli["nodes"] == nodes and {(e["node"], e["port"]): e["count"] for e in cli["edges"]} == edges
    assert cli["codes"] == codes
    for node_id, n in nodes.items():
        assert f"Entered: {n}\n" in diagram.nodes[node_id].toolTip()
    for key, n in edges.items():
        assert diagram.edges[key].text().endswith(str(n)) and f"{n} profile(s) took it" in diagram.edges[key].toolTip()
    for node_id, by_code in codes.items():
        assert {link.key[1]: link.text() for link in diagram.nodes[node_id].links} == {
            c: f"{c} {n}" for c, n in by_code.items()}


def test_a_count_clicked_filters_the_table_and_a_profile_shows_its_calls_and_path(qtbot: Any, window: Any,
                                                                                 recorded_sample: Path) -> None:
    view = open_sample(qtbot, window)
    show_recorded(qtbot, view, recorded_sample)
    diagram, model = view.diagram, view.run_view.profiles.model
    with qtbot.waitSignal(model.loaded, timeout=10000):
        click(qtbot, diagram, diagram.nodes["vipEvent"])
    assert model.total == 95 and "vipEvent" in view.run_view.profiles.caption.text()
    with qtbot.waitSignal(model.loaded, timeout=10000):
        click(qtbot, diagram, next(iter(diagram.nodes["writeEvent"].links)))  # the status count "http_200 288"
    assert model.total == 288
    with qtbot.waitSignal(model.loaded, timeout=10000):
        click(qtbot, diagram, diagram.edges[("checkValue", "otherCases")].label)
    assert model.total == 193
    with qtbot.waitSignal(model.loaded, timeout=10000):
        click(qtbot, diagram, diagram.edges[("checkValue", "paths[0]")].label)
    assert model.total == 95
    table = view.findChild(QTableView, "journeyProfileTable")
    trace = view.findChild(TraceView, "journeyTrace")
    with qtbot.waitSignal(trace.entryShown, timeout=10000):
        table.selectRow(0)
    steps = [trace.steps.topLevelItem(i) for i in range(trace.steps.topLevelItemCount())]
    attempt = next(s.child(i) for s in steps for i in range(s.childCount()) if s.child(i).text(0).startswith("Attempt"))
    trace.steps.setCurrentItem(attempt)
    assert trace.detail.toPlainText().startswith("POST http://127.0.0.1:") and trace.badge.text() == "SANDBOX"
    lit = {n for n, item in diagram.nodes.items() if item.highlighted}
    assert lit == {"purchase", "writeEvent", "checkValue", "vipEvent", "done"}
    assert diagram.edges[("checkValue", "paths[0]")].highlighted and not diagram.edges[("checkValue", "otherCases")].highlighted
    # "All": every branch the run took is shown, the untaken ones dimmed and listed.
    with qtbot.waitSignal(model.loaded, timeout=10000):
        view.run_view.profiles.all_button.click()
    assert model.total == 303 and diagram.edges[("writeEvent", "timeoutOrError")].dimmed
    assert view.coverage.text() == "Not taken: writeEvent → callFailed (timeout or error); vipEvent → callFailed (timeout or error)"


def test_a_past_run_reopened_shows_its_stored_counts(qtbot: Any, window: Any) -> None:
    view = open_sample(qtbot, window)
    run_sample(qtbot, window, view)
    view.diagram.clear_counts()
    assert "Entered: 0" in view.diagram.nodes["vipEvent"].toolTip()
    runbar = view.run_view.runbar
    # The past runs are listed off the UI thread once the run has ended: the button is enabled then.
    qtbot.waitUntil(lambda: runbar.open_run.isEnabled() and runbar.past.count() == 1, timeout=10000)
    with qtbot.waitSignal(view.countsShown, timeout=10000):
        runbar.open_run.click()
    assert "Entered: 95\n" in view.diagram.nodes["vipEvent"].toolTip()


def test_the_list_follows_journeys_added_and_removed_on_disk(qtbot: Any, window: Any) -> None:
    wait_idle(qtbot)
    assert window.journeys.list.list.count() == 0  # journeys/ is read when the tab is first shown (open_sample)
    view = open_sample(qtbot, window)
    journeys = window.journeys.list.list
    folder = window.services.workspace.home / "journeys"
    data = json.loads((folder / "sampleJourney.json").read_text())
    data.update(name="copyJourney", id="copy1")
    (folder / "copyJourney.json").write_text(json.dumps(data))
    qtbot.waitUntil(lambda: journeys.count() == 2, timeout=10000)
    (folder / "broken.json").write_text('{"name": "broken", "nodes": [{"id": "c", "type": "cap", "limit": 0}]}')
    qtbot.waitUntil(lambda: journeys.count() == 3, timeout=10000)
    broken = journeys.findItems("broken", Qt.MatchFlag.MatchExactly)[0]
    assert "does not load" in broken.toolTip() and "nodes[0] (id 'c').limit" in broken.toolTip()
    (folder / "copyJourney.json").unlink()
    qtbot.waitUntil(lambda: journeys.count() == 2, timeout=10000)
    assert view.journey is not None and view.journey.name == "sampleJourney"
    wait_idle(qtbot)


def test_the_same_warning_in_two_mappings_of_a_node_is_one_alert_saying_where(qtbot: Any, window: Any) -> None:
    view = open_sample(qtbot, window)
    alerts = view.findChild(QListWidget, "journeyAlerts")
    texts = [alerts.item(i).text() for i in range(alerts.count())]
    assert len(texts) == 1, texts
    assert texts[0].startswith("warning (platform): node 'writeEvent' (Write journey event): @journey{...} is ")
    assert texts[0].endswith(" — in 2 places: mapping[body.xdmEntity._yourOrg.journeyVersionId] (line 1, column 1); "
                             "mapping[body.xdmEntity._yourOrg.nodeId] (line 1, column 1)")
    # A path too wide for the panel is cut in its middle: the two places keep their different ends.
    assert alerts.textElideMode() == Qt.TextElideMode.ElideMiddle
    tip = alerts.item(0).toolTip()
    assert "@journey{journeyVersionUID}" in tip and "@journey{currentNodeId}" in tip
    alerts.itemActivated.emit(alerts.item(0))
    assert view.diagram.current_node() == "writeEvent"


def test_closing_the_window_during_a_run_stops_it_and_its_trace_is_finished(qtbot: Any, window: Any,
                                                                            tmp_path: Path) -> None:
    view = open_sample(qtbot, window)
    bar = view.run_view.runbar
    slow = tmp_path / "slow.json"
    slow.write_text(json.dumps([{"status": 200, "body": {}, "delay_ms": 60000}]))
    bar.set_target("writeEvent", f"mock:{slow}")
    bar.profiles.setText(str(window.services.workspace.home / "profiles" / "purchases.csv"))
    with qtbot.waitSignal(bar.progressed, timeout=30000):
        bar.run_button.click()
    proc = bar.proc
    assert proc is not None
    window.close()
    assert not window.isVisible()
    assert proc.process.state() == QProcess.ProcessState.NotRunning  # ended with the window, not left behind
    qtbot.waitUntil(lambda: not runprocess.busy(), timeout=10000)
    (run,) = list_runs(window.services.workspace.home)
    assert run.state == "cancelled" and run.profiles >= 1  # stopped cleanly: not `interrupted`
