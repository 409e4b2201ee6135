"""The journey diagram on the real widget: the sample drawn, a real run's counts, clicks, keys, coverage."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.journeys.counts import RunCounts
from app.journeys.files import load_journey
from app.journeys.findings import Finding
from app.journeys.progress import RunProgress
from app.journeys.tracereader import TraceReader
from app.journeys.validate import validate_in
from app.store import Workspace
from tests.app.journeys.runkit import END, EVENT, FAILED, journey, notify
from ui.journeys.diagram import JourneyDiagram


@pytest.fixture
def diagram(qtbot: Any) -> JourneyDiagram:
    view = JourneyDiagram()
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.fixture
def sample(services: Any) -> Any:
    return load_journey(services.workspace.home, "sampleJourney")


def _click(qtbot: Any, view: JourneyDiagram, item: Any) -> None:
    point = view.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_the_sample_is_drawn_with_every_node_and_labelled_edge(diagram: JourneyDiagram, sample: Any,
                                                                services: Any) -> None:
    report = validate_in(Workspace.open(services.workspace.home), sample)
    diagram.set_journey(sample, report.findings)
    assert diagram.objectName() == "journeyDiagram"
    assert set(diagram.nodes) == {n.id for n in sample.nodes}
    assert diagram.edges[("checkValue", "otherCases")].text() == "other cases"
    assert diagram.edges[("writeEvent", "timeoutOrError")].text() == "timeout or error"
    assert diagram.nodes["vipEvent"].subtitle == "action · airshipCustomEvent"
    assert "Entered: 0" in diagram.nodes["writeEvent"].toolTip()
    rect = diagram.mapToScene(diagram.viewport().rect()).boundingRect()
    assert rect.contains(diagram.scene().itemsBoundingRect().adjusted(4, 4, -4, -4))  # fitted


def test_validation_problems_are_marked_on_their_node_and_listed(diagram: JourneyDiagram, sample: Any) -> None:
    problem = Finding("error", "unknown-action", "no action 'gone'", node="vipEvent", field="action")
    journey_level = Finding("warning", "lint", "a journey-wide note")
    diagram.set_journey(sample, [journey_level, problem])
    assert diagram.alerts() == [journey_level, problem]
    assert diagram.nodes["vipEvent"].findings == [problem]
    assert str(problem) in diagram.nodes["vipEvent"].toolTip()
    assert diagram.nodes["writeEvent"].findings == []


def test_a_real_runs_counts_are_shown_and_equal_the_trace_reader(diagram: JourneyDiagram, sample: Any,
                                                                  recorded_sample: Path) -> None:
    # The sample's run against the sandbox, recorded once for the test run (conftest.py): read only.
    diagram.set_journey(sample)
    with TraceReader(recorded_sample) as reader:
        diagram.set_counts(RunCounts.from_trace(reader))
        nodes, edges, codes, calls = reader.node_counts(), reader.edge_counts(), reader.codes(), reader.calls()
    diagram.flush()
    for node_id, n in nodes.items():
        assert f"Entered: {n}\n" in diagram.nodes[node_id].toolTip()
        assert diagram.nodes[node_id].count_lines()[0].startswith(f"Entered {n}")
    for key, n in edges.items():
        assert diagram.edges[key].text().endswith(str(n))
        assert f"{n} profile(s) took it" in diagram.edges[key].toolTip()
    for node_id, by_code in codes.items():
        item = diagram.nodes[node_id]
        assert {link.key[1]: link.text() for link in item.links} == {c: f"{c} {n}" for c, n in by_code.items()}
        assert f"Retries: {calls[node_id]['retries']}" in item.toolTip() and "p95 latency: " in item.toolTip()
    busiest = max(edges, key=edges.get)
    assert diagram.edges[busiest].weight == 1.0 and diagram.edges[("checkValue", "paths[0]")].weight < 1.0


def test_clicking_a_node_an_edge_or_a_status_count_asks_for_a_filter(qtbot: Any, diagram: JourneyDiagram,
                                                                      sample: Any) -> None:
    diagram.set_journey(sample)
    diagram.set_counts(_progress())
    diagram.flush()
    with qtbot.waitSignal(diagram.filterRequested) as node:
        _click(qtbot, diagram, diagram.nodes["checkValue"])
    assert node.args == ["node", "checkValue"] and diagram.current_node() == "checkValue"
    with qtbot.waitSignal(diagram.filterRequested) as edge:
        _click(qtbot, diagram, diagram.edges[("checkValue", "otherCases")].label)
    assert edge.args == ["edge", ("checkValue", "otherCases")]
    link = next(link for link in diagram.nodes["writeEvent"].links if link.key[1] == "http_500")
    with qtbot.waitSignal(diagram.filterRequested) as code:
        _click(qtbot, diagram, link)
    assert code.args == ["code", ("writeEvent", "http_500")]


def test_the_keyboard_moves_between_nodes_and_enter_filters(qtbot: Any, diagram: JourneyDiagram, sample: Any) -> None:
    diagram.set_journey(sample)
    diagram.setFocus()
    qtbot.keyClick(diagram, Qt.Key.Key_Right)
    assert diagram.current_node() == "purchase"  # nothing selected: the first node
    qtbot.keyClick(diagram, Qt.Key.Key_Right)
    assert diagram.current_node() == "writeEvent"
    qtbot.keyClick(diagram, Qt.Key.Key_Right)
    qtbot.keyClick(diagram, Qt.Key.Key_Right)
    assert diagram.current_node() in ("vipEvent", "done")
    diagram.select_node("done")
    qtbot.keyClick(diagram, Qt.Key.Key_Down)
    assert diagram.current_node() == "callFailed"
    qtbot.keyClick(diagram, Qt.Key.Key_Left)
    assert diagram.current_node() in ("vipEvent", "writeEvent")
    diagram.select_node("purchase")
    qtbot.keyClick(diagram, Qt.Key.Key_Tab)
    assert diagram.current_node() == "writeEvent"
    qtbot.keyClick(diagram, Qt.Key.Key_Backtab)
    assert diagram.current_node() == "purchase"
    with qtbot.waitSignal(diagram.filterRequested) as enter:
        qtbot.keyClick(diagram, Qt.Key.Key_Return)
    assert enter.args == ["node", "purchase"]


def test_a_profiles_path_is_highlighted_and_coverage_dims_what_no_profile_took(diagram: JourneyDiagram,
                                                                                sample: Any) -> None:
    diagram.set_journey(sample)
    diagram.highlight_path(["purchase", "writeEvent", "checkValue", "done"],
                           [("purchase", "next"), ("writeEvent", "next"), ("checkValue", "otherCases")])
    assert {k for k, e in diagram.edges.items() if e.highlighted} == {
        ("purchase", "next"), ("writeEvent", "next"), ("checkValue", "otherCases")}
    assert {n for n, i in diagram.nodes.items() if i.highlighted} == {"purchase", "writeEvent", "checkValue", "done"}
    diagram.highlight_path(["purchase", "writeEvent"])  # without ports: the edge between them
    assert [k for k, e in diagram.edges.items() if e.highlighted] == [("purchase", "next")]
    diagram.set_counts(_progress(errors=False))
    untaken = diagram.show_coverage()
    assert sorted(r.key for r in untaken) == [("vipEvent", "timeoutOrError"), ("writeEvent", "timeoutOrError")]
    assert all(diagram.edges[r.key].dimmed for r in untaken) and not diagram.edges[("purchase", "next")].dimmed
    assert diagram.nodes["callFailed"].dimmed and not diagram.nodes["done"].dimmed
    assert not any(e.highlighted for e in diagram.edges.values())


def test_a_storm_of_100000_updates_is_drawn_once_with_the_latest(qtbot: Any, diagram: JourneyDiagram) -> None:
    j = journey(EVENT, notify(), END, FAILED)
    diagram.set_journey(j)
    paints = []
    item = diagram.nodes["notify"]
    original = item.set_counts
    item.set_counts = lambda c: (paints.append(c), original(c))  # type: ignore[method-assign]
    for i in range(1, 100_001):
        diagram.set_counts(RunProgress(i, i, {"finished": i}, {"in": i, "notify": i, "done": i},
                                       {("in", "next"): i, ("notify", "next"): i}, {"notify": {"http_200": i}}, 1.0))
    assert diagram.redraws == 0 and paints == []  # nothing drawn while the updates come
    qtbot.waitUntil(lambda: diagram.redraws > 0)
    assert diagram.redraws == 1 and len(paints) == 1
    assert "Entered: 100000\n" in item.toolTip() and diagram.edges[("in", "next")].text() == "100000"


def _progress(errors: bool = True) -> RunProgress:
    failed = 4 if errors else 0
    return RunProgress(10, 10, {"finished": 10}, {"purchase": 10, "writeEvent": 10, "checkValue": 10 - failed,
                                                  "vipEvent": 3, "done": 10 - failed, "callFailed": failed},
                       {("purchase", "next"): 10, ("writeEvent", "next"): 10 - failed,
                        ("writeEvent", "timeoutOrError"): failed, ("checkValue", "paths[0]"): 3,
                        ("checkValue", "otherCases"): 7 - failed, ("vipEvent", "next"): 3},
                       {"writeEvent": {"http_200": 10 - failed, **({"http_500": failed} if failed else {})},
                        "vipEvent": {"http_200": 3}}, 1.0)
