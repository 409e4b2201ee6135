"""A journey run in a process of its own, for the window: `python -m app.journeys.childrun`.

The window's UI thread must never wait for the GIL a 10,000-profile run holds (its event loop, the
trace writer), so the window starts this module as a child process and talks to it in JSON lines
(on Linux the child is forked by app.journeys.zygote, which did the imports once: same pipes, same lines):

- standard input, first line: the run (`ChildSpec.to_json`: the workspace, the journey's data as
  the window shows it, the profiles file, preset, seed, targets, armed, and the secret values the
  journey's actions and the environments refer to: the child never reads the keyring, and nothing
  secret is written anywhere; the breakpoints; or a recorded run to replay, app.journeys.replayrun);
  then, while it runs, `{"breakpoints": [...]}` (the
  breakpoints now), `{"release": KEY, "stepping": BOOL}` (Step or Resume a paused profile), and
  `stop` (or the end of the input: the window is gone), which cancels the run; it keeps what finished;
- standard output, one JSON object a line: `{"progress": ...}` (at most ~10 a second),
  `{"paused": [...]}` (the profiles paused at a breakpoint, with their steps so far, when that
  changes, at most ~10 a second), then exactly one of `{"result": ...}`, `{"refused": [why, ...]}`
  (nothing was run) or `{"error": "..."}`.

Calls to the sandbox target go to an embedded sandbox this process starts (as `journey run` does):
its load stays out of the window's process too. No Qt here.
"""
from __future__ import annotations

import json
import os
import sys
import threading
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Optional, Union

from app.journeys.progress import RunProgress

if TYPE_CHECKING:
    from app.journeys.breakpoints import Breakpoints
    from app.journeys.model import Journey
    from app.journeys.replayrun import ReplayRun
    from app.journeys.runner import RunResult
    from app.journeys.tracerecords import StepTrace
    from app.services import Services

STOP = "stop"
EXIT_REFUSED, EXIT_BUG = 1, 70
# The run is background work: on a busy machine the window's process is scheduled before it, so the
# window stays responsive while the run takes the CPU the window leaves.
NICENESS = 10


@dataclass(frozen=True)
class ChildSpec:
    """What the child runs, as plain JSON values."""

    home: str
    journey: dict[str, Any]
    profiles: str
    preset: str = "fast"
    seed: Optional[int] = None
    targets: dict[str, str] = field(default_factory=dict)  # node -> sandbox / env / dry / mock:FILE
    arm: bool = False
    secrets: dict[str, str] = field(default_factory=dict)  # secret reference -> value
    secrets_problem: Optional[str] = None  # why the window's secret store cannot be read, if it cannot
    breakpoints: list[dict[str, Any]] = field(default_factory=list)  # {"node", "port", "condition"}
    replay: Optional[str] = None  # a recorded run's file: its rows, seed and preset replayed (profiles unused)
    rerun: bool = False  # the replay's calls sent to `targets` (else answered from the recording)
    replay_profile: Optional[str] = None  # only this profile of the replayed run (from its trace)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "ChildSpec":
        return cls(**json.loads(text))


def secrets_for(services: Services, journey: Journey) -> tuple[dict[str, str], Optional[str]]:
    """The values of every secret the journey's actions and the environments refer to, from the
    window's store (a worker's job: the keyring may talk to D-Bus), and why none could be read."""
    from app.model import SecretRef
    from app.secrets import SecretError
    from app.store_errors import StoreError

    refs: set[str] = set()
    for name in journey.actions_used():
        try:
            if services.workspace.exists(name):
                refs.update(ref.secret for ref in services.workspace.load(name).secret_refs())
        except StoreError:
            pass  # validation refuses the run at the node that calls it
    for env in services.environments().environments:
        refs.update(v.value.secret for v in env.variables if isinstance(v.value, SecretRef))
    values: dict[str, str] = {}
    for ref in sorted(refs):
        try:
            value = services.secrets.get(SecretRef(secret=ref))
        except SecretError as exc:
            return values, str(exc)
        if value is not None:
            values[ref] = value
    return values, None


# -- the messages both sides read ------------------------------------------------------------------
def progress_message(progress: RunProgress, position: tuple[int, Optional[int]]) -> dict[str, Any]:
    return {"progress": {"rowsRead": progress.rows_read, "done": progress.done, "outcomes": progress.outcomes,
                         "nodes": progress.nodes, "edges": [[n, p, c] for (n, p), c in progress.edges.items()],
                         "codes": progress.codes, "elapsedS": progress.elapsed_s, "final": progress.final,
                         "limit": progress.limit, "stopped": progress.stopped, "position": list(position)}}


def read_progress(data: dict[str, Any]) -> tuple[RunProgress, tuple[int, Optional[int]]]:
    at, size = data["position"]
    return RunProgress(data["rowsRead"], data["done"], data["outcomes"], data["nodes"],
                       {(n, p): c for n, p, c in data["edges"]}, data["codes"], data["elapsedS"], data["final"],
                       data["limit"], data["stopped"]), (at, size)


def result_message(result: RunResult) -> dict[str, Any]:
    out = asdict(result)
    out["path"] = str(result.path)
    return {"result": out}


def read_result(data: dict[str, Any]) -> RunResult:
    from app.journeys.runner import RunResult

    return RunResult(**{**data, "path": Path(data["path"])})


def paused_message(breaks: Breakpoints) -> dict[str, Any]:
    """The paused profiles, each with its steps so far (as a stored trace's entry gives them)."""
    from app.journeys.breakpoints import paused_entry

    return {"paused": [{**p.to_dict(), "since": p.since, "steps": paused_entry(p)["steps"]} for p in breaks.paused()]}


def read_steps(steps: list[dict[str, Any]]) -> list[StepTrace]:
    """The steps of a paused profile, back as the runner's records (the window's trace view reads those)."""
    from datetime import datetime

    from app.journeys.tracerecords import AttemptTrace, StepTrace

    def attempt(a: dict[str, Any]) -> AttemptTrace:
        request, response = a["request"], a.get("response") or {}
        return AttemptTrace(a["number"], a["target"], request["method"], request["url"],
                            [(k, v) for k, v in request["headers"]], request["body"], a["status"],
                            [(k, v) for k, v in response.get("headers", [])], response.get("body"), None,
                            a["outcome"], a["error"], a["queueMs"], a["networkMs"], a["wallAt"])

    return [StepTrace(s["node"], s["port"], s["next"],
                      datetime.fromisoformat(s["virtualAt"]) if s["virtualAt"] else None, s["wallAt"], s["wallMs"],
                      s["values"], s["why"], s["outcome"], s["error"], [attempt(a) for a in s["attempts"]])
            for s in steps]


def set_breakpoints(breaks: Breakpoints, wanted: list[dict[str, Any]]) -> None:
    """Make the run's breakpoints these (ExprError for a condition that does not parse)."""
    from app.journeys.breakpoints import Breakpoint

    points = [Breakpoint(w["node"], w.get("port"), w.get("condition")) for w in wanted]
    keys = {p.key for p in points}
    for old in breaks.points():
        if old.key not in keys:
            breaks.clear(old.node, old.port)
    for point in points:
        breaks.set(point)


# -- the child -------------------------------------------------------------------------------------
class GivenSecrets:
    """The secret values the window handed over, in memory; a missing one is said as the window's
    store would say it."""

    name = "the window's secrets (in memory)"

    def __init__(self, values: dict[str, str], problem: Optional[str]) -> None:
        self._values, self._problem = dict(values), problem

    def get_password(self, service: str, key: str) -> Optional[str]:
        if key not in self._values and self._problem:
            raise RuntimeError(self._problem)
        return self._values.get(key)

    def set_password(self, service: str, key: str, value: str) -> None:
        self._values[key] = value  # a refreshed value stays in this process

    def delete_password(self, service: str, key: str) -> None:
        self._values.pop(key, None)


def run_child(spec: ChildSpec, out: IO[str], cancel: threading.Event, breaks: Optional[Breakpoints] = None) -> int:
    """The run the spec describes, pausing at `breaks` (set from the spec's); every message
    written to `out` (from the run's thread and the paused list's reporter: one at a time). The
    exit code."""
    from app.journeys.actionplan import PlanError
    from app.journeys.breakpoints import Breakpoints
    from app.journeys.expr import ExprError
    from app.journeys.model import Journey
    from app.journeys.runsetup import refusal_problems
    from app.secrets import SecretStore
    from app.services import Services
    from app.store import Workspace

    lock = threading.Lock()

    def say(message: dict[str, Any]) -> None:
        text = json.dumps(message, default=str) + "\n"
        with lock:
            out.write(text)
            out.flush()

    breaks = breaks if breaks is not None else Breakpoints()
    try:
        set_breakpoints(breaks, spec.breakpoints)
    except ExprError as exc:
        say({"error": f"a breakpoint's condition does not parse: {exc}"})
        return EXIT_REFUSED
    reporter = _PausedReporter(breaks, say)

    services = Services(Workspace.open(Path(spec.home)), SecretStore(GivenSecrets(spec.secrets, spec.secrets_problem)))
    try:
        journey = Journey.model_validate(spec.journey)
        result = _run(services, journey, spec, cancel, say, breaks)
    except PlanError as exc:
        say({"refused": refusal_problems(exc)})
        return EXIT_REFUSED
    except (ValueError, OSError) as exc:  # the profiles, a mock file, the runs folder (TraceError)...
        say({"error": str(exc)})
        return EXIT_REFUSED
    finally:
        reporter.stop()
        services.close()
    say(result_message(result))
    return 0


def _run(services: Services, journey: Journey, spec: ChildSpec, cancel: threading.Event,
         say: Any, breaks: Breakpoints) -> RunResult:
    from app.journeys.profiles import ProfileSource
    from app.journeys.runner import JourneyRun, RunOptions
    from app.journeys.runsetup import leaves_the_process, services_resolvers
    from app.journeys.targets import OfflineSender
    from app.journeys.traces import TraceError

    actions = {n: services.workspace.load(n) for n in journey.actions_used() if services.workspace.exists(n)}
    opened: Union[ReplayRun, ProfileSource]  # closed once the run is done
    if spec.replay is not None:
        from app.journeys.replayrun import ReplayRun  # a replay's own modules: only a replay loads them

        given = _targets(spec.targets) if spec.rerun else None
        # ReplayError (a ValueError) says why it cannot be replayed
        replay = ReplayRun.open(services.workspace.home, Path(spec.replay), journey, rerun=spec.rerun, targets=given,
                                arm=spec.arm, profile=spec.replay_profile)
        options, source, opened = replay.options, replay.source, replay
    else:
        options = RunOptions(spec.preset, spec.seed, targets=_targets(spec.targets), arm_real_calls=spec.arm)
        source = opened = ProfileSource.open(spec.profiles, journey.entry)
    offline = None if leaves_the_process(journey, options.targets) else OfflineSender
    with opened:
        runner = JourneyRun(services.workspace.home, journey, actions, engine=services.auth,
                            resolvers=services_resolvers(services), options=options, cancel=cancel,
                            progress=lambda p: say(progress_message(p, source.position())), breakpoints=breaks,
                            client_factory=offline)
        try:
            return runner.run(source)
        except TraceError as exc:
            raise OSError(str(exc)) from None


def _targets(texts: dict[str, str]) -> dict[str, Any]:
    """TargetError (which node, why) for a mock file that cannot be used."""
    from app.journeys.targets import Target, TargetError

    out = {}
    for node, text in texts.items():
        try:
            out[node] = Target.parse(text)
        except TargetError as exc:
            raise TargetError(f"node {node}: {exc}") from None
    return out


class _PausedReporter:
    """Says the paused list when it changed, at most every REPORT_S (a breakpoint many profiles hit
    changes it for each: the window needs the newest list, not every one)."""

    REPORT_S = 0.1

    def __init__(self, breaks: Breakpoints, say: Any) -> None:
        self.breaks, self.say = breaks, say
        self.changed, self.done = threading.Event(), False
        self.stopping = threading.Event()  # the run ended: its last list said at once, not REPORT_S later
        self.last: dict[str, Any] = {"paused": []}  # what the window was last told (nothing paused at first)
        breaks.on_change = self.changed.set
        self.thread = threading.Thread(target=self._loop, daemon=True, name="paused-reporter")
        self.thread.start()

    def _loop(self) -> None:
        while not self.done:
            if self.changed.wait(0.5):
                self.stopping.wait(self.REPORT_S)  # the run's result waits for this thread (stop)
                self.changed.clear()
                message = paused_message(self.breaks)
                if message != self.last:
                    self.last = message
                    self.say(message)

    def stop(self) -> None:
        self.done = True
        self.stopping.set()
        self.changed.set()
        self.thread.join(timeout=2)
        self.breaks.on_change = None


def _listen(stream: IO[str], cancel: threading.Event, breaks: Breakpoints) -> None:
    """`stop`, or the end of the input (the window closed or died), cancels the run; the window's
    breakpoint commands reach the run (Breakpoints is thread-safe)."""
    for line in stream:
        text = line.strip()
        if text == STOP:
            break
        try:
            command = json.loads(text)
            if "breakpoints" in command:
                set_breakpoints(breaks, command["breakpoints"])
            elif "release" in command:
                breaks.release(int(command["release"]), stepping=bool(command.get("stepping")))
        except Exception as exc:  # noqa: BLE001 - a bad command is said, the run goes on
            print(f"action-studio: a command was not understood ({exc}): {text[:200]}", file=sys.stderr)
    cancel.set()


def main() -> int:
    line = sys.stdin.readline()
    if not line.strip():
        print("action-studio: the journey run process expects its run as one JSON line on standard input",
              file=sys.stderr)
        return EXIT_REFUSED
    from app.journeys.breakpoints import Breakpoints

    spec = ChildSpec.from_json(line)
    if hasattr(os, "nice"):
        os.nice(NICENESS)
    cancel, breaks = threading.Event(), Breakpoints()
    threading.Thread(target=_listen, args=(sys.stdin, cancel, breaks), daemon=True, name="listener").start()
    # The messages get standard output to themselves: whatever else prints (a library) goes to stderr.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    try:
        return run_child(spec, out, cancel, breaks)
    except Exception as exc:  # noqa: BLE001 - a bug of ours: one line for the window, the traceback on stderr
        traceback.print_exc()
        out.write(json.dumps({"error": f"the run failed: {type(exc).__name__}: {exc}"}) + "\n")
        out.flush()
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
