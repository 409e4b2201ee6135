"""Progress of a run as it goes: rows read, profiles done, per-node and per-edge counts, outcomes by
code. A callback gets a snapshot at most every 0.1 s and once at the end (`final`): the CLI's bar
now, the window's diagram later. The summary after a run is read from the trace instead
(app.journeys.tracereader), so what a run reports at the end can never disagree with its records.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Optional


@dataclass(frozen=True)
class RunProgress:
    rows_read: int
    done: int
    outcomes: dict[str, int]
    nodes: dict[str, int]
    edges: dict[tuple[str, str], int]
    codes: dict[str, dict[str, int]]
    elapsed_s: float
    final: bool = False
    limit: Optional[int] = None  # the most rows the run will take (test mode), if known
    stopped: dict[str, dict[str, int]] = field(default_factory=dict)  # per last node, its profiles by outcome

    @property
    def rate(self) -> float:
        """Profiles done per second."""
        return self.done / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"rowsRead": self.rows_read, "done": self.done, "outcomes": self.outcomes, "nodes": self.nodes,
                "edges": [{"node": n, "port": p, "count": c} for (n, p), c in sorted(self.edges.items())],
                "codes": self.codes, "stopped": self.stopped, "elapsedS": round(self.elapsed_s, 3), "final": self.final}


Callback = Callable[[RunProgress], None]


@dataclass
class ProgressBoard:
    """The live counts (touched by the run's event loop only) and the throttled publishing."""

    callback: Optional[Callback] = None
    interval_s: float = 0.1
    limit: Optional[int] = None
    rows_read: int = 0
    done: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    nodes: Counter[str] = field(default_factory=Counter)
    edges: Counter[tuple[str, str]] = field(default_factory=Counter)
    codes: dict[str, Counter[str]] = field(default_factory=dict)
    stopped: dict[str, Counter[str]] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)
    _last: float = 0.0

    def step(self, node: str, port: Optional[str], code: Optional[str]) -> None:
        self.nodes[node] += 1
        if port is not None:
            self.edges[(node, port)] += 1
        if code is not None:
            _count(self.codes, node, code)

    def finished(self, outcome: str, last_node: Optional[str] = None) -> None:
        self.done += 1
        self.outcomes[outcome] += 1
        if last_node is not None:
            _count(self.stopped, last_node, outcome)
        self.publish()

    def snapshot(self, final: bool = False) -> RunProgress:
        return RunProgress(self.rows_read, self.done, dict(self.outcomes), dict(self.nodes), dict(self.edges),
                           {k: dict(v) for k, v in self.codes.items()}, time.monotonic() - self.started, final,
                           self.limit, {k: dict(v) for k, v in self.stopped.items()})

    def publish(self, final: bool = False) -> None:
        if self.callback is None:
            return
        now = time.monotonic()
        if final or now - self._last >= self.interval_s:
            self._last = now
            self.callback(self.snapshot(final))


def _count(counters: dict[str, Counter[str]], key: str, value: str) -> None:
    # Not setdefault(key, Counter()): that makes a Counter on every call, for every step and profile.
    found = counters.get(key)
    if found is None:
        found = counters[key] = Counter()
    found[value] += 1
