"""`action-studio journey diff RUN_A RUN_B`: what changed from one run to the other (e.g. a run and its
replay against the edited journey): counts per outcome, node and edge, the profiles whose path or
outcome changed with the node where the paths part, each action node's latency side by side.

Exit codes: 0 done (whether or not anything changed), 1 no such run or an unreadable trace, 2 usage.
"""
from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, Optional

from app.cli.common import emit, home_of
from app.cli.journey_cmd import _fail

if TYPE_CHECKING:
    from app.journeys.diff import RunDiff


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from app.cli.main import add_parser

    p = add_parser(verbs, "diff", help="compare two runs: count deltas, changed profiles, latency",
                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("run_a", metavar="RUN_A", help="run id, a unique start of it, its file, or 'last'")
    p.add_argument("run_b", metavar="RUN_B", help="the run compared with RUN_A")
    p.add_argument("--limit", metavar="N", type=int, default=100,
                   help="changed profiles listed (default 100; 0: all); the count is always complete")
    p.set_defaults(func=run_diff)


def run_diff(args: argparse.Namespace) -> int:
    from app.journeys.diff import diff_runs
    from app.journeys.traces import TraceError

    if args.limit < 0:
        return _fail(args, f"--limit {args.limit}: give 0 (all) or a positive number")
    limit = args.limit or None
    try:
        diff = diff_runs(home_of(args), args.run_a, args.run_b)
        data = diff.to_dict(limit)
    except TraceError as exc:
        return _fail(args, str(exc))
    emit(args, data, "\n".join(diff_lines(diff, data)))
    return 0


def diff_lines(diff: RunDiff, data: dict[str, Any]) -> list[str]:
    a, b = diff.run_a, diff.run_b
    lines = [f"A {a.id} ({a.journey_name}, {a.profiles} profiles, seed {a.seed})",
             f"B {b.id} ({b.journey_name}, {b.profiles} profiles, seed {b.seed})"]
    if not diff.same_journey:
        lines.append(f"note: runs of two journeys ({a.journey_name}, {b.journey_name}): nodes are matched by id")
    lines.append("outcomes: " + (", ".join(f"{d.key} {d.a} -> {d.b}{_delta(d.delta)}" for d in diff.outcome_deltas)
                                 or "none"))
    width = max((len(d.key) for d in diff.node_deltas), default=4)
    lines.append("nodes (profiles that reached each):")
    lines += [f"  {d.key:<{width}}  {d.a:>7} -> {d.b:<7}{_delta(d.delta)}".rstrip() for d in diff.node_deltas]
    lines.append("edges:")
    lines += [f"  {e.node} {e.port} -> {e.target or '?'}  {e.a} -> {e.b}{_delta(e.delta)}" for e in diff.edge_deltas]
    if diff.latency:
        lines.append("latency (network ms)   p50 A -> B      p95 A -> B")
        lines += [f"  {r.node:<20} {_ms(r.p50_a)} -> {_ms(r.p50_b)}   {_ms(r.p95_a)} -> {_ms(r.p95_b)}"
                  for r in diff.latency]
    lines.append(f"changed profiles: {diff.changed_count}")
    for p in data["changed"]:
        where = f"after {p['divergesAt']}" if p["divergesAt"] else ("same path" if p["pathA"] == p["pathB"] else
                                                                     "from the start")
        lines.append(f"  {p['profileId'] or '-'} (row {p['row']}), {where}: {_path(p['pathA'], p['outcomeA'])}"
                     f"  =>  {_path(p['pathB'], p['outcomeB'])}")
    if data["more"]:
        lines.append(f"  ... {diff.changed_count - len(data['changed'])} more (--limit 0 lists all)")
    return lines


def _delta(n: int) -> str:
    return f"  ({n:+d})" if n else ""


def _ms(value: Optional[float]) -> str:
    return f"{value:>7.1f}" if value is not None else "      -"


def _path(path: list[str], outcome: Optional[str]) -> str:
    if outcome is None:
        return "(not in this run)"
    return ">".join(path) + f" [{outcome}]"
