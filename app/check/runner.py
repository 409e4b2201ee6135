"""Driving an action at a constant arrival rate: an open model on the event loop.

Each call has an absolute start time (`t0 + i / rate`); the scheduler starts every call that is
due, whether or not earlier ones have answered, so a slow endpoint shows as latency and calls in
flight, never as a lower rate (a closed pool of workers would hide it). Calls in flight are bounded
only by the plan's safety cap: a call due while it is reached is not started and is counted.
The calls go through the sending path of app.calls (request building, masking, token cache,
retries within the timeout, bounded reads) over the bulk path's shared client.
"""
from __future__ import annotations

import asyncio
import threading
import time
from typing import TYPE_CHECKING, Any, Callable, Optional

from app.calls.batch import loop_factory, make_client
from app.calls.build import prepare
from app.calls.credentials import AuthState
from app.calls.pacing import REAL, Clock
from app.calls.send import acall
from app.calls.values import example_values
from app.check.plan import CheckError, CheckPlan
from app.check.report import CheckReport
from app.check.tokenwatch import WatchedEngine, token_report
from app.masking import Masker
from app.model import Action
from app.net import NetConfig
from app.resolve import Resolver

if TYPE_CHECKING:
    from app.secrets import SecretStore

Progress = Callable[[dict[str, Any]], None]
_POLL_S = 0.05      # how often a waiting scheduler looks at the stop flag
_PROGRESS_S = 0.25  # how often progress is reported


async def arun_check(action: Action, plan: CheckPlan, *, secrets: SecretStore, resolver: Resolver,
                     net: Optional[NetConfig] = None, values: Optional[dict[str, Any]] = None,
                     cancel: Optional[threading.Event] = None, progress: Optional[Progress] = None,
                     clock: Clock = REAL) -> CheckReport:
    """Run the check; `cancel` set stops it at once (calls in flight abandoned), the report says so.
    `clock`: the time each call's retries read and wait on (app.calls.pacing; the schedule keeps
    the loop's own time).
    Raises app.calls.SetupError when the action's request cannot be built, CheckError when its
    credentials cannot be had (nothing is sent to the endpoint then)."""
    net = net or NetConfig()
    prepared = prepare(action, resolver)
    out = prepared.render(values if values is not None else example_values(action))
    engine = WatchedEngine(secrets, net=net)
    auth = AuthState(engine, action, resolver, Masker(resolver.secret_values))
    report = CheckReport(action.name, plan, host=prepared.host)
    timeout = plan.timeout_s or action.timeout_seconds
    stop = cancel or threading.Event()
    loop = asyncio.get_running_loop()
    in_flight: set[asyncio.Task[None]] = set()
    t0 = loop.time()

    async def one(scheduled: float) -> None:
        begun = loop.time()
        report.max_start_lag_ms = max(report.max_start_lag_ms, (begun - scheduled) * 1000)
        result = await acall(client, prepared, out, auth, timeout, None, "check", clock)
        report.add(result, begun - t0)

    await _credentials(auth, timeout)
    async with make_client("aiohttp", plan.max_in_flight, timeout, net) as client:
        t0 = loop.time()
        last_progress = t0
        try:
            for index in range(plan.total_calls):
                scheduled = t0 + index / plan.rate
                if not await _wait_until(loop, scheduled, stop):
                    break
                if len(in_flight) >= plan.max_in_flight:
                    report.not_started_cap += 1
                    continue
                task = asyncio.ensure_future(one(scheduled))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
                report.started += 1
                report.schedule_s = loop.time() - t0  # when it really started: a late start lowers the rate
                report.max_in_flight = max(report.max_in_flight, len(in_flight))
                if progress is not None and loop.time() - last_progress >= _PROGRESS_S:
                    last_progress = loop.time()
                    progress(_snapshot(report, action, engine, loop.time() - t0))
            while in_flight and not stop.is_set():
                await asyncio.wait(set(in_flight), timeout=_POLL_S)
        finally:
            report.cancelled = stop.is_set()
            for task in in_flight:
                task.cancel()
            await asyncio.gather(*in_flight, return_exceptions=True)
            report.elapsed_s = loop.time() - t0
    report.token = token_report(action.auth, engine)
    if progress is not None:
        progress(report.to_dict())
    return report


def run_check(action: Action, plan: CheckPlan, **kwargs: Any) -> CheckReport:
    """`arun_check` for synchronous callers (a worker thread, the CLI)."""
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(arun_check(action, plan, **kwargs))


async def _credentials(auth: AuthState, timeout: float) -> None:
    """The credentials, once, before the schedule starts (the token call is measured apart, in the
    token report): a check whose every call would fail to authenticate does not start."""
    try:
        await auth.get(time.monotonic() + timeout)
    except Exception as exc:  # AuthError, AuthTimeout, a token call that failed at the socket
        raise CheckError(f"authentication failed before any call: {auth.masker.text(str(exc))}") from None


async def _wait_until(loop: asyncio.AbstractEventLoop, when: float, stop: threading.Event) -> bool:
    """Sleep until `when` (loop time), looking at `stop` meanwhile; False when stopped. A call
    already due is started at once: a late scheduler catches up instead of shifting the schedule."""
    while True:
        if stop.is_set():
            return False
        left = when - loop.time()
        if left <= 0:
            return True
        await asyncio.sleep(min(left, _POLL_S))


def _snapshot(report: CheckReport, action: Action, engine: WatchedEngine, elapsed: float) -> dict[str, Any]:
    report.elapsed_s = elapsed
    report.token = token_report(action.auth, engine)
    return report.to_dict()


__all__ = ["arun_check", "run_check"]
