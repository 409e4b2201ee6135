"""`action-studio journey`: list, show and validate the workspace's journeys (run, runs and trace:
app.cli.journey_run and app.cli.journey_runs).

A journey is named by its name in the workspace, or by a file path (`.json`, or anything with a
path separator). Exit codes: 0 done (valid), 1 not found, unreadable or invalid, 2 usage. With
--json every result, errors included, is JSON on standard output.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from app.cli.common import CliError, emit, home_of

if TYPE_CHECKING:
    from app.journeys.findings import Report
    from app.journeys.model import Journey


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from app.cli.main import add_parser

    journey = add_parser(subparsers, "journey", help="list, show, validate and run journeys; their runs and traces")
    verbs = journey.add_subparsers(dest="verb", metavar="VERB", required=True)
    add_parser(verbs, "list", help="the workspace's journeys").set_defaults(func=run_list)
    p = add_parser(verbs, "show", help="one journey: properties and nodes with their paths")
    p.add_argument("journey", metavar="NAME|FILE")
    p.set_defaults(func=run_show)
    p = add_parser(verbs, "validate", help="check a journey against the workspace's actions (exit 1 on errors)")
    p.add_argument("journey", metavar="NAME|FILE")
    p.set_defaults(func=run_validate)
    from app.cli import journey_diff, journey_export, journey_run, journey_runs

    journey_run.register(verbs)
    journey_runs.register(verbs)
    journey_diff.register(verbs)
    journey_export.register(verbs)


def _fail(args: argparse.Namespace, message: str, problems: list[str] | None = None, code: int = 1) -> int:
    """An error: JSON on standard output with --json, else 'error:' lines on standard error."""
    if getattr(args, "json", False):
        # The error is an object (its problems listed); exitCode beside it as every command gives it.
        print(json.dumps({"error": {"message": message, "problems": problems or []}, "exitCode": code}, indent=2,
                         ensure_ascii=False))
    else:
        print(f"error: {message}", file=sys.stderr)
        for problem in problems or []:
            print(f"  {problem}", file=sys.stderr)
    return code


def load(args: argparse.Namespace, ref: str) -> Journey:
    """The journey named ref in the workspace, or in the file ref; JourneyFileError otherwise."""
    from app.journeys.files import load_file, load_journey

    path = Path(ref)
    if ref.endswith(".json") or "/" in ref or "\\" in ref:
        if not path.is_file():
            raise CliError(f"{ref}: no such file")
        return load_file(path)
    return load_journey(home_of(args), ref)


def _loaded(args: argparse.Namespace) -> tuple[Optional[Journey], int]:
    """The journey and 0, or None and the exit code of the error already reported."""
    from app.journeys.files import JourneyFileError

    try:
        return load(args, args.journey), 0
    except JourneyFileError as exc:
        if len(exc.problems) == 1:
            return None, _fail(args, f"{exc.where}: {exc.problems[0]}")
        return None, _fail(args, f"{exc.where}: the journey does not load", exc.problems)
    except CliError as exc:
        return None, _fail(args, str(exc))


def run_list(args: argparse.Namespace) -> int:
    from app.journeys.files import list_journeys

    entries = list_journeys(home_of(args))
    rows, data = [], []
    for e in entries:
        j = e.journey
        item: dict[str, Any] = {"name": e.name, "file": str(e.path), "description": j.description if j else None,
                "nodes": len(j.nodes) if j else None, "actions": j.actions_used() if j else [], "problem": e.problem}
        data.append(item)
        shown = (f"{len(j.nodes)} nodes, calls {', '.join(item['actions']) or 'no action'}" if j
                 else f"does not load: {e.problem}")
        rows.append(f"{e.name:<30} {shown}")
    emit(args, data, "\n".join(rows) if rows else "no journeys in this workspace")
    return 0


def run_show(args: argparse.Namespace) -> int:
    journey, failed = _loaded(args)
    if journey is None:
        return failed
    emit(args, journey.dump(), "\n".join(describe(journey)))
    return 0


def describe(journey: Journey) -> list[str]:
    """A journey in a few lines: its properties, then one line per node with where it leads."""
    r = journey.reentrance
    lines = [f"{journey.name}: {journey.description}" if journey.description else journey.name,
             f"  id {journey.id}, version {journey.version_id}",
             f"  timeout {journey.timeout_seconds} s, time zone {journey.time_zone}, reentrance "
             + (f"allowed (wait period {r.wait_period})" if r.allowed else "not allowed"),
             f"  capping: {len(journey.capping) or 'none'}, throttling: {len(journey.throttling) or 'none'}", ""]
    width = max((len(n.id) for n in journey.nodes), default=0)
    for node in journey.nodes:
        what = {"event": lambda n: f"event {n.event}", "action": lambda n: f"calls {n.action}",
                "wait": lambda n: f"wait {n.duration or 'until ' + n.until}", "cap": lambda n: f"first {n.limit}",
                }.get(node.type, lambda n: "")(node)
        paths = "; ".join(f"{e.label + ' ' if e.label else ''}-> {e.target}" for e in node.edges())
        label = f" {node.label!r}" if node.label else ""
        lines.append(f"  {node.id:<{width}}  {node.type:<9}{label}{'  ' + what if what else ''}"
                     f"{'  ' + paths if paths else ''}")
    return lines


def run_validate(args: argparse.Namespace) -> int:
    from app.journeys.validate import validate_in
    from app.store import Workspace

    journey, failed = _loaded(args)
    if journey is None:
        return failed
    workspace = Workspace.open(home_of(args))
    report = validate_in(workspace, journey)
    data = report.to_dict()
    if workspace.problems:
        data["workspaceProblems"] = list(workspace.problems)
    emit(args, data, "\n".join(_report_lines(report, workspace.problems)))
    return 0 if report.ok else 1


def _report_lines(report: Report, workspace_problems: list[str]) -> list[str]:
    lines = [f"warning: {p}" for p in workspace_problems]
    for finding in report.findings:
        lines.append(str(finding))
        lines += ["    " + row for row in finding.excerpt.splitlines()]
        if finding.expected:
            lines.append("    expected: " + ", ".join(finding.expected))
    errors, warnings = len(report.errors), len(report.warnings)
    counts = f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
    lines.append(f"{report.journey}: {'valid' if report.ok else 'invalid'} ({counts})")
    if any(f.platform for f in report.findings):
        lines.append("(platform): our engine runs it, the platform's editor would refuse or not show it")
    return lines
