"""One profile's way through a journey: a step per node, recorded as it goes, and one outcome.

Each node type has a handler that returns the port the profile leaves by (None: it stops there).
A profile that stops without an error is `finished`; an action that fails without a "timeout or
error" path ends it in `error` (or `timedOut`); a cancelled run ends the profiles in flight in
`cancelled` with the steps they made. Actions are in app.journeys.actionstep.
"""
from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from typing import Any, Awaitable, Callable, Optional

from app.journeys.actionstep import JSON_AS_IS, action_step
from app.journeys.clock import ProfileClock, ProfileRandom, profile_seed
from app.journeys.durations import JOURNEY_TIMEOUT, describe
from app.journeys.expr import Context, EvalError, evaluate
from app.journeys.expr.evaluation import explain_json
from app.journeys.expr.values import ValueProblem, parse_datetime, to_json, zone
from app.journeys.model import CapNode, ConditionNode, NodeBase, SplitNode, WaitNode
from app.journeys.profiles import ProfileRow
from app.journeys.runstate import RunState
from app.journeys.tracerecords import ProfileTrace, StepTrace

Handler = Callable[["ProfileRun", Any, StepTrace], Awaitable[Optional[str]]]
SyncHandler = Callable[["ProfileRun", Any, StepTrace], Optional[str]]


class ProfileRun:
    """One profile in the journey: its context for expressions, its clock, its trace."""

    __slots__ = ("run", "row", "clock", "ctx", "trace", "_t0", "stepping", "held")

    def __init__(self, run: RunState, row: ProfileRow) -> None:
        self.run, self.row = run, row
        clock = self.clock = ProfileClock(run.start, run.preset.real_waits)
        now = clock.virtual if not clock.real else clock.now()
        props = run.properties.copy()  # the journey's properties, then the profile's own (as dict(..., **own))
        props["profileId"] = props["externalKey"] = row.profile_id
        props["instanceUID"] = f"{run.uid_prefix}{row.row & 0xFFFFFFFFFFFF:012x}"  # run.instance_uid(row.row)
        # Positional: a slotted dataclass's keywords cost more than its fields, for every profile.
        self.ctx = Context({run.entry_event: row.event}, row.attributes, frozenset(row.audiences), {}, None, props,
                           now, run.journey.time_zone, ProfileRandom(profile_seed(run.seed, row.row)))
        self.trace = ProfileTrace(row.row, row.profile_id, "finished", [], None, None, now)
        self._t0 = time.perf_counter()
        self.stepping = False  # Step was asked at a breakpoint: pause before the next node
        self.held = False  # it paused: another worker took over the rows, its own ends with it

    async def go(self) -> ProfileTrace:
        """Walk the journey from its entry; never raises (a bug of ours ends the profile in error)."""
        run = self.run
        routes, names, counts, perf, breaks = run.routes, run.names, run.board.step_counts, time.perf_counter, \
            run.breakpoints
        ctx, steps, clock, wall = self.ctx, self.trace.steps, self.clock, time.time
        real = clock.real
        props = ctx.journey
        node: Optional[NodeBase] = run.entry
        previous: Optional[tuple[str, str]] = None  # the node before's id and name
        step: Optional[StepTrace] = None
        while node is not None:
            if breaks.active:  # the one check per step when no breakpoint is set
                await breaks.check(self, node, step)
            # Entering the node: the journey properties name it (and the one before), its step is recorded.
            now = ctx.now = clock.virtual if not real else clock.now()
            node_id = node.id
            name = names[node_id]
            if previous is not None:
                props["previousNodeId"], props["previousNodeName"] = previous
            props["currentNodeId"], props["currentNodeName"] = node_id, name
            step = StepTrace(node_id, None, None, now, wall())
            steps.append(step)
            t0 = perf()
            try:
                instant = INSTANT.get(node.type)  # most nodes never wait: no coroutine for them
                port = instant(self, node, step) if instant is not None else await HANDLERS[node.type](self, node, step)
            except Exception as exc:  # noqa: BLE001 - one profile's failure never stops the run
                port = self.fail("error", f"internal error at node {node.title}: {type(exc).__name__}: {exc}")
            step.wall_ms = (perf() - t0) * 1000
            previous, node = (node_id, name), None
            route = routes[node_id].get(port) if port is not None else None
            if route is not None:
                step.port, step.next = port, route[0]
                node = route[1]
            else:
                port = None
            key = (node_id, port, step.outcome)  # the live counts (ProgressBoard.step, inline)
            counts[key] = counts.get(key, 0) + 1
        if self.stepping:
            breaks.done(self)
        return self._close()

    def _close(self) -> ProfileTrace:
        self.trace.ended_at = self.clock.now()
        self.trace.wall_ms = (time.perf_counter() - self._t0) * 1000
        return self.trace

    def fail(self, outcome: str, error: str, code: Optional[str] = None) -> None:
        """End the profile in error or timedOut (returns None: no port)."""
        trace = self.trace
        trace.outcome, trace.code, trace.error = outcome, code, error
        if trace.steps:
            trace.steps[-1].error = error
        return None

    def cancelled(self) -> ProfileTrace:
        """The trace so far, for a profile stopped by a cancelled run."""
        self.run.breakpoints.done(self)
        self.trace.outcome = "cancelled"
        return self._close()

    def where(self, node: NodeBase, field: str, exc: EvalError) -> str:
        """An evaluation error named by node, field, position and profile."""
        exc.profile = self.row.profile_id
        return f"node {node.title}, {field}: {exc}"


# -- the handlers ----------------------------------------------------------------------------------
def _event(p: ProfileRun, node: Any, step: StepTrace) -> Optional[str]:
    step.values = {"event": p.row.event}  # the payload that moved the profile in (the platform's log shows it)
    return "next"


def _end(p: ProfileRun, node: Any, step: StepTrace) -> Optional[str]:
    return None


def _condition(p: ProfileRun, node: ConditionNode, step: StepTrace) -> Optional[str]:
    """The first path whose expression is true; why: each path tried, its value and its comparisons."""
    tried: list[dict[str, Any]] = []
    why = step.why = {"taken": None, "paths": tried}
    ctx = p.ctx
    for label, text, expr, field, port in p.run.conditions[node.id]:  # node.paths, worked out once
        try:
            value, comparisons = explain_json(expr, ctx)
        except EvalError as exc:
            message = p.where(node, field, exc)
            tried.append({"label": label, "expression": text, "error": message})
            if node.timeout_or_error:
                step.error, why["taken"] = message, "timeoutOrError"
                return "timeoutOrError"
            return p.fail("error", message)
        result = value is True
        tried.append({"label": label, "expression": text, "result": result,
                      "value": value if type(value) in JSON_AS_IS else to_json(value), "comparisons": comparisons})
        if result:
            why["taken"] = port
            return port
    if node.other_cases:
        why["taken"] = "otherCases"
        return "otherCases"
    return None


async def _wait(p: ProfileRun, node: WaitNode, step: StepTrace) -> Optional[str]:
    now = p.ctx.now
    if node.until is not None:
        try:
            until = _as_datetime(evaluate(p.run.exprs[(node.id, "until")], p.ctx).value, p.run.journey.time_zone)
        except EvalError as exc:
            return p.fail("error", p.where(node, "until", exc))
        except ValueProblem as exc:
            return p.fail("error", f"node {node.title}, until: {exc}")
        duration = max(until - now, timedelta(0))
    else:
        duration = p.run.waits[node.id]
    if p.run.preset.wait is not None:
        duration = p.run.preset.wait
    step.values = {"waitSeconds": duration.total_seconds(), "until": to_json(now + duration)}
    if p.clock.elapsed + duration > JOURNEY_TIMEOUT:
        return p.fail("timedOut", f"node {node.title}: the wait would end after the journey's "
                                  f"{describe(JOURNEY_TIMEOUT)} timeout; the platform ends the journey here")
    await p.clock.wait(duration)
    return "next"


def _as_datetime(value: Any, tz: str) -> datetime:
    """What a wait's 'until' gives, as an aware date-time (no offset: the journey's time zone)."""
    if isinstance(value, str):
        return parse_datetime(value, zone(tz))
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone(tz))
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=zone(tz))
    raise ValueProblem(f"expected a date-time to wait until, got {to_json(value)!r}")


def _split(p: ProfileRun, node: SplitNode, step: StepTrace) -> Optional[str]:
    if p.run.preset.split_top:
        step.values = {"branch": 0, "why": "test mode takes the top branch"}
        return "branches[0]"
    draw = p.ctx.rng.random() * 100
    index, total = len(node.branches) - 1, 0
    for i, branch in enumerate(node.branches):
        total += branch.percent
        if draw < total:
            index = i
            break
    step.values = {"branch": index, "draw": round(draw, 4)}
    return f"branches[{index}]"


def _cap(p: ProfileRun, node: CapNode, step: StepTrace) -> Optional[str]:
    if not p.run.preset.profile_cap:
        step.values = {"applied": False, "why": "test mode applies no profile cap"}
        return "next"
    count = p.run.cap_counts[node.id] = p.run.cap_counts.get(node.id, 0) + 1
    step.values = {"position": count, "limit": node.limit}
    return "next" if count <= node.limit else "alternate"


INSTANT: dict[str, SyncHandler] = {"event": _event, "condition": _condition, "split": _split, "cap": _cap, "end": _end}
HANDLERS: dict[str, Handler] = {"action": action_step, "wait": _wait}
