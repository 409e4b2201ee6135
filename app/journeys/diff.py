"""Compare two runs (of one journey, e.g. a run and its replay against an edited journey): per-node,
per-edge and per-outcome count deltas, the profiles whose path or outcome changed with the node where
their paths part, and each action node's latency (p50/p95) side by side. No Qt: the window and the
CLI (`journey diff A B`) show the same `RunDiff`.

    diff = diff_runs(home, "20261130-101500-sampleJourney-ab12", "last")   # TraceError: no such run
    diff.node_deltas, diff.edge_deltas, diff.changed_count
    for p in diff.changed_profiles(offset=0, limit=100): ...                # streamed by SQL, a page at a time

Profiles are matched by input row (the same profiles file: a replay reads the same rows). The counts
come from SQL over each run's trace (app.journeys.tracereader); the changed profiles are a join of the
two files' profile tables, read a page at a time, so 100,000 profiles are never held in memory.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

from app.journeys import graph
from app.journeys.runsql import connect
from app.journeys.tracereader import RunInfo, TraceReader, find_run


@dataclass(frozen=True)
class CountDelta:
    key: str  # a node id, or an outcome
    a: int
    b: int

    @property
    def delta(self) -> int:
        return self.b - self.a


@dataclass(frozen=True)
class EdgeDelta:
    node: str
    port: str
    target: Optional[str]  # where the port leads (in run B's journey, else A's)
    a: int
    b: int

    @property
    def delta(self) -> int:
        return self.b - self.a


@dataclass(frozen=True)
class LatencyRow:
    """One action node's network time (ms, nearest rank) in each run; None: no call there."""

    node: str
    p50_a: Optional[float]
    p95_a: Optional[float]
    p50_b: Optional[float]
    p95_b: Optional[float]


@dataclass(frozen=True)
class ChangedProfile:
    """A profile (input row) whose path or outcome differs; a path is () in the run lacking the row."""

    row: int
    profile_id: Optional[str]
    path_a: tuple[str, ...]
    path_b: tuple[str, ...]
    outcome_a: Optional[str]
    outcome_b: Optional[str]

    @property
    def parted_at(self) -> int:
        """The index of the first step where the paths differ (len of the shorter when one extends the other)."""
        for i, (x, y) in enumerate(zip(self.path_a, self.path_b, strict=False)):
            if x != y:
                return i
        return min(len(self.path_a), len(self.path_b))

    @property
    def diverges_at(self) -> Optional[str]:
        """The last node both paths went through before they part (None: they differ from the start,
        or are the same path with another outcome)."""
        i = self.parted_at
        if self.path_a == self.path_b or i == 0:
            return None
        return self.path_a[i - 1]

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "profileId": self.profile_id, "divergesAt": self.diverges_at,
                "pathA": list(self.path_a), "pathB": list(self.path_b), "outcomeA": self.outcome_a,
                "outcomeB": self.outcome_b}


@dataclass
class RunDiff:
    run_a: RunInfo
    run_b: RunInfo
    outcome_deltas: list[CountDelta]
    node_deltas: list[CountDelta]
    edge_deltas: list[EdgeDelta]
    latency: list[LatencyRow]
    changed_count: int
    _paths: tuple[Path, Path] = field(repr=False, default=(Path(), Path()))

    @property
    def same_journey(self) -> bool:
        return self.run_a.journey_name == self.run_b.journey_name

    def changed_profiles(self, offset: int = 0, limit: Optional[int] = None) -> Iterator[ChangedProfile]:
        """The changed profiles in input-row order, from `offset`, at most `limit` (None: all), streamed."""
        db = connect(self._paths[0])
        try:
            db.execute("ATTACH DATABASE ? AS other", (f"{self._paths[1].resolve().as_uri()}?mode=ro",))
            page = f" LIMIT {-1 if limit is None else int(limit)} OFFSET {int(offset)}"
            for row, pid_a, pid_b, out_a, out_b, path_a, path_b in db.execute(_CHANGED_SQL + page):
                yield ChangedProfile(row, pid_b if pid_b is not None else pid_a, _path(path_a), _path(path_b),
                                     out_a, out_b)
        finally:
            db.close()

    def to_dict(self, limit: Optional[int] = 100) -> dict[str, Any]:
        changed = [p.to_dict() for p in self.changed_profiles(limit=limit)]
        return {"runA": self.run_a.to_dict(), "runB": self.run_b.to_dict(), "sameJourney": self.same_journey,
                "outcomes": [_count(d) for d in self.outcome_deltas], "nodes": [_count(d) for d in self.node_deltas],
                "edges": [{**asdict(d), "delta": d.delta} for d in self.edge_deltas],
                "latency": [{"node": r.node, "a": {"p50": r.p50_a, "p95": r.p95_a},
                             "b": {"p50": r.p50_b, "p95": r.p95_b}} for r in self.latency],
                "changedProfiles": self.changed_count, "changed": changed,
                "more": self.changed_count > len(changed)}


# Rows of A (with B's, if any) that differ, then the rows only B has. Row numbers are joined without an
# index: SQLite builds a temporary one for each join (the run files are never written). The rows only B
# has are a join too, not `NOT EXISTS (SELECT ... WHERE a.row = b.row)`: SQLite ran that subquery as a
# scan of A for every row of B (3,000 profiles a side: 0.2 s of the 0.24 s a comparison took).
_DIFFERS = "b.row IS NULL OR a.path != b.path OR a.outcome != b.outcome OR a.profile_id IS NOT b.profile_id"
_CHANGED_SQL = (
    "SELECT a.row, a.profile_id, b.profile_id, a.outcome, b.outcome, a.path, b.path FROM main.profile a"
    f" LEFT JOIN other.profile b ON b.row = a.row WHERE {_DIFFERS}"
    " UNION ALL SELECT b.row, NULL, b.profile_id, NULL, b.outcome, NULL, b.path FROM other.profile b"
    " LEFT JOIN main.profile a ON a.row = b.row WHERE a.row IS NULL ORDER BY 1")
_COUNT_SQL = f"SELECT COUNT(*) FROM ({_CHANGED_SQL})"


def diff_runs(home: Path, run_a: str, run_b: str) -> RunDiff:
    """Compare run_a with run_b (each an id, a unique start of it, a run file, or `last`).
    TraceError: a run cannot be found or read."""
    path_a, path_b = find_run(home, run_a), find_run(home, run_b)
    with TraceReader(path_a) as a, TraceReader(path_b) as b:
        info_a, info_b = a.info(), b.info()
        targets = {**_targets(a), **_targets(b)}
        outcomes = _deltas(a.outcomes(), b.outcomes())
        nodes = _deltas(a.node_counts(), b.node_counts())
        edges_a, edges_b = a.edge_counts(), b.edge_counts()
        edges = [EdgeDelta(n, p, targets.get((n, p)), edges_a.get((n, p), 0), edges_b.get((n, p), 0))
                 for n, p in sorted(set(edges_a) | set(edges_b))]
        lat_a, lat_b = a.latencies(), b.latencies()
        latency = [LatencyRow(n, lat_a.get(n, {}).get("p50"), lat_a.get(n, {}).get("p95"),
                              lat_b.get(n, {}).get("p50"), lat_b.get(n, {}).get("p95"))
                   for n in sorted(set(lat_a) | set(lat_b))]
    db = connect(path_a)
    try:
        db.execute("ATTACH DATABASE ? AS other", (f"{path_b.resolve().as_uri()}?mode=ro",))
        changed = int(db.execute(_COUNT_SQL).fetchone()[0])
    finally:
        db.close()
    return RunDiff(info_a, info_b, outcomes, nodes, edges, latency, changed, (path_a, path_b))


def _targets(reader: TraceReader) -> dict[tuple[str, str], str]:
    return {(source, e.port): e.target for source, out in graph.edges(reader.journey()).items() for e in out}


def _deltas(a: dict[str, int], b: dict[str, int]) -> list[CountDelta]:
    return [CountDelta(k, a.get(k, 0), b.get(k, 0)) for k in sorted(set(a) | set(b))]


def _count(d: CountDelta) -> dict[str, Any]:
    return {"key": d.key, "a": d.a, "b": d.b, "delta": d.delta}


def _path(text: Optional[str]) -> tuple[str, ...]:
    return tuple(json.loads(text)) if text else ()
