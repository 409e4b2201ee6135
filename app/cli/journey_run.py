"""`action-studio journey run`: push profiles from a file through a journey, locally, and trace it.

Calls go to the embedded sandbox by default (started for the command; without a keyring its demo
secrets are kept in memory, as `send --sandbox` does). `--target NODE=env|mock:FILE|dry` points
an action node elsewhere; a run that would call real hosts lists them and refuses unless armed
(`--arm-real-calls`). Ctrl+C (or SIGTERM) stops the run within a second and keeps what finished.

`--replay RUN` runs the journey as it is now over the rows, seed, preset and virtual start of a past
run, every call answered from that run's recording (nothing is sent; a call it lacks is `notRecorded`
and ends the profile in error); `--replay RUN --target sandbox|env` sends them for real instead;
`--profile ID` runs one profile's rows only. The replay is a run like any other (diff, trace).

Expected outcomes: the profiles file's columns expectedPath (node ids joined by '>'), expectedOutcome,
expectedEnd, and/or `--expect FILE` (counts per outcome, node and FROM>TO edge; per-profile path,
outcome, end) are checked against the run and reported, pass or fail.

Exit codes: 0 the run completed (even if profiles took error paths or ended in error) and every
expectation held, 1 an invalid journey, input, expectations file or setup (nothing is run), 2 usage,
4 the run completed but an expectation did not hold (each mismatch listed), 130 the run was cancelled
(the trace says what finished). With --json everything, errors included, is JSON on standard output.
"""
from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from typing import TYPE_CHECKING, Iterator, Optional

from app.cli.calling import add_call_options, parse_vars, resolver_of, seed_demo_secrets
from app.cli.common import CliError, emit, services_of
from app.cli.journey_cmd import _fail, _loaded, _report_lines
from app.cli.journey_summary import summary_lines

if TYPE_CHECKING:
    from app.journeys.actionplan import Resolvers
    from app.journeys.expect import Expectations, Expected
    from app.journeys.model import Journey
    from app.journeys.progress import RunProgress
    from app.journeys.runner import JourneyRun, RunResult
    from app.journeys.tappedsource import TappedSource
    from app.services import Services

EXIT_CANCELLED = 130
EXIT_USAGE = 2
EXIT_EXPECTATIONS = 4  # the run completed, an expectation did not hold
PRESETS = ("fast", "test-mode", "real-time")
TARGET_KINDS = ("sandbox", "env", "mock", "dry")


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from app.cli.main import add_parser

    p = add_parser(verbs, "run", help="run a journey locally over profiles from a file (traced under runs/)",
                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("journey", metavar="NAME|FILE")
    p.add_argument("--profiles", metavar="FILE",
                   help="CSV, JSON lines or a JSON array, one profile per row ('-' = stdin); required unless "
                        "--replay (default there: the replayed run's file)")
    p.add_argument("--replay", metavar="RUN", help="replay a past run of this journey (an id, a unique start of "
                   "it, its file or 'last'): its rows, seed and preset, each call answered from its recording")
    p.add_argument("--profile", metavar="ID", help="run only this profile's rows (with --replay: from its trace)")
    p.add_argument("--expect", metavar="FILE", help="an expectations file (JSON: counts per outcome, node, "
                   "FROM>TO edge; per-profile path, outcome, end); exit 4 when one does not hold")
    p.add_argument("--preset", choices=PRESETS,
                   help="fast (default; a replay: the run's), test-mode (as the platform's test mode: 10 s "
                        "waits, top split branch, no profile cap, at most 100 profiles), real-time (waits wait)")
    p.add_argument("--target", metavar="NODE=TARGET", action="append", default=[], type=_target_arg,
                   help="where an action node's calls go: sandbox (default), env, mock:FILE (a JSON list of "
                        "responses, one per attempt), dry (built and recorded, not sent); repeatable; a bare "
                        "TARGET (no NODE=) sets every action node's")
    p.add_argument("--seed", type=int, help="seed of the percentage splits and random() (default: a random one, "
                                            "printed and stored in the trace; a replay: the run's)")
    p.add_argument("--concurrency", metavar="N", type=int, help="profiles in flight (default 16; a replay: the run's)")
    p.add_argument("--arm-real-calls", action="store_true",
                   help="allow calls to real hosts (the run lists them first)")
    add_call_options(p)
    p.set_defaults(func=run)


def _target_arg(text: str) -> tuple[str, str]:
    """(node, target), node "" for a bare target (every action node)."""
    node, sep, spec = text.partition("=")
    if not sep and text.partition(":")[0] in TARGET_KINDS:
        return "", text
    if not sep or not node or spec.partition(":")[0] not in TARGET_KINDS:
        raise argparse.ArgumentTypeError(f"{text!r}: expected NODE=sandbox, NODE=env, NODE=mock:FILE or NODE=dry "
                                         "(or a bare target for every action node)")
    return node, spec


def run(args: argparse.Namespace) -> int:
    if not args.profiles and not args.replay:  # a usage error (2), as argparse's own
        return _fail(args, "journey run: --profiles FILE is required (or --replay RUN, which reads the replayed "
                     "run's file)", code=EXIT_USAGE)
    journey, failed = _loaded(args)
    if journey is None:
        return failed
    services = services_of(args)
    try:
        return _run(args, services, journey)
    except CliError as exc:
        return _fail(args, str(exc))
    finally:
        services.close()


def _run(args: argparse.Namespace, services: Services, journey: Journey) -> int:
    from app.cli import journey_replay as replaying
    from app.cli.journey_expect import load_expectations
    from app.journeys.actionplan import PlanError
    from app.journeys.profiles import ProfilesError
    from app.journeys.runner import JourneyRun
    from app.journeys.runsetup import leaves_the_process, needs_sandbox, refusal_problems
    from app.journeys.tappedsource import TappedSource
    from app.journeys.targets import OfflineSender
    from app.journeys.traces import TraceError
    from app.journeys.validate import validate_in

    report = validate_in(services.workspace, journey)
    if not report.ok:
        return _fail(args, f"{journey.name}: the journey is invalid; nothing was run",
                     [line for line in _report_lines(report, []) if line.startswith("error")])
    if report.warnings and not getattr(args, "json", False):
        print(f"note: {len(report.warnings)} warning(s) (action-studio journey validate {journey.name} shows them)",
              file=sys.stderr)
    expectations = load_expectations(args, journey)
    with contextlib.ExitStack() as stack:
        setup = replaying.replay_setup(args, journey)
        if setup is not None:
            stack.callback(setup.close)
        targets = replaying.targets(args, journey, setup)
        profiles = replaying.profiles_path(args, setup)
        actions = {n: services.workspace.load(n) for n in journey.actions_used()}
        try:
            source = TappedSource(sys.stdin.buffer, journey.entry, None, "stdin") if profiles == "-" \
                else TappedSource.tap(profiles, journey.entry)
        except ProfilesError as exc:
            return _fail(args, str(exc))
        source.only = args.profile
        cancel = threading.Event()
        options = replaying.options(args, setup, targets)
        resolving = _resolvers(args, services, needs_sandbox(journey, targets))
        offline = None if leaves_the_process(journey, options.targets) else OfflineSender
        with source, resolving as resolvers, _Bar.maybe(args, source) as bar:
            try:
                runner = JourneyRun(services.workspace.home, journey, actions, engine=services.auth,
                                    resolvers=resolvers, options=options, progress=bar.update if bar else None,
                                    cancel=cancel, client_factory=offline, validated=report)
            except PlanError as exc:
                return _fail(args, f"{journey.name}: the run cannot start", refusal_problems(exc))
            _announce(args, runner)
            with _signals(cancel):
                try:
                    result = runner.run(source)
                except TraceError as exc:  # the runs folder cannot be written (full, read-only)
                    return _fail(args, str(exc))
    return _report(args, result, journey, expectations, source.expected)


@contextlib.contextmanager
def _resolvers(args: argparse.Namespace, services: Services, needs_sandbox: bool) -> Iterator[Resolvers]:
    """The sandbox target's resolver (the environment pointing at {{sandbox.url}}, with a sandbox
    started for this command) and the env target's (--env, else the active environment)."""
    from app.journeys.actionplan import Resolvers
    from app.journeys.runsetup import sandbox_env
    from app.services import SANDBOX_URL_VAR

    overrides = parse_vars(args.var)
    env = resolver_of(services, args.env, overrides)  # a wrong --env is said before a sandbox starts
    if not (needs_sandbox or args.sandbox):
        yield Resolvers(env, env)
        return
    from app.sandbox import Sandbox, SandboxConfig

    seed_demo_secrets(services.secrets)
    with Sandbox(SandboxConfig(port=0)) as sandbox:
        services.share_secrets_with(sandbox)  # its request log masks every secret the run reveals
        local = {SANDBOX_URL_VAR: sandbox.base_url, **overrides}
        yield Resolvers(resolver_of(services, sandbox_env(services), local),
                        resolver_of(services, args.env, local) if args.sandbox else env)


def _announce(args: argparse.Namespace, runner: JourneyRun) -> None:
    """Real hosts first (an armed run), then what runs, on standard error."""
    for host, nodes in runner.real_hosts.items():
        print(f"real calls: {host} (from {', '.join(nodes)})", file=sys.stderr)
    if not getattr(args, "json", False):
        targets = ", ".join(f"{n}={t}" for n, t in runner.plan.targets().items())
        print(f"running {runner.journey.name}: preset {runner.preset.name}, seed {runner.seed}, "
              f"concurrency {runner.options.concurrency}, targets {targets or 'none'}", file=sys.stderr)
        sys.stderr.flush()


@contextlib.contextmanager
def _signals(cancel: threading.Event) -> Iterator[None]:
    previous = {sig: signal.signal(sig, lambda *_: cancel.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _report(args: argparse.Namespace, result: RunResult, journey: Journey, expectations: Optional[Expectations],
            expected: dict[int, Expected]) -> int:
    from app.journeys.expect import check
    from app.journeys.tracereader import TraceReader

    with TraceReader(result.path) as reader:
        summary = reader.summary()
        problems = reader.profiles(outcome="rejected", limit=5) + [
            p for o in ("error", "timedOut") for p in reader.profiles(outcome=o, limit=5)]
        recorded = reader.journey()
    summary.update(cut=result.cut, elapsedS=round(result.elapsed_s, 3))
    lines = summary_lines(summary, recorded, problems, result.cut)
    verdict = None
    if expectations is not None or expected:
        verdict = check(result.path, journey, expectations, expected)
        summary["expectations"] = verdict.to_dict()
        lines += verdict.lines()
    emit(args, summary, "\n".join(lines))
    if result.state == "cancelled":
        return EXIT_CANCELLED
    return EXIT_EXPECTATIONS if verdict is not None and not verdict.ok else 0


class _Bar:
    """A tqdm bar on a terminal: profiles done, rate, ETA (the total estimated from the bytes read)."""

    def __init__(self, source: TappedSource) -> None:
        from tqdm import tqdm

        self.source = source
        self.bar = tqdm(total=None, unit=" profiles", file=sys.stderr, dynamic_ncols=True, leave=False)

    @classmethod
    @contextlib.contextmanager
    def maybe(cls, args: argparse.Namespace, source: TappedSource) -> Iterator[Optional["_Bar"]]:
        if getattr(args, "json", False) or not sys.stderr.isatty():
            yield None
            return
        bar = cls(source)
        try:
            yield bar
        finally:
            bar.bar.close()

    def update(self, progress: RunProgress) -> None:
        at, size = self.source.position()
        if progress.limit is not None:
            self.bar.total = progress.limit
        elif size and at:
            self.bar.total = max(progress.done, round(progress.rows_read * size / at))
        self.bar.n = progress.done
        self.bar.set_postfix({k: v for k, v in sorted(progress.outcomes.items())}, refresh=False)
        self.bar.refresh()
