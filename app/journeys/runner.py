"""Run a journey locally: profiles streamed from a file, each through the journey, traced.

    run = JourneyRun(home, journey, actions, engine=services.auth, resolvers=Resolvers(sandbox_resolver),
                     options=RunOptions(preset="fast", seed=7, targets={"writeEvent": Target("dry")}),
                     progress=callback, cancel=threading.Event())   # PlanError: it cannot start
    result = run.run(ProfileSource.open(path, journey.entry))      # its own event loop (uvloop)

Refuses to start (PlanError) an invalid journey (validation errors), a request that cannot be
built, or, unless `arm_real_calls`, a run that would call real hosts (`real_hosts` lists them).
Workers (`concurrency`) pull rows from the streamed reader; a profile's trace goes to the trace
writer when it ends and nothing of it is kept, so memory stays flat however many rows. Every row
read ends in exactly one outcome (rejected, discarded, finished, error, timedOut, cancelled).
Cancel (the threading.Event) stops the run within a second: profiles in flight end `cancelled`.
"""
from __future__ import annotations

import asyncio
import itertools
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Optional, Sequence

from app.calls.answer import Sender
from app.calls.batch import loop_factory, make_sender
from app.calls.client import CallClient
from app.calls.pacing import REAL, Clock
from app.journeys.actionplan import CallPlan, PlanError, Resolvers, plan_calls
from app.journeys.breakpoints import Breakpoints
from app.journeys.clock import preset as find_preset
from app.journeys.collector import fewer_young_collections
from app.journeys.findings import Report
from app.journeys.model import Journey
from app.journeys.profiles import Item, ProfileSource, Rejection
from app.journeys.progress import Callback, ProgressBoard
from app.journeys.reentry import Reentry
from app.journeys.runstate import RunState
from app.journeys.steps import ProfileRun
from app.journeys.targets import Target
from app.journeys.tracerecords import ProfileTrace
from app.journeys.traces import TraceError, TraceWriter
from app.journeys.validate import validate
from app.model import Action

if TYPE_CHECKING:
    from app.auth.engine import AuthEngine

MAX_CONCURRENCY = 512
PENDING_TRACES = 2_000  # finished profiles waiting for the writer before the run waits for it
READ_AHEAD = 32  # rows read and typed together (typed_ahead)
ENCODE_BATCH = 32  # finished profiles encoded together (TraceWriter.flush; the watcher flushes every 50 ms)


class RealCallsRefused(PlanError):
    """The run would call real hosts and was not armed; `hosts` maps each host to its nodes."""

    def __init__(self, hosts: dict[str, list[str]], targets: dict[str, str]) -> None:
        self.hosts, self.targets = hosts, targets
        listed = "; ".join(f"{h} (node{'s' if len(n) > 1 else ''} {', '.join(n)})" for h, n in hosts.items())
        super().__init__([f"this run would call real hosts: {listed}. Arm it to call them (--arm-real-calls), "
                          "or point those nodes at the sandbox, a mock or dry (--target NODE=...)"])

    @property
    def from_sandbox(self) -> bool:
        """Whether a node targeting the sandbox would reach a real host (its environment does not point there)."""
        return any(self.targets.get(n) == "sandbox" for nodes in self.hosts.values() for n in nodes)


@dataclass
class RunOptions:
    preset: str = "fast"
    seed: Optional[int] = None  # None: a random seed (stored in the trace, in the result)
    concurrency: int = 16
    targets: dict[str, Target] = field(default_factory=dict)  # by action node id; default: the sandbox
    arm_real_calls: bool = False
    transport: str = "aiohttp"
    start: Optional[datetime] = None  # the virtual time profiles enter (a replay: the recorded run's); None: now
    notes: dict[str, Any] = field(default_factory=dict)  # recorded in the trace's settings (replayOf...)
    retry_clock: Clock = REAL  # what the calls' retries wait on (app.calls.pacing): tests skip the waits
    cap_clock: Callable[[], float] = time.monotonic  # what capping windows slide on: tests hold it still


@dataclass
class RunResult:
    run_id: str
    path: Path
    state: str  # completed or cancelled
    rows_read: int
    outcomes: dict[str, int]
    seed: int
    preset: str
    elapsed_s: float
    cut: bool = False  # test mode stopped reading at its limit with rows left
    real_hosts: dict[str, list[str]] = field(default_factory=dict)


ClientFactory = Callable[[], Sender]  # the sender of the sandbox and env calls (app.calls.answer)


class JourneyRun:
    """One run of a journey; see the module docstring."""

    def __init__(self, home: Path, journey: Journey, actions: Mapping[str, Action], *, engine: AuthEngine,
                 resolvers: Resolvers, options: Optional[RunOptions] = None, progress: Optional[Callback] = None,
                 cancel: Optional[threading.Event] = None, client_factory: Optional[ClientFactory] = None,
                 breakpoints: Optional[Breakpoints] = None, validated: Optional[Report] = None) -> None:
        """`validated`: the journey's validation against these actions, when the caller made it already
        (the CLI, which reports its warnings): not made a second time."""
        self.home, self.journey = Path(home), journey
        self.options = options or RunOptions()
        report = validated if validated is not None else validate(journey, actions)
        if not report.ok:
            raise PlanError([str(f) for f in report.errors])
        try:
            self.preset = find_preset(self.options.preset)
        except ValueError as exc:
            raise PlanError([str(exc)]) from None
        if not 1 <= self.options.concurrency <= MAX_CONCURRENCY:
            raise PlanError([f"the concurrency must be between 1 and {MAX_CONCURRENCY}"])
        self.actions = [actions[n] for n in journey.actions_used() if n in actions]
        self.plan: CallPlan = plan_calls(journey, actions, self.options.targets, resolvers, engine)
        self.real_hosts = self.plan.real_hosts()
        if self.real_hosts and not self.options.arm_real_calls:
            raise RealCallsRefused(self.real_hosts, self.plan.targets())
        self.seed = self.options.seed if self.options.seed is not None else random.SystemRandom().randrange(1, 2**31)
        self.progress, self.cancel = progress, cancel or threading.Event()
        net = getattr(engine, "net", None)  # the workspace's response cap, as single calls and batches
        self.client_factory = client_factory or (lambda: make_sender(
            self.options.transport, self.options.concurrency, float(journey.timeout_seconds), net))  # type: ignore[arg-type]
        self.read = 0
        self.breakpoints = breakpoints or Breakpoints()

    def run(self, source: ProfileSource) -> RunResult:
        """arun() on its own event loop (uvloop where installed): for a worker thread or the CLI."""
        with asyncio.Runner(loop_factory=loop_factory()) as runner:
            return runner.run(self.arun(source))

    async def arun(self, source: ProfileSource) -> RunResult:
        """The run (once per JourneyRun); raises TraceError when the trace cannot be written."""
        self.read = 0
        start = self.options.start or datetime.now(timezone.utc)
        t0 = time.monotonic()
        board = ProgressBoard(self.progress, limit=self.preset.max_profiles)
        writer = TraceWriter.create(self.home, self.journey, self.actions, seed=self.seed, preset=self.preset.name,
                                    targets=self.plan.targets(), masker=self.plan.masker,
                                    settings=self._settings(source))
        writer.max_pending, writer.encode_batch = PENDING_TRACES, ENCODE_BATCH
        state = RunState(self.journey, self.preset, self.seed, start, self.plan, board, breakpoints=self.breakpoints,
                         retry_clock=self.options.retry_clock, cap_clock=self.options.cap_clock)
        state.read_actions |= self.breakpoints.reads()  # responses a condition reads are parsed too
        base: Iterator[Item] = iter(source)
        taken = itertools.islice(base, self.preset.max_profiles) if self.preset.max_profiles is not None else base
        rows = typed_ahead(taken, READ_AHEAD)
        try:
            with fewer_young_collections():  # the collector's walks were ~1 % of the loop's CPU
                cancelled = await self._work(state, rows, writer)
        except BaseException:
            writer.finish("interrupted", rows_read=self.read)
            raise
        cut = self.preset.max_profiles is not None and self.read == self.preset.max_profiles and not cancelled \
            and next(base, None) is not None
        writer.finish("cancelled" if cancelled else "completed", rows_read=self.read)
        board.publish(final=True)
        return RunResult(writer.run_id, writer.path, writer.state, self.read, dict(board.outcomes), self.seed,
                         self.preset.name, time.monotonic() - t0, cut, self.real_hosts)

    def _settings(self, source: ProfileSource) -> dict[str, Any]:
        return {"concurrency": self.options.concurrency, "timeoutSeconds": self.journey.timeout_seconds,
                "profiles": source.name, "realHosts": self.real_hosts, "armed": self.options.arm_real_calls,
                **self.options.notes}

    async def _work(self, state: RunState, rows: Iterator[Item], writer: TraceWriter) -> bool:
        """Run the workers until the rows are done or the run is cancelled (returns True then)."""
        reentry = Reentry(self.journey.reentrance, state.start, self.preset.real_waits)
        state.mock_clients = {node: CallClient(transport=transport)  # mock and replay targets
                              for node, call in self.plan.calls.items() if (transport := call.target.transport())}
        async with self.client_factory() as client:
            state.client = client
            workers: list[asyncio.Future[None]] = [asyncio.ensure_future(self._worker(state, rows, writer, reentry))
                                                   for _ in range(self.options.concurrency)]
            self.breakpoints.on_pause = lambda: self._spawn(workers, state, rows, writer, reentry)
            self.breakpoints.on_reads = lambda names: setattr(state, "read_actions", state.read_actions | names)
            watcher = asyncio.ensure_future(_watch(self.cancel, workers, state.board, writer.flush))
            try:
                await _all_of(workers)
            except asyncio.CancelledError:
                if not self.cancel.is_set():
                    raise
            finally:
                self.breakpoints.on_pause = self.breakpoints.on_reads = None
                watcher.cancel()
                for task in workers:
                    task.cancel()
                await asyncio.gather(*workers, watcher, return_exceptions=True)
                for mock in state.mock_clients.values():
                    await mock.aclose()
        return self.cancel.is_set()

    async def _worker(self, state: RunState, rows: Iterator[Item], writer: TraceWriter, reentry: Reentry) -> None:
        # Taking a row and recording its outcome has no await in between but the profile's own
        # steps: a cancelled worker records the profile it holds as cancelled, so no row is lost.
        board, add, refuse = state.board, writer.add, reentry.refuse
        for item in rows:
            self.read += 1
            board.rows_read += 1
            if isinstance(item, Rejection):
                self._record(state, writer, ProfileTrace(item.row, None, "rejected", error=str(item)))
                continue
            refused = refuse(item.profile_id)
            if refused:
                self._record(state, writer, ProfileTrace(item.row, item.profile_id, "discarded", error=refused,
                                                         entered_at=state.start, ended_at=state.start))
                continue
            profile = ProfileRun(state, item)
            try:
                trace = await profile.go()
            except asyncio.CancelledError:
                self._record(state, writer, profile.cancelled())
                raise
            add(trace)  # _record, inline: once per profile
            board.finished(trace.outcome, trace.steps[-1].node if trace.steps else None)
            if profile.held:  # another worker took over the rows while it was paused: one too many now
                return

    def _spawn(self, workers: list["asyncio.Future[None]"], state: RunState, rows: Iterator[Item],
               writer: TraceWriter, reentry: Reentry) -> None:
        """A profile paused at a breakpoint holds its worker: another takes the rows meanwhile."""
        workers.append(asyncio.ensure_future(self._worker(state, rows, writer, reentry)))

    def _record(self, state: RunState, writer: TraceWriter, trace: ProfileTrace) -> None:
        writer.add(trace)
        state.board.finished(trace.outcome, trace.steps[-1].node if trace.steps else None)


def typed_ahead(rows: Iterator[Item], n: int) -> Iterator[Item]:
    """The rows as they come, read and typed `n` at a time: the reader's and the typing's code and
    memories stay hot for a run of rows instead of going cold between two profiles' calls. A read that
    fails (a broken file) fails after the rows before it, as it would one row at a time."""
    ahead: list[Item] = []
    while True:
        try:
            for _ in range(n):
                ahead.append(next(rows))
        except StopIteration:
            yield from ahead
            return
        except BaseException:
            yield from ahead
            raise
        yield from ahead
        ahead = []


async def _all_of(workers: list["asyncio.Future[None]"]) -> None:
    """Wait for every worker, those started while waiting too (paused profiles start some)."""
    done = 0
    while done < len(workers):
        upto = len(workers)
        await asyncio.gather(*workers[done:upto])
        done = upto


async def _watch(cancel: threading.Event, workers: Sequence["asyncio.Future[None]"], board: ProgressBoard,
                 flush: Callable[[], None]) -> None:
    """Cancel the workers when asked (checked every 50 ms); meanwhile keep the progress fresh and hand
    the trace writer the profiles finished so far, even when few profiles end (real-time waits)."""
    while not cancel.is_set():
        await asyncio.sleep(0.05)
        try:
            flush()
        except TraceError:
            pass  # kept by the writer: the workers' next add, or the run's finish, raises it
        board.publish()
    for task in workers:
        task.cancel()
