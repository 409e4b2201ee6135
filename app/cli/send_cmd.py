"""`action-studio send`: call an action once (`--values`) or many times (`--batch`).

Exit codes: 0 every call got a 2xx; 3 an endpoint answered an error or a call failed (the output
says which and why); 1 invalid input (values, batch lines, options, configuration); 130 / 143 a
batch interrupted by Ctrl+C / SIGTERM (the calls in flight are reported and recorded).
Input is read and checked before anything is sent or recorded.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any, Iterator, Optional

from app.cli.calling import add_call_options, call_resolver, parse_vars
from app.cli.common import EXIT_CALL_FAILED, CliError, check_timeout, emit, load_json, read_input, services_of
from app.model.base import check_placeholders

if TYPE_CHECKING:
    from app.calls.batch import BatchSummary
    from app.calls.history import History
    from app.calls.record import CallResult
    from app.model import Action
    from app.resolve import Resolver
    from app.services import Services

MAX_SHOWN = 20  # bad lines and failures printed one by one


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    p.add_argument("--transport", choices=["aiohttp", "httpx"], default="aiohttp",
                   help=argparse.SUPPRESS)
    p.add_argument("--no-history", action="store_true", help="do not record the calls in the history")
    add_call_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    _check_options(args)
    services = services_of(args)
    try:
        action = _load(services, args.name)
        if args.batch:
            text = read_input(args.batch)
            with call_resolver(args, services) as resolver:
                return _batch(args, services, action, resolver, text)
        values, body = _single_input(args, action)
        with call_resolver(args, services) as resolver:
            return _single(args, services, action, resolver, values, body)
    finally:
        services.close()


def _check_options(args: argparse.Namespace) -> None:
    check_timeout(args.timeout)
    parse_vars(args.var)
    if not 1 <= args.concurrency <= 512:
        raise CliError("--concurrency must be between 1 and 512")
    if args.body and args.batch:
        raise CliError("--body sends one call; it cannot be combined with --batch")
    try:
        check_placeholders(args.path)
    except ValueError as exc:
        raise CliError(f"--path {args.path!r}: {exc}") from None


@contextlib.contextmanager
def _history(args: argparse.Namespace, services: Services) -> Iterator[Optional[History]]:
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


def _load(services: Services, name: str) -> Action:
    from app.store import StoreError

    try:
        return services.workspace.load(name)
    except StoreError as exc:
        raise CliError(str(exc)) from None


def _single_input(args: argparse.Namespace, action: Action) -> tuple[dict[str, Any], Any]:
    """The values and the raw body (or None) of one call, from the files or the example."""
    from app.calls import inputs

    body = load_json(args.body, "--body") if args.body else None
    if not args.values:  # the example's values; with --body only those of headers and query parameters
        return {i.key: i.example for i in inputs(action) if body is None or i.kind != "payload"}, body
    values = load_json(args.values, "--values")
    if not isinstance(values, dict):
        raise CliError(f"--values {args.values}: expected a JSON object of values")
    return values, body


def _single(args: argparse.Namespace, services: Services, action: Action, resolver: Resolver, values: dict[str, Any],
            body: Any) -> int:
    from app.calls import SetupError, ValuesError, send

    try:
        result = send(action, values, engine=services.auth, resolver=resolver, timeout=args.timeout,
                      path_suffix=args.path, body=body, source="manual")
    except ValuesError as exc:
        raise CliError(f"{'--values ' + args.values if args.values else 'the example values'}: "
                       + "\n  ".join(exc.problems)) from None
    except SetupError as exc:
        raise CliError(str(exc)) from None
    with _history(args, services) as history:  # recorded once sent: bad input writes nothing
        if history is not None:
            history.add(result)
    emit(args, result.to_dict(), _result_text(result))
    if not result.ok:
        print(f"failed: {action.name}: {result.summary()}", file=sys.stderr)
        return EXIT_CALL_FAILED
    return 0


def _result_text(result: CallResult) -> str:
    lines = [result.summary()]
    response = result.response
    if response is not None and response.body:
        body = json.dumps(result.data, indent=2, ensure_ascii=False) if result.data is not None else response.body
        lines.append(body)
    return "\n".join(lines)


def _batch(args: argparse.Namespace, services: Services, action: Action, resolver: Resolver, text: str) -> int:
    from app.calls.batch import format_of, read_batch, run_batch
    from app.calls.build import SetupError, prepare

    try:
        prepared = prepare(action, resolver)
    except SetupError as exc:
        raise CliError(str(exc)) from None
    parsed = read_batch(prepared, text, args.format or format_of(args.batch))
    _print_lines(args.batch, parsed.bad)
    if not parsed.items:
        raise CliError(f"{args.batch}: no valid line to send")
    cancel, stopped_by = threading.Event(), []

    def stop(signum: int, _frame: Any) -> None:
        stopped_by.append(signum)
        cancel.set()

    bar = _ProgressBar() if sys.stderr.isatty() and not getattr(args, "json", False) else None
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with _history(args, services) as history:
            summary = run_batch(action, parsed.items, engine=services.auth, resolver=resolver, prepared=prepared,
                                concurrency=args.concurrency, timeout=args.timeout, cancel=cancel,
                                history=history, progress=bar.update if bar else None,
                                transport=args.transport, bad=parsed.bad)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if bar:
            bar.done()
    _print_lines(args.batch, summary.bad[len(parsed.bad):])  # lines whose request could not be built
    for line, reason in summary.failures[:MAX_SHOWN]:
        print(f"failed: line {line}: {reason}", file=sys.stderr)
    emit(args, summary.to_dict(), summary.line())
    if stopped_by:
        return 128 + stopped_by[0]
    if summary.failed or summary.cancelled:
        return EXIT_CALL_FAILED
    return 1 if summary.bad else 0


def _print_lines(source: str, bad: list[Any]) -> None:
    for item in bad[:MAX_SHOWN]:
        print(f"{source}: {item}", file=sys.stderr)
    if len(bad) > MAX_SHOWN:
        print(f"{source}: ... and {len(bad) - MAX_SHOWN} more bad lines", file=sys.stderr)


class _ProgressBar:
    """`[#####.....] 120/300 ok 118 failed 2` on stderr, redrawn in place."""

    WIDTH = 30

    def update(self, done: int, total: int, summary: BatchSummary) -> None:
        filled = int(self.WIDTH * done / total) if total else self.WIDTH
        failed = sum(summary.failed.values())
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} ok {summary.ok}"
                         f" failed {failed} ")
        sys.stderr.flush()

    def done(self) -> None:
        sys.stderr.write("\n")
        sys.stderr.flush()
