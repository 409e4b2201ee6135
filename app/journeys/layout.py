"""A layered left-to-right layout of a journey, for the diagram (no Qt; deterministic).

Sugiyama's steps, sized for journeys of tens of nodes: back edges found by a depth-first walk from
the entry (a journey being edited may hold a cycle), longest-path layering over the rest, a dummy
unit on every layer a long edge crosses, barycentric sweeps that keep the order with the fewest
crossings, then vertical positions that pull each node towards its neighbours (an isotonic fit,
so nodes of a column keep their order and never overlap). Edges come out as polylines with their
label ("next" unlabeled, condition paths, "other cases", "timeout or error", split percentages,
cap nominal / alternate); back edges run along lanes under the drawing.

    result = layout(journey, size=lambda node: (200, 90))
    result.nodes["writeEvent"].x, result.edges[0].points, result.crossings
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Callable, Optional, Union

from app.journeys import graph
from app.journeys.model import CapNode, Edge, Journey, NodeBase, SplitNode

Point = tuple[float, float]
Size = Callable[[NodeBase], tuple[float, float]]
Unit = Union[str, tuple[str, str, int]]  # a node id, or a dummy: (source id, port, layer)

MARGIN, LAYER_GAP, ROW_GAP, LANE_GAP = 24.0, 110.0, 36.0, 16.0
SWEEPS = 12
_DUMMY_HEIGHT = 12.0


@dataclass(frozen=True)
class Place:
    """A node's box: top-left corner and size, with its layer (column) and order in it (row)."""

    id: str
    type: str
    layer: int
    order: int
    x: float
    y: float
    width: float
    height: float

    @property
    def center(self) -> Point:
        return (self.x + self.width / 2, self.y + self.height / 2)


@dataclass(frozen=True)
class Route:
    """One drawn edge: the engine's (source, port) key, its target, its label and its polyline."""

    source: str
    port: str
    target: str
    label: str
    points: tuple[Point, ...]
    back: bool = False

    @property
    def key(self) -> tuple[str, str]:
        """The key of the engine's per-edge counts (RunProgress.edges, TraceReader.edge_counts)."""
        return (self.source, self.port)

    @property
    def label_at(self) -> Point:
        """Where the label goes: on the lane of a back edge, on the first straight run of a long
        edge (clear of the boxes), else the middle of the edge."""
        first = 2 if self.back else 1 if len(self.points) > 2 else 0
        (x1, y1), (x2, y2) = self.points[first], self.points[first + 1]
        return ((x1 + x2) / 2, (y1 + y2) / 2)


@dataclass(frozen=True)
class Layout:
    nodes: dict[str, Place]
    edges: list[Route]
    width: float
    height: float
    crossings: int  # between adjacent layers, long edges counted through their dummies


def port_label(node: NodeBase, edge: Edge) -> str:
    """An edge's label on the diagram: splits show their percentage, caps nominal / alternate."""
    if isinstance(node, SplitNode):
        branch = node.branches[int(edge.port[len("branches["):-1])]
        return f"{branch.label} · {branch.percent}%" if branch.label else f"{branch.percent}%"
    if isinstance(node, CapNode):
        return "nominal" if edge.port == "next" else "alternate"
    return edge.label


def layout(journey: Journey, size: Optional[Size] = None, sweeps: int = SWEEPS) -> Layout:
    """The journey laid out left to right; `size(node)` gives each box (default 180 x 64)."""
    size = size or (lambda node: (180.0, 64.0))
    by_id = journey.by_id()
    out = graph.edges(journey)
    back = _back_edges(journey, out)
    layer = _layers(journey, out, back)
    columns, links = _units(journey, out, back, layer)
    columns, crossings = _order(columns, links, sweeps)
    sizes = {n.id: size(n) for n in journey.nodes}
    col_width = max((w for w, _ in sizes.values()), default=0.0)
    ys = _vertical(columns, links, sizes)
    places = {}
    for li, column in enumerate(columns):
        for row, unit in enumerate(column):
            if isinstance(unit, str):
                w, h = sizes[unit]
                x = _column_center(li, col_width) - w / 2
                places[unit] = Place(unit, by_id[unit].type, li, row, round(x, 2), round(ys[unit] - h / 2, 2), w, h)
    bottom = max((p.y + p.height for p in places.values()), default=MARGIN)
    routes = _routes(journey, out, back, places, ys, col_width, bottom)
    right = max((p.x + p.width for p in places.values()), default=MARGIN)
    lowest = max([bottom] + [pt[1] for r in routes for pt in r.points])
    return Layout(places, routes, right + MARGIN, lowest + MARGIN, crossings)


# -- layering -------------------------------------------------------------------------------------
def _back_edges(journey: Journey, out: dict[str, list[Edge]]) -> set[tuple[str, str]]:
    """(source, port) of the edges that close a cycle, found depth-first from the entry, then from
    the other nodes in file order; an edge into the entry is always one (the entry stays first)."""
    entry = journey.entry.id if journey.entry else None
    back = {(s, e.port) for s, es in out.items() for e in es if e.target == entry}
    state: dict[str, int] = {}
    roots = ([entry] if entry else []) + [n.id for n in journey.nodes]
    for root in roots:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(out[root]))]
        while stack:
            node, todo = stack[-1]
            edge = next(todo, None)
            if edge is None:
                state[node] = 2
                stack.pop()
            elif (node, edge.port) in back:
                continue
            elif state.get(edge.target) == 1:
                back.add((node, edge.port))
            elif edge.target not in state:
                state[edge.target] = 1
                stack.append((edge.target, iter(out[edge.target])))
    return back


def _layers(journey: Journey, out: dict[str, list[Edge]], back: set[tuple[str, str]]) -> dict[str, int]:
    """Longest path from the sources over the forward edges (Kahn's order, file order on ties)."""
    forward = {s: [e for e in es if (s, e.port) not in back] for s, es in out.items()}
    waiting = {n.id: 0 for n in journey.nodes}
    for edges in forward.values():
        for e in edges:
            waiting[e.target] += 1
    layer = {n.id: 0 for n in journey.nodes}
    ready = [n.id for n in journey.nodes if waiting[n.id] == 0]
    while ready:
        node = ready.pop(0)
        for e in forward[node]:
            layer[e.target] = max(layer[e.target], layer[node] + 1)
            waiting[e.target] -= 1
            if waiting[e.target] == 0:
                ready.append(e.target)
    return layer


def _units(journey: Journey, out: dict[str, list[Edge]], back: set[tuple[str, str]],
           layer: dict[str, int]) -> tuple[list[list[Unit]], list[tuple[Unit, Unit]]]:
    """The columns in a first order (depth-first from the entry, ports in order) and the links
    between adjacent columns, a long edge split by its dummies."""
    links: list[tuple[Unit, Unit]] = []
    chains: dict[str, list[tuple[Unit, ...]]] = {n: [] for n in out}
    for source, edges in out.items():
        for e in edges:
            if (source, e.port) in back:
                continue
            chain: tuple[Unit, ...] = (source, *[(source, e.port, li) for li in range(layer[source] + 1,
                                                                                      layer[e.target])], e.target)
            chains[source].append(chain)
            links.extend(pairwise(chain))
    columns: list[list[Unit]] = [[] for _ in range(max(layer.values(), default=-1) + 1)]
    seen: set[Unit] = set()

    def visit(unit: Unit, li: int) -> None:
        stack = [(unit, li)]
        while stack:
            current, at = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            columns[at].append(current)
            if isinstance(current, str):
                nxt = [(c[1], layer[current] + 1) for c in chains[current]]
            else:
                nxt = [(b, at + 1) for a, b in links if a == current]
            stack.extend(reversed(nxt))

    entry = journey.entry.id if journey.entry else None
    for node in ([entry] if entry else []) + [n.id for n in journey.nodes]:
        visit(node, layer[node])
    return columns, links


# -- crossing reduction ---------------------------------------------------------------------------
def _order(columns: list[list[Unit]], links: list[tuple[Unit, Unit]], sweeps: int) -> tuple[list[list[Unit]], int]:
    """Barycentric sweeps, down then up; the order with the fewest crossings seen is kept."""
    preds: dict[Unit, list[Unit]] = {}
    succs: dict[Unit, list[Unit]] = {}
    for a, b in links:
        succs.setdefault(a, []).append(b)
        preds.setdefault(b, []).append(a)
    best, best_count = [list(c) for c in columns], _crossings(columns, links)
    current = [list(c) for c in columns]
    for sweep in range(sweeps):
        if best_count == 0:
            break
        down = sweep % 2 == 0
        indices = range(1, len(current)) if down else range(len(current) - 2, -1, -1)
        for li in indices:
            fixed = {u: i for i, u in enumerate(current[li - 1 if down else li + 1])}
            near = preds if down else succs
            current[li] = _by_barycenter(current[li], near, fixed)
        count = _crossings(current, links)
        if count < best_count:
            best, best_count = [list(c) for c in current], count
    return best, best_count


def _by_barycenter(column: list[Unit], near: dict[Unit, list[Unit]], fixed: dict[Unit, int]) -> list[Unit]:
    def key(item: tuple[int, Unit]) -> tuple[float, int]:
        index, unit = item
        positions = [fixed[n] for n in near.get(unit, []) if n in fixed]
        return (sum(positions) / len(positions) if positions else float(index), index)
    return [u for _, u in sorted(enumerate(column), key=key)]


def _crossings(columns: list[list[Unit]], links: list[tuple[Unit, Unit]]) -> int:
    position = {u: (li, i) for li, column in enumerate(columns) for i, u in enumerate(column)}
    by_layer: dict[int, list[tuple[int, int]]] = {}
    for a, b in links:
        (la, ia), (_, ib) = position[a], position[b]
        by_layer.setdefault(la, []).append((ia, ib))
    count = 0
    for pairs in by_layer.values():
        for i, (a1, b1) in enumerate(pairs):
            count += sum(1 for a2, b2 in pairs[i + 1:] if (a1 - a2) * (b1 - b2) < 0)
    return count


# -- coordinates ----------------------------------------------------------------------------------
def _vertical(columns: list[list[Unit]], links: list[tuple[Unit, Unit]],
              sizes: dict[str, tuple[float, float]]) -> dict[Unit, float]:
    """Each unit's vertical centre: stacked first, then pulled towards the mean of its neighbours in
    the previous (then next) column, keeping order and spacing (least squares under constraints)."""
    height = {u: sizes[u][1] if isinstance(u, str) else _DUMMY_HEIGHT for c in columns for u in c}
    near: dict[Unit, list[Unit]] = {}
    for a, b in links:
        near.setdefault(b, []).append(a)
        near.setdefault(a, []).append(b)
    y: dict[Unit, float] = {}
    for column in columns:
        top = MARGIN
        for u in column:
            y[u] = top + height[u] / 2
            top += height[u] + ROW_GAP
    for sweep in range(8):
        order = columns if sweep % 2 == 0 else columns[::-1]
        for column in order:
            wanted = [sum(y[n] for n in near[u]) / len(near[u]) if near.get(u) else y[u] for u in column]
            gaps = [0.0] + [(height[a] + height[b]) / 2 + ROW_GAP for a, b in pairwise(column)]
            for u, value in zip(column, _spaced_fit(wanted, gaps), strict=True):
                y[u] = value
    top = min((y[u] - height[u] / 2 for u in y), default=MARGIN)
    return {u: round(value - top + MARGIN, 2) for u, value in y.items()}


def _spaced_fit(wanted: list[float], gaps: list[float]) -> list[float]:
    """The values closest to `wanted` (least squares) with value[i] >= value[i-1] + gaps[i]:
    pool-adjacent-violators on the values shifted by their cumulative gaps."""
    offsets, total = [], 0.0
    for gap in gaps:
        total += gap
        offsets.append(total)
    blocks: list[list[float]] = []  # [mean, weight]
    for want, offset in zip(wanted, offsets, strict=True):
        blocks.append([want - offset, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, weight = blocks.pop()
            blocks[-1] = [(blocks[-1][0] * blocks[-1][1] + mean * weight) / (blocks[-1][1] + weight),
                          blocks[-1][1] + weight]
    fitted = [mean for mean, weight in blocks for _ in range(int(weight))]
    return [z + offset for z, offset in zip(fitted, offsets, strict=True)]


# -- edges ----------------------------------------------------------------------------------------
def _routes(journey: Journey, out: dict[str, list[Edge]], back: set[tuple[str, str]], places: dict[str, Place],
            ys: dict[Unit, float], col_width: float, bottom: float) -> list[Route]:
    """Polylines: from a port on the source's right side (ports spread in the order of their
    targets, so they do not cross at the node), through the dummies, to the target's left side."""
    routes = []
    lane = bottom + LANE_GAP * 2
    for node in journey.nodes:
        source = places[node.id]
        edges = sorted(out[node.id], key=lambda e: (ys[e.target] if (node.id, e.port) not in back else 1e18))
        for i, e in enumerate(edges):
            start = (source.x + source.width, source.y + source.height * (i + 1) / (len(edges) + 1))
            target = places[e.target]
            end = (target.x, target.y + target.height / 2)
            label = port_label(node, e)
            if (node.id, e.port) in back:
                right, left = start[0] + LANE_GAP, end[0] - LANE_GAP
                points = (start, (right, start[1]), (right, lane), (left, lane), (left, end[1]), end)
                routes.append(Route(node.id, e.port, e.target, label, points, back=True))
                lane += LANE_GAP
                continue
            # Through each column it crosses, a dummy runs straight across (no diagonal over a box).
            middle = [(_column_center(li, col_width) + dx, ys[(node.id, e.port, li)])
                      for li in range(source.layer + 1, target.layer) for dx in (-col_width / 2, col_width / 2)]
            routes.append(Route(node.id, e.port, e.target, label, (start, *middle, end)))
    return routes


def _column_center(layer: int, col_width: float) -> float:
    return MARGIN + layer * (col_width + LAYER_GAP) + col_width / 2
