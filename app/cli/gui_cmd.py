"""`action-studio gui` (and no command at all): open the window on a workspace.

`run` is the one place app/ reaches ui/ (app is the domain and never imports Qt): it imports
`ui.app.run_gui` when a window is wanted, so every other command starts without Qt.
tests/app/test_layers.py refuses any other import of ui/ from app/.
"""
from __future__ import annotations

import argparse


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
    from ui.app import run_gui  # the documented entry point (see the module docstring)

    return run_gui(home, sample=sample)


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
