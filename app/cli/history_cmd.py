"""`action-studio history`: list, show and export the recorded calls (secrets already masked)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import CliError, emit, home_of

if TYPE_CHECKING:
    from app.calls.history import Filter, History

MAX_ID = 2**63 - 1  # SQLite's largest integer: ids and limits past it cannot even be asked for


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from app.cli.main import add_parser

    p = add_parser(subparsers, "history", help="list, show or export recorded calls")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    listing = add_parser(verbs, "list", help="recorded calls, newest first")
    _filters(listing)
    listing.add_argument("--limit", type=int, default=50, metavar="N", help="at most N rows (default 50)")
    listing.set_defaults(func=run_list)
    show = add_parser(verbs, "show", help="one recorded call in full")
    show.add_argument("id", type=int)
    show.set_defaults(func=run_show)
    export = add_parser(verbs, "export", help="export recorded calls as JSON lines (oldest first)")
    _filters(export)
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    export.set_defaults(func=run_export)
    limit = add_parser(verbs, "limit", help="show or set how many calls the history keeps (oldest pruned)")
    limit.add_argument("max_rows", type=int, nargs="?", metavar="N", help="keep at most N calls (100 or more)")
    limit.set_defaults(func=run_limit)


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--action", metavar="NAME", help="only calls of this action")
    p.add_argument("--outcome", metavar="CODE", help="only this outcome (http_400, timedout...; 'error' = not 2xx)")
    p.add_argument("--source", choices=["test", "manual", "batch", "journey"], help="only calls from this source")
    p.add_argument("--search", metavar="TEXT", help="only calls holding every word of TEXT (as a word or the start "
                   "of one, any case) in the action, URL, outcome, request or response")


def _open(args: argparse.Namespace) -> History:
    from app.calls.history import FILE_NAME, History

    home = home_of(args)
    if not (Path(home) / FILE_NAME).exists():
        raise CliError(f"no history in {home} yet: calls are recorded by 'send' and the app")
    history = History.for_workspace(home)
    for problem in history.problems:  # a history or settings file set aside or ignored: say so
        print(f"warning: {problem}", file=sys.stderr)
    return history


def _where(args: argparse.Namespace) -> Filter:
    from app.calls.history import Filter

    return Filter(action=args.action, outcome=args.outcome, source=args.source, text=args.search)


def run_list(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    with _open(args) as history:
        rows = history.rows(_where(args), limit=min(args.limit, MAX_ID))
    lines = [f"{r.id:>6}  {r.time[:19]}  {r.action:<24} {r.source:<7} {r.outcome:<14} {r.duration_ms:>8.0f} ms"
             + (f"  {r.error}" if r.error else "") for r in rows]
    emit(args, [r.to_dict() for r in rows], "\n".join(lines) if lines else "no recorded calls match")
    return 0


def run_show(args: argparse.Namespace) -> int:
    with _open(args) as history:
        result = history.result(args.id) if 0 < args.id <= MAX_ID else None
    if result is None:
        raise CliError(f"no recorded call with id {args.id}")
    data = result.to_dict()
    text = [result.summary()]
    if result.request is not None:
        text += ["", result.to_curl()]
    if result.response is not None:
        text += ["", f"HTTP {result.response.status} {result.response.reason}"]
        text += [f"{k}: {v}" for k, v in result.response.headers]
        text += ["", json.dumps(result.data, indent=2) if result.data is not None else result.response.body]
    emit(args, data, "\n".join(text))
    return 0


def run_export(args: argparse.Namespace) -> int:
    with _open(args) as history:
        if args.output:
            try:
                with open(args.output, "w", encoding="utf-8") as out:
                    n = history.export_jsonl(out, _where(args))
            except OSError as exc:
                raise CliError(f"{args.output}: {exc.strerror}") from None
            print(f"exported {n} call{'s' if n != 1 else ''} to {args.output}", file=sys.stderr)
        else:
            history.export_jsonl(sys.stdout, _where(args))
    return 0


def run_limit(args: argparse.Namespace) -> int:
    """Show the bound, or store a new one in the workspace settings and prune to it now."""
    from pydantic import ValidationError

    from app.calls.history import FILE_NAME, History
    from app.settings import SettingsError, load_settings, save_settings

    home = home_of(args)
    try:
        settings = load_settings(home)
        if args.max_rows is not None:
            settings = settings.model_copy(update={"history_max_rows": args.max_rows})
            settings = type(settings).model_validate(settings.dump())
    except ValidationError:
        raise CliError(f"the history must keep between 100 and 10,000,000 calls, not {args.max_rows}") from None
    except SettingsError as exc:
        raise CliError(str(exc)) from None
    removed = 0
    if args.max_rows is not None:
        save_settings(home, settings)
        if (Path(home) / FILE_NAME).exists():
            with History.for_workspace(home) as history:
                removed = history.set_max_rows(settings.history_max_rows)
    keep = settings.history_max_rows
    note = f" ({removed} oldest call{'s' if removed != 1 else ''} pruned)" if removed else ""
    emit(args, {"maxRows": keep, "pruned": removed}, f"the history keeps the last {keep:,} calls{note}")
    return 0
