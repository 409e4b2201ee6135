"""`action-studio send`: call an action once (`--values`) or many times (`--batch`).

Exit codes: 0 every call got a 2xx; 3 an endpoint answered an error or a call failed (the output
says which and why); 1 invalid input (values, batch lines, options, configuration).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
from typing import Any, Iterator, Optional

from app.cli.common import CliError, add_call_options, emit, parse_vars, read_input, services_of

EXIT_FAILED = 3


def register(subparsers: argparse._SubParsersAction) -> None:
    from app.cli.main import add_parser

    p = add_parser(subparsers, "send", help="call an action once (--values) or for every line of a file (--batch)",
                   description=__doc__)
    p.add_argument("name", help="the action to call")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--values", metavar="FILE", help="JSON object of the Variable values ('-' = stdin); keys are "
                      "field paths or labels, header:<name> / query:<name> for Variable headers and query "
                      "parameters (default: the example payload's values)")
    what.add_argument("--batch", metavar="FILE", help="JSON lines or CSV, one call per line/row ('-' = stdin)")
    p.add_argument("--body", metavar="FILE", help="send this JSON body instead of the one built from the fields")
    p.add_argument("--path", metavar="SUFFIX", default="", help="dynamic path appended to the URL")
    p.add_argument("--timeout", metavar="S", type=float, help="timeout in seconds, 1-30 (default: the action's)")
    p.add_argument("--concurrency", metavar="N", type=int, default=16, help="calls in flight with --batch (default 16)")
    p.add_argument("--format", choices=["jsonl", "csv"], help="--batch file format (default: by extension)")
    p.add_argument("--transport", choices=["aiohttp", "aiohttp-stream", "httpx"], default="aiohttp",
                   help=argparse.SUPPRESS)
    p.add_argument("--no-history", action="store_true", help="do not record the calls in the history")
    add_call_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    _check_options(args)
    services = services_of(args)
    try:
        with _sandbox(args, services) as overrides:
            action = _load(services, args.name)
            try:
                resolver = services.resolver(args.env, overrides)
            except ValueError as exc:
                raise CliError(str(exc)) from None
            with _history(args, services) as history:
                if args.batch:
                    return _batch(args, services, action, resolver, history)
                return _single(args, services, action, resolver, history)
    finally:
        services.close()


def _check_options(args: argparse.Namespace) -> None:
    if args.timeout is not None and not 1 <= args.timeout <= 30:
        raise CliError("--timeout must be between 1 and 30 seconds")
    if not 1 <= args.concurrency <= 512:
        raise CliError("--concurrency must be between 1 and 512")
    if args.body and args.batch:
        raise CliError("--body sends one call; it cannot be combined with --batch")


@contextlib.contextmanager
def _sandbox(args: argparse.Namespace, services: Any) -> Iterator[dict[str, str]]:
    """With --sandbox: a sandbox for this command, the environment pointed at it, demo secrets seeded."""
    overrides = parse_vars(args.var)
    if not args.sandbox:
        yield overrides
        return
    from app.sample import seed_sample_secrets
    from app.sandbox import Sandbox, SandboxConfig
    from app.services import SANDBOX_URL_VAR

    if not services.secrets.available:  # the sandbox takes demo credentials only: memory is enough
        services.secrets.use_session_only()
    for problem in seed_sample_secrets(services.secrets):
        print(f"warning: {problem}", file=sys.stderr)
    with Sandbox(SandboxConfig(port=0)) as sandbox:
        yield {SANDBOX_URL_VAR: sandbox.base_url, **overrides}


@contextlib.contextmanager
def _history(args: argparse.Namespace, services: Any) -> Iterator[Optional[Any]]:
    if args.no_history:
        yield None
        return
    from app.calls.history import History

    history = History.for_workspace(services.workspace.home)
    for problem in history.problems:  # a history or settings file set aside or ignored: say so
        print(f"warning: {problem}", file=sys.stderr)
    try:
        yield history
    finally:
        history.close()


def _load(services: Any, name: str) -> Any:
    from app.store import StoreError

    try:
        return services.workspace.load(name)
    except StoreError as exc:
        raise CliError(str(exc)) from None


def _json_file(path: str, what: str) -> Any:
    text = read_input(path)
    try:
        return json.loads(text)
    except ValueError as exc:
        where = f"line {exc.lineno}, column {exc.colno}: " if hasattr(exc, "lineno") else ""
        raise CliError(f"{what} {path}: not valid JSON ({where}{getattr(exc, 'msg', exc)})") from None


def _single(args: argparse.Namespace, services: Any, action: Any, resolver: Any, history: Any) -> int:
    from app.calls import SetupError, ValuesError, example_values, send

    values = _json_file(args.values, "--values") if args.values else example_values(action)
    if not isinstance(values, dict):
        raise CliError(f"--values {args.values}: expected a JSON object of values")
    body = _json_file(args.body, "--body") if args.body else None
    try:
        result = send(action, values, engine=services.auth, resolver=resolver, timeout=args.timeout,
                      path_suffix=args.path, body=body, source="manual", history=history)
    except ValuesError as exc:
        raise CliError(f"{'--values ' + args.values if args.values else 'the example values'}: "
                       + "\n  ".join(exc.problems)) from None
    except SetupError as exc:
        raise CliError(str(exc)) from None
    emit(args, result.to_dict(), _result_text(result))
    if not result.ok:
        print(f"failed: {action.name}: {result.summary()}", file=sys.stderr)
        return EXIT_FAILED
    return 0


def _result_text(result: Any) -> str:
    lines = [result.summary()]
    response = result.response
    if response is not None and response.body:
        body = json.dumps(result.data, indent=2, ensure_ascii=False) if result.data is not None else response.body
        lines.append(body)
    return "\n".join(lines)


def _batch(args: argparse.Namespace, services: Any, action: Any, resolver: Any, history: Any) -> int:
    from app.calls.batch import format_of, read_batch, run_batch
    from app.calls.build import SetupError, prepare

    text = read_input(args.batch)
    try:
        prepared = prepare(action, resolver)
    except SetupError as exc:
        raise CliError(str(exc)) from None
    parsed = read_batch(prepared, text, args.format or format_of(args.batch))
    for bad in parsed.bad[:20]:
        print(f"{args.batch}: {bad}", file=sys.stderr)
    if len(parsed.bad) > 20:
        print(f"{args.batch}: ... and {len(parsed.bad) - 20} more bad lines", file=sys.stderr)
    if not parsed.items:
        raise CliError(f"{args.batch}: no valid line to send")
    cancel = threading.Event()
    bar = _ProgressBar() if sys.stderr.isatty() and not getattr(args, "json", False) else None
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
    try:
        summary = run_batch(action, parsed.items, engine=services.auth, resolver=resolver, prepared=prepared,
                            concurrency=args.concurrency, timeout=args.timeout, cancel=cancel, history=history,
                            progress=bar.update if bar else None, transport=args.transport, bad=parsed.bad)
    finally:
        signal.signal(signal.SIGINT, previous)
        if bar:
            bar.done()
    for line, reason in summary.failures[:20]:
        print(f"failed: line {line}: {reason}", file=sys.stderr)
    emit(args, summary.to_dict(), summary.line())
    if summary.failed or summary.cancelled:
        return EXIT_FAILED
    return 1 if summary.bad else 0


class _ProgressBar:
    """`[#####.....] 120/300 ok 118 failed 2` on stderr, redrawn in place."""

    WIDTH = 30

    def update(self, done: int, total: int, summary: Any) -> None:
        filled = int(self.WIDTH * done / total) if total else self.WIDTH
        failed = sum(summary.failed.values())
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} ok {summary.ok}"
                         f" failed {failed} ")
        sys.stderr.flush()

    def done(self) -> None:
        sys.stderr.write("\n")
        sys.stderr.flush()
