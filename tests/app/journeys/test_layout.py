"""The diagram's layout, without Qt: every node placed, left to right, no overlaps, few crossings, stable."""
from __future__ import annotations

from itertools import combinations
from pathlib import Path

from app.journeys import graph
from app.journeys.files import parse_journey
from app.journeys.layout import Layout, layout
from app.journeys.model import Journey

SAMPLE = Path(__file__).resolve().parents[3] / "resources" / "sample_workspace" / "journeys" / "sampleJourney.json"


def _journey(*nodes: dict) -> Journey:
    return Journey.model_validate({"name": "g", "nodes": list(nodes)})


def _sample() -> Journey:
    return parse_journey(SAMPLE.read_text("utf-8"), str(SAMPLE))


def ev(next_: str = "a") -> dict:
    return {"id": "in", "type": "event", "event": "e", "next": next_}


def act(node_id: str, next_: str | None = None, error: str | None = None) -> dict:
    return {"id": node_id, "type": "action", "action": "A", "next": next_, "timeoutOrError": error}


def split(node_id: str, *targets: str) -> dict:
    share = [100 // len(targets)] * len(targets)
    share[0] += 100 - sum(share)
    branches = [{"percent": p, "next": t} for p, t in zip(share, targets, strict=True)]
    return {"id": node_id, "type": "split", "branches": branches}


def end(node_id: str) -> dict:
    return {"id": node_id, "type": "end"}


def _overlap(a, b) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


def _check(result: Layout, journey: Journey) -> None:
    assert set(result.nodes) == {n.id for n in journey.nodes}
    for a, b in combinations(result.nodes.values(), 2):
        assert not _overlap(a, b), (a, b)
    for p in result.nodes.values():
        assert 0 <= p.x and p.x + p.width <= result.width and 0 <= p.y and p.y + p.height <= result.height
    for route in result.edges:
        source, target = result.nodes[route.source], result.nodes[route.target]
        assert route.points[0][0] == source.x + source.width and route.points[-1][0] == target.x
        if not route.back:
            assert target.layer > source.layer
            xs = [x for x, _ in route.points]
            assert xs == sorted(xs), route


def test_the_sample_is_laid_out_left_to_right_with_its_labels() -> None:
    journey = _sample()
    result = layout(journey)
    _check(result, journey)
    layers = {n: p.layer for n, p in result.nodes.items()}
    assert layers == {"purchase": 0, "writeEvent": 1, "checkValue": 2, "vipEvent": 3, "done": 4, "callFailed": 4}
    labels = {r.key: r.label for r in result.edges}
    assert labels[("purchase", "next")] == ""
    assert labels[("checkValue", "paths[0]")] == "VIP (over 100)"
    assert labels[("checkValue", "otherCases")] == "other cases"
    assert labels[("writeEvent", "timeoutOrError")] == "timeout or error"
    assert not any(r.back for r in result.edges)
    assert result.crossings == 0


def test_every_edge_of_the_graph_is_drawn_once() -> None:
    journey = _sample()
    drawn = sorted(r.key for r in layout(journey).edges)
    assert drawn == sorted((s, e.port) for s, es in graph.edges(journey).items() for e in es)


def test_long_edges_run_through_dummy_points_and_never_cross_a_box() -> None:
    journey = _journey(ev("a"), act("a", "b", error="z"), act("b", "c"), act("c", "z"), end("z"))
    result = layout(journey)
    _check(result, journey)
    long = next(r for r in result.edges if r.key == ("a", "timeoutOrError"))
    assert len(long.points) == 2 + 2 * 2  # two columns crossed, straight through each
    for x, y in long.points[1:-1]:
        for box in result.nodes.values():
            assert not (box.x < x < box.x + box.width and box.y <= y <= box.y + box.height)


def test_split_percentages_and_cap_ports_are_labelled() -> None:
    journey = _journey(
        ev("s"),
        {"id": "s", "type": "split", "branches": [{"label": "A", "percent": 30, "next": "cap"},
                                                  {"percent": 70, "next": "z"}]},
        {"id": "cap", "type": "cap", "limit": 5, "next": "z", "alternate": "over"}, end("z"), end("over"))
    labels = {r.key: r.label for r in layout(journey).edges}
    assert labels == {("in", "next"): "", ("s", "branches[0]"): "A · 30%", ("s", "branches[1]"): "70%",
                      ("cap", "next"): "nominal", ("cap", "alternate"): "alternate"}


def test_a_cycle_is_drawn_with_a_back_edge_under_the_drawing() -> None:
    journey = _journey(ev("a"), act("a", "b"), act("b", "a", error="z"), end("z"))
    result = layout(journey)
    _check(result, journey)
    back = [r for r in result.edges if r.back]
    assert [r.key for r in back] == [("b", "next")]
    lowest_box = max(p.y + p.height for p in result.nodes.values())
    assert min(y for _, y in back[0].points[2:4]) > lowest_box


def test_a_self_loop_and_an_edge_into_the_entry_are_back_edges() -> None:
    journey = _journey(ev("a"), act("a", "a", error="in"))
    result = layout(journey)
    _check(result, journey)
    assert sorted(r.key for r in result.edges if r.back) == [("a", "next"), ("a", "timeoutOrError")]
    assert result.nodes["in"].layer == 0


def test_unreachable_and_disconnected_nodes_are_placed_too() -> None:
    journey = _journey(ev("a"), act("a", "z"), act("lost", "z2"), end("z"), end("z2"), end("alone"))
    _check(layout(journey), journey)
    assert _journey().nodes == [] and layout(_journey()).nodes == {}


def test_crossings_are_reduced_on_a_known_case() -> None:
    # The depth-first first order puts x between z and y: b -> y and c -> x cross.
    journey = _journey(ev("s"), split("s", "a", "b", "c"), act("a", "z", error="x"), act("b", "y"), act("c", "x"),
                       end("x"), end("y"), end("z"))
    assert layout(journey, sweeps=0).crossings > 0
    result = layout(journey)
    assert result.crossings == 0
    _check(result, journey)


def test_boxes_of_different_sizes_keep_their_spacing() -> None:
    journey = _journey(ev("s"), split("s", "a", "b", "c"), end("a"), end("b"), end("c"))
    result = layout(journey, size=lambda n: (200.0, 150.0 if n.id == "b" else 40.0))
    _check(result, journey)
    assert result.nodes["b"].height == 150.0


def test_the_output_is_stable() -> None:
    journey = _journey(ev("s"), split("s", "a", "b", "c"), act("a", "z", error="x"), act("b", "y"), act("c", "x"),
                       end("x"), end("y"), end("z"))
    first = layout(journey)
    assert all(layout(journey) == first for _ in range(3))
    again = Journey.model_validate(journey.dump())
    assert layout(again) == first
