"""`action-studio gui` (and no command at all): open the window on a workspace.

`open_window` is the one place where app/ reaches ui/ (tests/app/test_layers.py refuses any other):
the domain never depends on the window, and the window is imported only when one is wanted, so no
other command loads Qt.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from app.paths import HOME_ENV


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from app.cli.main import add_parser

    p = add_parser(subparsers, "gui", help="open the window (the default with no command)")
    p.add_argument("--sample", action="store_true",
                   help="open the sample workspace (installed on first use next to the default workspace)")
    p.set_defaults(func=run)
    p = add_parser(subparsers, "sample", help="install the sample workspace (three actions, a journey, environments)")
    p.set_defaults(func=run_sample)


def run(args: argparse.Namespace) -> int:
    from app.cli.common import home_of

    if getattr(args, "sample", False) and not getattr(args, "home", None):
        from app.sample import sample_home

        home, sample = sample_home(), True
    else:
        home, sample = home_of(args), bool(getattr(args, "sample", False))
    # No workspace named (--home, ACTION_STUDIO_HOME, --sample): the one the window had last time.
    chosen = sample or getattr(args, "home", None) or os.environ.get(HOME_ENV)
    return open_window(home, sample, last=not chosen)


def open_window(home: Path, sample: bool, last: bool = False) -> int:
    """Run the window on `home` (or the last run's workspace when `last`) until it closes; its exit
    code (the lazy entry point into ui/)."""
    from ui.app import run_gui

    return run_gui(home, sample=sample, last=last)


def run_sample(args: argparse.Namespace) -> int:
    """Copy the sample workspace to --home (default: next to the default workspace) and seed its secrets."""
    from app.cli.common import emit
    from app.paths import resolve_home
    from app.sample import install_sample, sample_home
    from app.secrets import SecretStore

    home = resolve_home(args.home) if getattr(args, "home", None) else sample_home()
    store = SecretStore()
    problems = install_sample(home, store)
    if not store.available:  # not a failure: --sandbox commands put the demo secrets in memory themselves
        problems = ["no OS keyring: the demo secrets could not be stored; commands run with --sandbox keep them "
                    "in memory for that run"]
    emit(args, {"home": str(home), "problems": problems},
         "\n".join([f"sample workspace at {home}"] + [f"warning: {p}" for p in problems]))
    return 0
