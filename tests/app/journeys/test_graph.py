"""Graph helpers: reachability, dangling edges, cycles, topological order, facts on every path."""
from __future__ import annotations

from app.journeys import graph
from app.journeys.model import Journey


def _journey(*nodes: dict) -> Journey:
    return Journey.model_validate({"name": "g", "nodes": list(nodes)})


def ev(next_: str | None = "a") -> dict:
    return {"id": "in", "type": "event", "event": "e", "next": next_}


def act(node_id: str, action: str, next_: str | None = None, error: str | None = None) -> dict:
    return {"id": node_id, "type": "action", "action": action, "next": next_, "timeoutOrError": error}


def cond(node_id: str, *targets: str, other: str | None = None) -> dict:
    return {"id": node_id, "type": "condition", "otherCases": other,
            "paths": [{"expression": "true", "next": t} for t in targets]}


def end(node_id: str = "end") -> dict:
    return {"id": node_id, "type": "end"}


def test_reachable_and_unreachable() -> None:
    j = _journey(ev(), act("a", "A", "end"), act("lost", "B", "end"), end())
    assert graph.reachable(j) == {"in", "a", "end"}
    assert graph.reachable(j, "lost") == {"lost", "end"}
    assert graph.reachable(_journey(end())) == set()


def test_dangling_edges_are_found_and_left_out_of_walks() -> None:
    j = _journey(ev(), act("a", "A", "nowhere", "end"), end())
    assert [(n.id, e.port, e.target) for n, e in graph.dangling(j)] == [("a", "next", "nowhere")]
    assert graph.edges(j)["a"][0].target == "end"


def test_cycles_and_topological_order() -> None:
    acyclic = _journey(ev(), cond("a", "b", other="c"), act("b", "B", "c"), act("c", "C", "end"), end())
    assert graph.find_cycle(acyclic) is None
    order = graph.topological_order(acyclic)
    assert order.index("a") < order.index("b") < order.index("c") < order.index("end")
    looping = _journey(ev(), act("a", "A", "b"), act("b", "B", "c"), cond("c", "a", other="end"), end())
    assert graph.find_cycle(looping) == ["a", "b", "c", "a"]
    assert graph.topological_order(looping) == ["in"]  # a, b, c wait on each other; end waits on c
    assert graph.find_cycle(_journey(ev("in"))) == ["in", "in"]


def test_upstream_sets() -> None:
    j = _journey(ev(), cond("a", "b", other="c"), act("b", "B", "c"), act("c", "C", "end"), end())
    up = graph.upstream(j)
    assert up["c"] == {"in", "a", "b"} and up["in"] == set()


def test_actions_on_every_path_and_error_paths() -> None:
    # in -> a(A) -> cond -> b(B) -> m(M) ; cond other -> m ; a error -> e(E) -> m ; m -> end
    j = _journey(ev(), act("a", "A", "cond", error="e"), cond("cond", "b", other="m"), act("b", "B", "m"),
                 act("e", "E", "m"), act("m", "M", "end"), end())
    facts = graph.on_every_path(j, graph.action_facts)
    assert facts["in"] == frozenset()
    assert facts["cond"] == {"ran:A"}
    assert facts["e"] == {"ran:A", "error:A"}
    assert facts["m"] == {"ran:A"}  # B only on one path, the error of A only on another
    assert facts["end"] == {"ran:A", "ran:M"}


def test_the_same_action_on_both_branches_counts_as_upstream() -> None:
    j = _journey(ev(), cond("a", "b1", other="b2"), act("b1", "B", "m"), act("b2", "B", "m"), end("m"))
    assert graph.on_every_path(j, graph.action_facts)["m"] == {"ran:B"}


def test_facts_terminate_on_cycles() -> None:
    j = _journey(ev(), act("a", "A", "c"), cond("c", "a", other="end"), end())
    facts = graph.on_every_path(j, graph.action_facts)
    assert facts["a"] == frozenset() and facts["c"] == {"ran:A"}
