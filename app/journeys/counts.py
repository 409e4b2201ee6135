"""What the diagram shows on each node and edge, reshaped from the engine's own counts (no Qt).

Nothing is counted here: a live `RunProgress` (app.journeys.progress) or a run's `TraceReader`
(app.journeys.tracereader, by SQL) gives the numbers, this module only names them per node:
Entered (profiles that reached the node), Exited (left it by one of its edges), Error and Timed
out (stopped there with that outcome), In node (reached it, not done yet: waiting, calling);
per action node its calls by `jo_status_code`, and from a trace its retries and p50/p95 latency.

    counts = RunCounts.from_progress(progress, journey)   # while a run goes (latency not known yet)
    counts = RunCounts.from_trace(reader)            # after it, or for a past run
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from app.journeys import graph
from app.journeys.model import Journey
from app.journeys.progress import RunProgress
from app.journeys.tracereader import TraceReader


@dataclass(frozen=True)
class NodeCounts:
    entered: int = 0
    exited: int = 0
    error: int = 0
    timed_out: int = 0
    in_node: int = 0  # in a wait, or a call in flight
    stopped: dict[str, int] = field(default_factory=dict)  # profiles whose last node this is, by outcome
    codes: dict[str, int] = field(default_factory=dict)  # action: calls by jo_status_code
    retries: Optional[int] = None  # action, from a trace
    p50_ms: Optional[float] = None
    p95_ms: Optional[float] = None


@dataclass(frozen=True)
class RunCounts:
    nodes: dict[str, NodeCounts]
    edges: dict[tuple[str, str], int]  # (node, port): profiles that took it
    final: bool

    @classmethod
    def from_progress(cls, progress: RunProgress, journey: Journey) -> "RunCounts":
        return _build(journey, progress.nodes, progress.edges, progress.stopped, progress.codes, {}, {}, progress.final)

    @classmethod
    def from_trace(cls, reader: TraceReader) -> "RunCounts":
        final = reader.info().state != "running"
        return _build(reader.journey(), reader.node_counts(), reader.edge_counts(), reader.stopped(), reader.codes(),
                      reader.calls(), reader.latencies(), final)

    @property
    def busiest_edge(self) -> int:
        return max(self.edges.values(), default=0)


def _build(journey: Journey, steps: dict[str, int], edges: dict[tuple[str, str], int],
           stopped: dict[str, dict[str, int]], codes: dict[str, dict[str, int]], calls: dict[str, dict[str, Any]],
           latencies: dict[str, dict[str, float]], final: bool) -> RunCounts:
    # A step is counted when the profile leaves the node, the edge into it when it arrives: the
    # difference is the profiles inside the node now (the entry has no edge in; it never holds one).
    targets = {(source, e.port): e.target for source, out in graph.edges(journey).items() for e in out}
    exited: dict[str, int] = {}
    arrived: dict[str, int] = {}
    for (node, port), n in edges.items():
        exited[node] = exited.get(node, 0) + n
        if (node, port) in targets:
            arrived[targets[node, port]] = arrived.get(targets[node, port], 0) + n
    nodes = {}
    for node in set(steps) | set(arrived) | set(stopped) | set(codes):
        done = steps.get(node, 0)
        inside = max(arrived.get(node, 0) - done, 0)
        ended = stopped.get(node, {})
        call = calls.get(node, {})
        latency = latencies.get(node, {})
        nodes[node] = NodeCounts(done + inside, exited.get(node, 0), ended.get("error", 0), ended.get("timedOut", 0),
                                 inside, dict(ended), dict(codes.get(node, {})), call.get("retries"),
                                 latency.get("p50"), latency.get("p95"))
    return RunCounts(nodes, dict(edges), final)
