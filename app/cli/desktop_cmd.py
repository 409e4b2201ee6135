"""`action-studio install-desktop` / `uninstall-desktop`: the launcher entry and icon for this user."""
from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from app.cli.main import add_parser

    p = add_parser(subparsers, "install-desktop",
                   help="add Action Studio to this user's application launcher (Linux: entry and icon "
                        "under $XDG_DATA_HOME)")
    p.set_defaults(func=run_install)
    p = add_parser(subparsers, "uninstall-desktop", help="remove the launcher entry and icon install-desktop added")
    p.set_defaults(func=run_uninstall)


def _check_platform() -> None:
    import sys

    from app.cli.common import CliError

    if sys.platform in ("win32", "darwin"):
        raise CliError("install-desktop follows the freedesktop conventions of Linux desktops; on Windows and "
                       "macOS use the standalone bundle (make bundle) or start action-studio-gui yourself")


def run_install(args: argparse.Namespace) -> int:
    from app.cli.common import emit
    from app.desktop import install

    _check_platform()
    written = install()
    emit(args, {"installed": [str(p) for p in written]},
         f"installed the launcher entry {written[0]} and {len(written) - 1} icon files")
    return 0


def run_uninstall(args: argparse.Namespace) -> int:
    from app.cli.common import emit
    from app.desktop import uninstall

    removed = uninstall()
    emit(args, {"removed": [str(p) for p in removed]},
         f"removed {len(removed)} files" if removed else "nothing to remove: the launcher entry was not installed")
    return 0
