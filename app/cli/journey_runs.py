"""`action-studio journey runs | trace`: the workspace's runs, and one run's summary or one profile's steps.

A run is named by its id, a unique start of it, its file, or `last`. Exit codes: 0 done, 1 no such
run or profile (or an unreadable trace), 2 usage.
"""
from __future__ import annotations

import argparse

from app.cli.common import emit, home_of
from app.cli.journey_cmd import _fail
from app.cli.journey_summary import profile_lines, summary_lines


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from app.cli.main import add_parser

    p = add_parser(verbs, "runs", help="the runs of the workspace (of one journey), newest first")
    p.add_argument("journey", metavar="NAME", nargs="?")
    p.set_defaults(func=run_runs)
    p = add_parser(verbs, "trace", help="a run's summary, or one profile's steps and calls (--profile)")
    p.add_argument("run", metavar="RUN", help="run id, a unique start of it, its file, or 'last'")
    p.add_argument("--profile", metavar="ID", help="a profile id, or #N for input row N")
    p.set_defaults(func=run_trace)


def run_runs(args: argparse.Namespace) -> int:
    from app.journeys.tracereader import list_runs

    runs = [r for r in list_runs(home_of(args))
            if args.journey is None or r.journey_name.lower() == args.journey.lower()]
    rows = [f"{r.id:<45} {r.journey_name:<24} {r.state:<11} {r.profiles:>7} profiles  {r.preset:<9} seed {r.seed}"
            + (f"  replay of {r.settings['replayOf']}" if r.settings.get("replayOf") else "") for r in runs]
    emit(args, [r.to_dict() for r in runs], "\n".join(rows) if rows else "no runs yet")
    return 0


def run_trace(args: argparse.Namespace) -> int:
    from app.journeys.tracereader import TraceReader
    from app.journeys.traces import TraceError

    try:
        with TraceReader.open(home_of(args), args.run) as reader:
            if args.profile:
                entries = reader.profile(args.profile)
                if not entries:
                    return _fail(args, f"no profile {args.profile!r} in run {reader.info().id}")
                emit(args, entries, "\n".join(profile_lines(entries)))
                return 0
            summary = reader.summary()
            problems = reader.profiles(outcome="rejected", limit=5) + [
                p for o in ("error", "timedOut") for p in reader.profiles(outcome=o, limit=5)]
            emit(args, summary, "\n".join(summary_lines(summary, reader.journey(), problems)))
    except TraceError as exc:
        return _fail(args, str(exc))
    return 0
