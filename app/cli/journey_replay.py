"""What `journey run` takes from --replay, --target and --profile: the replayed run, every action
node's target, the run's options (the recorded rows, seed, preset and virtual start by default)."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from app.cli.common import CliError, home_of

if TYPE_CHECKING:
    from app.journeys.model import Journey
    from app.journeys.replay import ReplaySetup
    from app.journeys.runner import RunOptions
    from app.journeys.targets import Target


def replay_setup(args: argparse.Namespace, journey: Journey) -> Optional[ReplaySetup]:
    """The run --replay names, checked (CliError: no such run, another journey, no such profile)."""
    from app.journeys.replay import ReplayError, ReplaySetup

    if not args.replay:
        return None
    try:
        setup = ReplaySetup.open(home_of(args), args.replay, journey)
    except ReplayError as exc:
        raise CliError(str(exc)) from None
    if args.profile and not setup.has_profile(args.profile):
        setup.close()
        raise CliError(f"--profile {args.profile}: run {setup.info.id} has no profile {args.profile!r}")
    return setup


def targets(args: argparse.Namespace, journey: Journey, setup: Optional[ReplaySetup]) -> dict[str, Target]:
    """Each action node's target: NODE=TARGET as given, else the bare --target, else (a replay) the recording."""
    from app.journeys.targets import Target, TargetError

    given: dict[str, Target] = {}
    bare: Optional[Target] = None
    for node, spec in args.target:
        try:
            target = Target.parse(spec)
        except TargetError as exc:
            raise CliError(f"--target {node + '=' if node else ''}{spec}: {exc}") from None
        if node:
            given[node] = target
        else:
            bare = target
    if setup is not None:
        return setup.targets(journey, bare, given)
    if bare is not None:
        return {**{n.id: bare for n in journey.action_nodes()}, **given}
    return given


def profiles_path(args: argparse.Namespace, setup: Optional[ReplaySetup]) -> str:
    """--profiles, else the replayed run's file; absolute, so that the trace names it from anywhere."""
    from app.journeys.replay import ReplayError

    if args.profiles:
        return args.profiles if args.profiles == "-" else str(Path(args.profiles).absolute())
    if setup is None:
        raise CliError("--profiles FILE is required (or --replay RUN, which reads the replayed run's file)")
    try:
        return setup.profiles()
    except ReplayError as exc:
        raise CliError(str(exc)) from None


def options(args: argparse.Namespace, setup: Optional[ReplaySetup], chosen: dict[str, Target]) -> RunOptions:
    """The run's options: as given, else the replayed run's, else the defaults."""
    from app.journeys.runner import RunOptions

    if setup is None:
        return RunOptions(args.preset or "fast", args.seed, args.concurrency or 16, chosen, args.arm_real_calls)
    bare = next((spec for node, spec in args.target if not node), None)
    return RunOptions(args.preset or setup.preset, args.seed if args.seed is not None else setup.seed,
                      args.concurrency or setup.concurrency, chosen, args.arm_real_calls, start=setup.start,
                      notes=setup.notes(bare or "replay"))
