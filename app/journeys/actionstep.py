"""An action node for one profile: its Variable fields evaluated from their expressions, the request
built by the call engine, sent to the node's target (through the journey's throttling queue and
cap), each attempt recorded, and the response made readable to later expressions.

2xx: on by `next`. An error or a timeout: the node's "timeout or error" path if it has one (where
`@action{X.errorResponse...}` reads the error response), else the profile ends in `error` or
`timedOut`. A value that cannot be computed or does not fit the field ends it in `error`, naming
the node, the field, the position in the expression and the profile.
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Optional

from app.calls.build import Outgoing, SetupError
from app.calls.record import CallResult
from app.calls.send import acall
from app.calls.values import ValuesError
from app.journeys.actionplan import NodeCall
from app.journeys.expr import EvalError
from app.journeys.expr.values import to_json, to_text
from app.journeys.model import ActionNode
from app.journeys.replay import NOT_RECORDED, replayed_call
from app.journeys.targets import mock_call, placeholder_credentials
from app.journeys.tracerecords import HTTP_OUTCOME_CODES, AttemptTrace, StepTrace, http_outcome

if TYPE_CHECKING:
    from app.journeys.runstate import RunState
    from app.journeys.steps import ProfileRun
    from app.masking import Masker


JSON_AS_IS = frozenset({str, int, float, bool, type(None)})  # what to_json gives back unchanged


async def action_step(p: "ProfileRun", node: ActionNode, step: StepTrace) -> Optional[str]:
    call = p.run.plan.calls[node.id]
    out = _request(p, node, call, step)
    if out is None:
        return None
    target = call.target
    if target.kind == "dry":
        step.attempts.append(dry_attempt(call, out))
        step.outcome = "dry"  # the platform's dry run: nothing sent, the response is null
        return "next"
    # The call engine masks what it records with the call's masker: as it is now, or with more secrets
    # by the time it records (a masker only ever learns secrets). The trace need not mask them again
    # while that masker stays at this version.
    masker = call.auth.masker
    masked = (masker, masker.version)
    if target.recording is not None:
        result, queue_ms = await _replayed(p, call, out, step)
    else:
        run = p.run
        way = _way_for(run, call, out)
        if way[2] is None and way[1].connections is None and target.kind != "mock":
            # send()'s common case (no queue, no connection limit), awaited here: one coroutine less
            # for each of the call's waits to resume through.
            queue_ms = 0.0  # no queue: nothing waited
            result = _capped(await acall(way[3], call.prepared, out, call.auth, way[4], way[1], "journey",
                                         run.retry_clock), way[1])
        else:
            result, queue_ms = await send(run, call, out, step)
    step.attempts = _attempts(result, target.kind, queue_ms, masked)
    outcome = step.outcome = result.outcome
    ok = result.ok
    _remember(p, call, result, ok)
    if ok:
        return "next"
    step.error = result.summary()  # why it failed, also when the error path goes on from here
    if outcome == NOT_RECORDED:  # no answer to replay: no error path pretends the call failed
        return p.fail("error", f"node {node.title}: {result.error}", NOT_RECORDED)
    if node.timeout_or_error:
        return "timeoutOrError"
    outcome = "timedOut" if outcome == "timedout" else "error"
    return p.fail(outcome, f"node {node.title}: {result.summary()}", result.outcome)


async def _replayed(p: "ProfileRun", call: NodeCall, out: Outgoing, step: StepTrace) -> tuple[CallResult, float]:
    """A call answered from the recorded run; one the recording lacks is `notRecorded`, never sent."""
    with replayed_call(call.target.recording, p.row.row, p.row.profile_id, call.node.id) as replayed:
        result, queue_ms = await send(p.run, call, out, step)
    if replayed.missing is not None:
        result.outcome, result.error = NOT_RECORDED, f"not recorded: {replayed.missing}; nothing was sent"
    return result, queue_ms


def _request(p: "ProfileRun", node: ActionNode, call: NodeCall, step: StepTrace) -> Optional[Outgoing]:
    """The request for this profile, or None when its values cannot be made (the profile failed)."""
    raw: dict[str, Any] = {}
    field = ""
    ctx = p.ctx
    compiled = call.compiled
    if compiled is None:  # each expression's function, looked up once for the run
        compiled = call.compiled = [(key, expr.compiled) for key, expr in call.mapping]
    try:
        for key, run in compiled:
            field = key
            value = run(ctx)
            raw[key] = value if type(value) in JSON_AS_IS else to_json(value)
        suffix = ""
        if call.dynamic_path is not None:
            field = ""
            path = call.dynamic_path.compiled(p.ctx)
            suffix = "" if path is None else to_text(path)
            step.why = {"dynamicPath": suffix}  # a Re-send from the trace calls the same path
    except EvalError as exc:
        step.values = raw
        return p.fail("error", p.where(node, f"mapping[{field}]" if field else "dynamicPath", exc))
    try:
        values = call.prepared.check(raw)
        step.values = values
        return call.prepared.render(values, suffix)
    except ValuesError as exc:
        step.values = raw
        return p.fail("error", f"node {node.title}: the values do not fit {call.action.name!r} "
                               f"(profile {p.row.profile_id}): " + "; ".join(exc.problems))
    except SetupError as exc:
        step.values = raw
        return p.fail("error", f"node {node.title}: the request cannot be built: {exc}")


async def send(run: "RunState", call: NodeCall, out: Outgoing, step: StepTrace) -> tuple[CallResult, float]:
    """The call through its throttling queue and its cap; returns the result and the queue time (ms).
    A queued call's place in the queue (arrived, released: counts, not times) goes in `step.why`."""
    _, gate, queue, client, timeout = _way_for(run, call, out)
    t0 = time.monotonic()
    if queue is not None:
        queued = await queue.wait()
        step.why = {**(step.why or {}), "queue": {"arrived": queued.arrived, "released": queued.released}}
    if gate.connections is not None:
        async with gate.connections:
            result, queue_ms = await _call(run, call, out, gate, t0)
    elif call.target.kind == "mock":
        result, queue_ms = await _call(run, call, out, gate, t0)
    else:  # the common case, awaited here: one coroutine less for every step of the call to resume through
        queue_ms = (time.monotonic() - t0) * 1000
        result = await acall(client, call.prepared, out, call.auth, timeout, gate, "journey", run.retry_clock)
    return _capped(result, gate), queue_ms


def _capped(result: CallResult, gate: Any) -> CallResult:
    """The result, saying which cap refused it when one did."""
    if result.outcome == "capped":
        result.error = gate.refusal
    return result


Way = tuple[Any, Any, Any, Any, float]  # (the parsed URL it is for, cap gate, throttling queue, sender, timeout)


def _way_for(run: "RunState", call: NodeCall, out: Outgoing) -> Way:
    """The node's kept way when the call goes to the action's own URL, else one made for this call."""
    way = run.ways.get(call.node.id)
    return way if way is not None and out.target is way[0] else _way(run, call, out)


def _way(run: "RunState", call: NodeCall, out: Outgoing) -> Way:
    """Where a call goes: its cap's gate (admits as the call engine's HostCap), its throttling queue, its
    sender, its timeout; kept for the node when the call is to the action's own URL (the same every time)."""
    url, method, prepared = out.url, out.method, call.prepared
    own = out.target is prepared.parsed_url
    host = prepared.host if own else out.parsed_url.host  # the first: cached
    way = (out.target, run.capping.gate(url, method, host), run.throttling.queue(url, method), run.client_for(call),
           run.timeout)
    if own:
        run.ways[call.node.id] = way
    return way


async def _call(run: "RunState", call: NodeCall, out: Outgoing, gate: Any, t0: float) -> tuple[CallResult, float]:
    queue_ms = (time.monotonic() - t0) * 1000
    client = run.client_for(call)
    if call.target.kind == "mock":
        with mock_call():
            result = await acall(client, call.prepared, out, call.auth, run.timeout, gate, "journey", run.retry_clock)
    else:
        result = await acall(client, call.prepared, out, call.auth, run.timeout, gate, "journey", run.retry_clock)
    return result, queue_ms


def _attempts(result: CallResult, target: str, queue_ms: float, masked: tuple[Masker, int]) -> list[AttemptTrace]:
    """Each attempt as recorded (its outcome code from its answer or how it failed); the queue time
    is the first attempt's (retries wait their backoff, not the queue)."""
    exchanges = result.exchanges
    if not exchanges:  # capped or no credentials: nothing was sent
        return []
    first = exchanges[0]
    req, resp = first.request, first.response
    if resp is not None and not resp.truncated:  # the common case: AttemptTrace.from_exchange's, positional
        status = resp.status
        out = [AttemptTrace(1, target, req.method, req.url, req.headers, req.body, status, resp.headers,
                            resp.body, None, HTTP_OUTCOME_CODES.get(status) or http_outcome(status), first.error,
                            queue_ms, first.elapsed_ms, result.started_at.timestamp(), masked)]
    else:
        out = [AttemptTrace.from_exchange(first, 1, target, queue_ms=queue_ms, wall_at=result.started_at.timestamp(),
                                          masked=masked)]
    for i in range(1, len(exchanges)):
        out.append(AttemptTrace.from_exchange(exchanges[i], i + 1, target, masked=masked))
    return out


def _remember(p: "ProfileRun", call: NodeCall, result: CallResult, ok: bool) -> None:
    """The response as later expressions read it (`@action{Name.path}`, jo_status_code, errorResponse),
    and the journey properties about the last call (`ok`: result.ok)."""
    props = p.ctx.journey
    props["lastActionExecutionElapsedTime"] = int(result.duration_ms)
    props["lastExecutedActionErrorCode"] = None if ok else result.outcome
    if not ok:
        props["lastErrorCode"] = result.outcome
    name = call.action.name
    if name not in p.run.read_actions:
        return  # nothing reads it: the body is not parsed
    data = result.data
    if ok:
        p.ctx.actions[name] = {**data, "jo_status_code": result.outcome} if isinstance(data, dict) else {
            "jo_status_code": result.outcome}
        p.ctx.error_response = None
    else:
        p.ctx.actions[name] = {"jo_status_code": result.outcome, "errorResponse": data}
        p.ctx.error_response = data if isinstance(data, dict) else None


def dry_attempt(call: NodeCall, out: Outgoing) -> AttemptTrace:
    """The request a dry step would send, masked, with no response."""
    masker = call.auth.masker
    headers, params = placeholder_credentials(call.action.auth)
    target = out.parsed_url.copy_merge_params(params) if params else out.parsed_url
    shown = masker.headers([("Host", target.netloc.decode("ascii")), *out.headers.items(), *headers.items()])
    body = out.body_text
    return AttemptTrace(1, "dry", out.method, masker.text(str(target)), shown,
                        masker.text(body) if body is not None else None, outcome="dry", wall_at=time.time())
