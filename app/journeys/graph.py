"""The journey as a graph: edges, reachability, cycles, topological order, what holds on every path.

Plain functions over a `Journey` (no expressions): validation, the runner and later the diagram
share them. Edges whose target does not exist ("dangling") are left out of every walk.
"""
from __future__ import annotations

from collections import deque
from typing import Callable, Iterable, Optional

from app.journeys.model import ActionNode, Edge, Journey, NodeBase

Facts = Callable[[NodeBase, Edge], Iterable[str]]


def edges(journey: Journey) -> dict[str, list[Edge]]:
    """Each node's outgoing edges to nodes that exist."""
    ids = {n.id for n in journey.nodes}
    return {n.id: [e for e in n.edges() if e.target in ids] for n in journey.nodes}


def dangling(journey: Journey) -> list[tuple[NodeBase, Edge]]:
    """Edges whose target is no node of the journey."""
    ids = {n.id for n in journey.nodes}
    return [(n, e) for n in journey.nodes for e in n.edges() if e.target not in ids]


def predecessors(journey: Journey) -> dict[str, list[tuple[str, Edge]]]:
    """For each node, the (source id, edge) pairs that lead to it."""
    out: dict[str, list[tuple[str, Edge]]] = {n.id: [] for n in journey.nodes}
    for source, outgoing in edges(journey).items():
        for edge in outgoing:
            out[edge.target].append((source, edge))
    return out


def reachable(journey: Journey, start: Optional[str] = None) -> set[str]:
    """The nodes reachable from start (default: the entry event), start included."""
    start = start or (journey.entry.id if journey.entry else None)
    if start is None:
        return set()
    graph, seen, todo = edges(journey), {start}, deque([start])
    while todo:
        for edge in graph[todo.popleft()]:
            if edge.target not in seen:
                seen.add(edge.target)
                todo.append(edge.target)
    return seen


def find_cycle(journey: Journey) -> Optional[list[str]]:
    """A cycle as the list of its node ids (first repeated at the end), or None."""
    graph = edges(journey)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in graph:
        if root in state:
            continue
        path, stack = [root], [iter(graph[root])]
        state[root] = 1
        while stack:
            edge = next(stack[-1], None)
            if edge is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(edge.target) == 1:
                return path[path.index(edge.target):] + [edge.target]
            elif edge.target not in state:
                state[edge.target] = 1
                path.append(edge.target)
                stack.append(iter(graph[edge.target]))
    return None


def topological_order(journey: Journey) -> list[str]:
    """Node ids, each after every node leading to it; nodes on a cycle are left out."""
    graph, preds = edges(journey), predecessors(journey)
    waiting = {node: len(p) for node, p in preds.items()}
    ready = deque(n.id for n in journey.nodes if waiting[n.id] == 0)
    order = []
    while ready:
        node = ready.popleft()
        order.append(node)
        for edge in graph[node]:
            waiting[edge.target] -= 1
            if waiting[edge.target] == 0:
                ready.append(edge.target)
    return order


def upstream(journey: Journey) -> dict[str, set[str]]:
    """For each node, every node that can run before it (on at least one path)."""
    preds = predecessors(journey)
    out: dict[str, set[str]] = {}
    for node in preds:
        seen: set[str] = set()
        todo = [s for s, _ in preds[node]]
        while todo:
            source = todo.pop()
            if source not in seen:
                seen.add(source)
                todo.extend(s for s, _ in preds[source])
        out[node] = seen
    return out


def on_every_path(journey: Journey, facts: Facts) -> dict[str, frozenset[str]]:
    """For each node reachable from the entry, the facts that hold on EVERY path from the entry to
    it. `facts(node, edge)` gives what taking that edge establishes (e.g. "action X ran").

    A forward must-analysis: a node's set is the intersection over its incoming edges of the
    source's set plus the edge's facts, iterated to a fixed point (so cycles terminate)."""
    entry = journey.entry
    if entry is None:
        return {}
    live = reachable(journey)
    nodes = {n.id: n for n in journey.nodes if n.id in live}
    preds = {k: [(s, e) for s, e in v if s in live] for k, v in predecessors(journey).items() if k in live}
    universe = frozenset(f for n in nodes.values() for e in n.edges() for f in facts(n, e))
    held = {node: universe for node in nodes}
    held[entry.id] = frozenset()
    order = topological_order(journey)
    sweep = [n for n in order if n in nodes] + [n for n in nodes if n not in order]
    changed = True
    while changed:
        changed = False
        for node in sweep:
            if node == entry.id:
                continue
            incoming = [held[s] | frozenset(facts(nodes[s], e)) for s, e in preds[node]]
            new = frozenset.intersection(*incoming) if incoming else frozenset()
            if new != held[node]:
                held[node], changed = new, True
    return held


def action_facts(node: NodeBase, edge: Edge) -> list[str]:
    """The facts of the journey rules: `ran:X` after an action X, `error:X` on its error path."""
    if not isinstance(node, ActionNode):
        return []
    return [f"ran:{node.action}", f"error:{node.action}"] if edge.port == "timeoutOrError" else [f"ran:{node.action}"]
