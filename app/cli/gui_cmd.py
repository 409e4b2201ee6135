"""`action-studio gui` (and no command at all): open the window on a workspace."""
from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    from app.cli.main import add_parser

    p = add_parser(subparsers, "gui", help="open the window (the default with no command)")
    p.add_argument("--sample", action="store_true",
                   help="open the sample workspace (installed on first use next to the default workspace)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.cli.common import home_of

    if getattr(args, "sample", False) and not getattr(args, "home", None):
        from app.sample import sample_home

        home, sample = sample_home(), True
    else:
        home, sample = home_of(args), bool(getattr(args, "sample", False))
    from ui.app import run_gui  # Qt is imported only when a window is wanted

    return run_gui(home, sample=sample)
