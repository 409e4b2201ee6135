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
    # Plain dicts, not Counters: `counter[key] += 1` on a dict subclass is ~3x a plain dict's get and set
    # (the interpreter's quick paths are for dicts), twice per profile.
    outcomes: dict[str, int] = field(default_factory=dict)
    stopped: dict[str, dict[str, int]] = field(default_factory=dict)  # per last node, its profiles by outcome
    started: float = field(default_factory=time.monotonic)
    _last: float = 0.0
    # Every step counted once, by (node, port, code): one count per step on the run's loop (the runner
    # adds to it inline, as step() does); the counts per node, edge and code are added up from these
    # when asked (a few keys, at most every 0.1 s).
    step_counts: dict[tuple[str, Optional[str], Optional[str]], int] = field(default_factory=dict)

    def step(self, node: str, port: Optional[str], code: Optional[str]) -> None:
        steps, key = self.step_counts, (node, port, code)
        steps[key] = steps.get(key, 0) + 1

    @property
    def nodes(self) -> Counter[str]:
        out: Counter[str] = Counter()
        for (node, _, _), n in self.step_counts.items():
            out[node] += n
        return out

    @property
    def edges(self) -> Counter[tuple[str, str]]:
        out: Counter[tuple[str, str]] = Counter()
        for (node, port, _), n in self.step_counts.items():
            if port is not None:
                out[(node, port)] += n
        return out

    @property
    def codes(self) -> dict[str, Counter[str]]:
        out: dict[str, Counter[str]] = {}
        for (node, _, code), n in self.step_counts.items():
            if code is not None:
                _count(out, node, code, n)
        return out

    def finished(self, outcome: str, last_node: Optional[str] = None) -> None:
        self.done += 1
        outcomes = self.outcomes
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if last_node is not None:  # inline: once per profile
            found = self.stopped.get(last_node)
            if found is None:
                found = self.stopped[last_node] = {}
            found[outcome] = found.get(outcome, 0) + 1
        if self.callback is not None:
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


def _count(counters: dict[str, Counter[str]], key: str, value: str, n: int = 1) -> None:
    # Not setdefault(key, Counter()): that makes a Counter on every call, for every profile.
    found = counters.get(key)
    if found is None:
        found = counters[key] = Counter()
    found[value] += n
