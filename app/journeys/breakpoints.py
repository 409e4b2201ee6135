"""Breakpoints of a run: on a node (before it runs) or an edge (a node left by one port), optionally
only when an expression is true for the profile there; the profile that hits one pauses, the others
go on. Each paused profile has a handle: Step (run exactly one node, pause again) or Resume.

    breaks = Breakpoints(on_change=callback)                 # callback() from the run's loop thread
    breaks.set(Breakpoint("notify"))                          # on the node
    breaks.set(Breakpoint("notify", port="next", condition='@action{notifyWebhook.jo_status_code} != "http_200"'))
    run = JourneyRun(..., breakpoints=breaks)                 # then, from any thread while it runs:
    for p in breaks.paused(): p.step() / p.resume()           # p.node, p.edge, p.why, p.steps so far

Breakpoints can be set and cleared while the run goes. A condition is parsed when set (ExprError with
its position) and evaluated in the profile's own context (its event, profile, the responses of the
actions it called, the journey properties, its virtual clock); one that cannot be evaluated there
does not pause, its error is kept in `errors`. The responses a condition reads are parsed from then
on (a profile that called the action before the condition was set reads null there). A paused
profile holds no worker: the run starts another, so the rest of the rows keep flowing. A cancelled
run ends paused profiles `cancelled`. The runner asks `active` once per step: no breakpoint, no
cost beyond that.
"""
from __future__ import annotations

import asyncio
import itertools
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional

from app.journeys import graph
from app.journeys.expr import EvalError, Expr, evaluate, parse
from app.journeys.findings import Finding
from app.journeys.model import ActionNode, Journey
from app.journeys.tracerecords import AttemptTrace, StepTrace

if TYPE_CHECKING:
    from app.journeys.model import NodeBase
    from app.journeys.steps import ProfileRun
    from app.model import Action


@dataclass(frozen=True)
class Breakpoint:
    """On node `node` (port None), or on its edge leaving by `port`; `condition`: an expression."""

    node: str
    port: Optional[str] = None
    condition: Optional[str] = None

    @property
    def key(self) -> tuple[str, Optional[str]]:
        return (self.node, self.port)

    def describe(self) -> str:
        where = f"edge {self.node} -> {self.port}" if self.port else f"node {self.node}"
        return where + (f" when {self.condition}" if self.condition else "")


@dataclass
class Paused:
    """A paused profile: where (the node it is about to run; the edge it came by) and why."""

    key: int
    row: int
    profile_id: Optional[str]
    node: str
    edge: Optional[tuple[str, str]]
    why: str
    since: float
    steps: list[StepTrace]  # the steps it made so far (read while it is paused: nothing changes them)
    _owner: Breakpoints = field(repr=False)
    _go: asyncio.Event = field(repr=False)
    _loop: asyncio.AbstractEventLoop = field(repr=False)
    _stepping: bool = field(default=False, repr=False)

    def step(self) -> None:
        """Run exactly one node, then pause again (any thread)."""
        self._owner.release(self.key, stepping=True)

    def resume(self) -> None:
        """Go on until the next breakpoint or the end (any thread)."""
        self._owner.release(self.key, stepping=False)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "row": self.row, "profileId": self.profile_id, "node": self.node,
                "edge": list(self.edge) if self.edge else None, "why": self.why, "steps": len(self.steps)}


class Breakpoints:
    """The breakpoints of one run and its paused profiles; thread-safe (see the module docstring)."""

    def __init__(self, on_change: Optional[Callable[[], None]] = None) -> None:
        self.on_change = on_change
        self._points: dict[tuple[str, Optional[str]], tuple[Breakpoint, Optional[Expr]]] = {}
        self._paused: dict[int, Paused] = {}
        self._stepping = 0  # profiles that pause before their next node (ProfileRun.stepping)
        self._lock = threading.Lock()
        self._keys = itertools.count(1)
        self.errors: dict[tuple[str, Optional[str]], str] = {}  # the last evaluation error per breakpoint
        self.on_pause: Optional[Callable[[], None]] = None  # the runner: start a worker for the rows
        self.on_reads: Optional[Callable[[frozenset[str]], None]] = None  # the runner: parse these responses
        self.active = False  # any breakpoint, or a profile stepping: what the runner asks every step

    # -- what the user sets (any thread) -----------------------------------------------------------
    def set(self, point: Breakpoint) -> None:
        """Add or replace the breakpoint at that node or edge; ExprError for a condition that does not parse."""
        expr = parse(point.condition) if point.condition else None
        with self._lock:
            self._points[point.key] = (point, expr)
            self.errors.pop(point.key, None)
            self._update()
        if expr is not None and self.on_reads is not None:
            self.on_reads(_reads(expr))

    def reads(self) -> frozenset[str]:
        """The actions whose responses the conditions read (the runner parses those responses)."""
        with self._lock:
            return frozenset().union(*(_reads(e) for _, e in self._points.values() if e is not None))

    def clear(self, node: str, port: Optional[str] = None) -> None:
        with self._lock:
            self._points.pop((node, port), None)
            self.errors.pop((node, port), None)
            self._update()

    def points(self) -> list[Breakpoint]:
        with self._lock:
            return [p for p, _ in self._points.values()]

    def paused(self) -> list[Paused]:
        """The profiles paused now, in the order they paused."""
        with self._lock:
            return list(self._paused.values())

    def release(self, key: int, stepping: bool = False) -> bool:
        """Let a paused profile go (Step: one node, then it pauses again); False if it is not paused."""
        with self._lock:
            paused = self._paused.get(key)
            if paused is None:
                return False
            paused._stepping = stepping
        paused._loop.call_soon_threadsafe(paused._go.set)
        return True

    def resume_all(self) -> None:
        for paused in self.paused():
            paused.resume()

    def _update(self) -> None:
        self.active = bool(self._points) or self._stepping > 0

    # -- the runner (the run's event loop) ---------------------------------------------------------
    async def check(self, profile: ProfileRun, node: NodeBase, came_from: Optional[StepTrace]) -> None:
        """Pause the profile here when a breakpoint says so (or it is stepping): before `node` runs."""
        edge = (came_from.node, came_from.port) if came_from is not None and came_from.port else None
        why = "stepped one node" if profile.stepping else self._hit(profile, node.id, edge)
        if why is None:
            return
        loop = asyncio.get_running_loop()
        self.done(profile)
        with self._lock:
            paused = Paused(next(self._keys), profile.row.row, profile.row.profile_id, node.id, edge, why,
                            time.time(), profile.trace.steps, self, asyncio.Event(), loop)
            self._paused[paused.key] = paused
            self._update()
        self._changed()
        if not profile.held and self.on_pause is not None:
            profile.held = True
            self.on_pause()
        try:
            await paused._go.wait()
        finally:
            with self._lock:
                self._paused.pop(paused.key, None)
                if paused._stepping:
                    profile.stepping = True
                    self._stepping += 1
                self._update()
            self._changed()

    def done(self, profile: ProfileRun) -> None:
        """The profile paused or ended (or was cancelled): it steps no more."""
        if profile.stepping:
            profile.stepping = False
            with self._lock:
                self._stepping -= 1
                self._update()

    def _hit(self, profile: ProfileRun, node: str, edge: Optional[tuple[str, str]]) -> Optional[str]:
        points = self._points  # no lock: a dict lookup is atomic, set/clear add or remove one key
        for key in ((node, None), edge):
            found = points.get(key) if key is not None else None
            if found is None:
                continue
            point, expr = found
            if expr is None:
                return f"breakpoint on {point.describe()}"
            try:
                value = evaluate(expr, profile.ctx)
            except EvalError as exc:
                self.errors[point.key] = f"{point.describe()}: {exc}"
                continue
            if value.value is True:
                return f"breakpoint on {point.describe()}"
        return None

    def _changed(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change()
            except RuntimeError:  # whoever watched is gone (a window closed): the run goes on
                self.on_change = None


def _reads(expr: Expr) -> frozenset[str]:
    return frozenset(r.name for r in expr.references() if r.kind == "action")


def condition_findings(journey: Journey, actions: Mapping[str, Action], node: str, port: Optional[str],
                       text: str) -> list[Finding]:
    """What is wrong with a breakpoint's condition at its place (syntax, references, a boolean type):
    on a node, what ran before it on every path; on an edge, that and its own node."""
    from app.journeys.checkexpr import Place, check
    from app.journeys.validate import _schema as schema_of  # the field types validation checks against

    at = journey.node(node)
    if at is None:
        return []
    facts = graph.on_every_path(journey, graph.action_facts).get(node, frozenset())
    if port is not None and isinstance(at, ActionNode):
        facts = facts | {f"ran:{at.action}"} | ({f"error:{at.action}"} if port == "timeoutOrError" else set())
    entry = journey.entry
    place = Place(at, "breakpoint", frozenset(facts), entry.event if entry is not None else None)
    return check(text, place, schema_of(journey, actions, None), "boolean", "a breakpoint's condition")


def paused_entry(paused: Paused) -> dict[str, Any]:
    """A paused profile as TraceReader.entry gives a stored one (its steps so far; outcome `paused`)."""
    steps = [_step(s) for s in paused.steps]
    return {"seq": None, "row": paused.row, "profileId": paused.profile_id, "outcome": "paused", "code": None,
            "error": f"paused before {paused.node}: {paused.why}", "path": [s.node for s in paused.steps],
            "enteredAt": steps[0]["virtualAt"] if steps else None, "endedAt": None, "wallMs": None, "steps": steps}


def _step(s: StepTrace) -> dict[str, Any]:
    return {"node": s.node, "port": s.port, "next": s.next, "virtualAt": _iso(s.virtual_at), "wallAt": s.wall_at,
            "wallMs": s.wall_ms, "values": s.values, "why": s.why, "outcome": s.outcome, "error": s.error,
            "attempts": [_attempt(a) for a in s.attempts]}


def _attempt(a: AttemptTrace) -> dict[str, Any]:
    # as recorded by the call engine: already masked (app.calls.record)
    return {"number": a.number, "target": a.target, "outcome": a.outcome, "status": a.status, "error": a.error,
            "request": {"method": a.method, "url": a.url, "headers": [list(h) for h in a.request_headers],
                        "body": a.request_body, "note": None},
            "response": None if a.status is None else {"status": a.status, "headers": [list(h) for h in
                                                                                       a.response_headers],
                                                       "body": a.response_body, "note": None},
            "queueMs": a.queue_ms, "networkMs": a.network_ms, "slow": False, "wallAt": a.wall_at}


def _iso(value: Optional[datetime]) -> Optional[str]:
    return value.isoformat() if value is not None else None
