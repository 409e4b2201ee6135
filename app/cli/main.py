"""The `action-studio` command: the GUI with no arguments, subcommands for scripting."""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Optional, Sequence

from app.cli.common import CliError, common_options

# Each module exposes register(subparsers); a subparser sets func=run(args) -> exit code.
COMMAND_MODULES = [
    "app.cli.actions_cmd",
    "app.cli.gui_cmd",
    "app.cli.auth_cmd",
    "app.cli.sandbox_cmd",
    "app.cli.send_cmd",
    "app.cli.history_cmd",
    "app.cli.expr_cmd",
    "app.cli.journey_cmd",
]


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    parent = common_options()
    parser = argparse.ArgumentParser(
        prog="action-studio", parents=[parent],
        description="Configure, test and send journey custom actions. With no command, opens the window.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        importlib.import_module(name).register(subparsers)
    return parser


def add_parser(subparsers: argparse._SubParsersAction, name: str, **kwargs: object) -> argparse.ArgumentParser:
    """A subcommand that also accepts --home and --json after its name."""
    return subparsers.add_parser(name, parents=[common_options()], **kwargs)  # type: ignore[arg-type]


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Opening the window must be fast: don't import every command's modules to parse its options.
    parser = build_parser(["app.cli.gui_cmd"] if _wants_gui(argv) else COMMAND_MODULES)
    args = parser.parse_args(argv)
    for name, default in (("home", None), ("json", False), ("sample", False)):
        if not hasattr(args, name):
            setattr(args, name, default)
    if args.command is None:  # no command: open the window
        from app.cli.gui_cmd import run as run_gui

        args.func = run_gui
    elif not hasattr(args, "func"):
        parser.parse_args([args.command, "--help"])
        return 2
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        return _report(exc)


def _report(exc: Exception) -> int:
    """The environment refused (no keyring, a read-only or full disk): say what, exit 1. Anything
    else is a bug of ours: a one-line report, the traceback on request, exit 70."""
    from app.secrets import SecretError  # imported here: opening the window must stay fast
    from app.settings import SettingsError
    from app.store import StoreError

    if isinstance(exc, (SecretError, SettingsError, StoreError, OSError)):
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if os.environ.get("ACTION_STUDIO_DEBUG"):
        raise exc
    print(f"error: internal error ({type(exc).__name__}: {exc}); "
          "run again with ACTION_STUDIO_DEBUG=1 for the details and please report it", file=sys.stderr)
    return 70


def _wants_gui(argv: list[str]) -> bool:
    words = [a for i, a in enumerate(argv) if not a.startswith("-") and (i == 0 or argv[i - 1] != "--home")]
    return (not words or words[0] == "gui") and "-h" not in argv and "--help" not in argv


def gui_main() -> int:
    return main(["gui", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
