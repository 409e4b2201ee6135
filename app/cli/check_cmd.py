"""`action-studio check NAME --rate R --duration S`: will this endpoint hold the platform's load?

Drives the action at a constant arrival rate (an open model: calls start on schedule whether or not
earlier ones answered) and reports the achieved rate, latency percentiles, errors by code, the first
error responses (masked), the slow-service verdict (> 0.75 s per call) and the token endpoint's
behaviour. A real endpoint (any host but this machine) is called only when confirmed by naming its
host: `--yes-call HOST`, or typed at the prompt (refused under --json without it).
Exit codes: 0 every call got a 2xx; 3 some did not, or the authentication failed before any call; 1
invalid input or not confirmed; 130 / 143
stopped by Ctrl+C / SIGTERM (the partial report is printed).
"""
from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any

from app.cli.calling import add_call_options, call_resolver, parse_vars
from app.cli.common import EXIT_CALL_FAILED, CliError, emit, services_of

if TYPE_CHECKING:
    from app.check import CheckPlan
    from app.model import Action
    from app.resolve import Resolver
    from app.services import Services


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from app.check.plan import DEFAULT_DURATION_S, DEFAULT_RATE
    from app.cli.main import add_parser

    p = add_parser(subparsers, "check", help="endpoint readiness check: drive an action at a constant rate",
                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("name", help="the action to check (its example values are sent)")
    p.add_argument("--rate", type=float, default=DEFAULT_RATE, metavar="R",
                   help=f"calls started per second, 1-5000 (default {DEFAULT_RATE:g}: the platform's minimum "
                        "throttling rate)")
    p.add_argument("--duration", type=float, default=DEFAULT_DURATION_S, metavar="S",
                   help=f"seconds to run, at most 600 (default {DEFAULT_DURATION_S:g})")
    p.add_argument("--timeout", type=float, metavar="S", help="each call's timeout, 1-30 s (default: the action's)")
    p.add_argument("--max-in-flight", type=int, default=None, metavar="N",
                   help="safety cap of calls in flight at once (default 2000); reported when reached")
    p.add_argument("--yes-call", metavar="HOST", action="append", default=[],
                   help="confirm calling this real host (repeat for the token endpoint's host)")
    add_call_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    plan = _plan(args)
    parse_vars(args.var)
    services = services_of(args)
    try:
        action = _load(services, args.name)
        with call_resolver(args, services) as resolver:
            _confirm(args, action, resolver, plan)
            return _run(args, services, action, resolver, plan)
    finally:
        services.close()


def _plan(args: argparse.Namespace) -> CheckPlan:
    from app.check import CheckError, CheckPlan
    from app.check.plan import DEFAULT_MAX_IN_FLIGHT

    try:
        return CheckPlan(args.rate, args.duration, args.max_in_flight or DEFAULT_MAX_IN_FLIGHT, args.timeout)
    except CheckError as exc:  # the plan's words name the value; the option says where
        option = {"rate": "--rate", "duration": "--duration", "timeout": "--timeout"}.get(str(exc).split()[0],
                                                                                         "--max-in-flight")
        raise CliError(f"{option}: {exc}") from None


def _load(services: Services, name: str) -> Action:
    from app.store import StoreError

    try:
        return services.workspace.load(name)
    except StoreError as exc:
        raise CliError(str(exc)) from None


def _confirm(args: argparse.Namespace, action: Action, resolver: Resolver, plan: CheckPlan) -> None:
    """Real hosts are called only when each is named (--yes-call) or typed at the prompt."""
    from app.calls import SetupError
    from app.check.plan import confirmation, real_hosts

    try:
        hosts = real_hosts(action, resolver)
    except SetupError as exc:
        raise CliError(f"{action.name}: {exc}") from None
    missing = [h for h in hosts if h not in {y.strip().lower() for y in args.yes_call}]
    if not missing:
        return
    from app.model import CustomAuth

    text = confirmation(hosts, plan, isinstance(action.auth, CustomAuth))
    if getattr(args, "json", False) or not sys.stdin.isatty():
        raise CliError(f"{text} Not confirmed: pass " + " ".join(f"--yes-call {h}" for h in missing)
                       + " (or --sandbox to check against the embedded sandbox)")
    print(text, file=sys.stderr)
    for host in missing:
        typed = input(f"Type {host} to call it: ").strip().lower()
        if typed != host:
            raise CliError(f"not confirmed ({typed!r} is not {host}): nothing was sent")


def _run(args: argparse.Namespace, services: Services, action: Action, resolver: Resolver, plan: CheckPlan) -> int:
    from app.calls import SetupError
    from app.check import CheckError, run_check

    cancel, stopped_by = threading.Event(), []

    def stop(signum: int, _frame: Any) -> None:
        stopped_by.append(signum)
        cancel.set()

    show = sys.stderr.isatty() and not getattr(args, "json", False)
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        report = run_check(action, plan, secrets=services.secrets, resolver=resolver, net=services.net(),
                           cancel=cancel, progress=_progress if show else None)
    except SetupError as exc:
        raise CliError(f"{action.name}: {exc}") from None
    except CheckError as exc:  # the token endpoint refused, or a secret is missing: nothing was sent
        raise CliError(f"{action.name}: {exc}", EXIT_CALL_FAILED) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if show:
            sys.stderr.write("\n")
    emit(args, report.to_dict(), report.text())
    if stopped_by:
        return 128 + stopped_by[0]
    return EXIT_CALL_FAILED if report.errors else 0


def _progress(snapshot: dict[str, Any]) -> None:
    latency = snapshot["latencyMs"]
    sys.stderr.write(f"\r{snapshot['started']}/{snapshot['planned']} started, {snapshot['completed']} answered, "
                     f"p95 {latency['p95']:.0f} ms, errors {sum(snapshot['errors'].values())} ")
    sys.stderr.flush()
