"""The `action-studio` command: the GUI with no arguments, subcommands for scripting."""
from __future__ import annotations

import argparse
import contextvars
import importlib
import json
import os
import sys
from typing import Any, Optional, Sequence, cast

from app.cli.common import CliError, common_options, print_error

# Each top-level command and the module whose register(subparsers) adds it; a subparser sets
# func=run(args) -> exit code. A command imports only its own module: the others' imports (the
# models, httpx, the sandbox) cost ~0.5 s of CPU that `install-desktop` or `check-name` need not pay.
COMMANDS = {
    "check-name": "app.cli.actions_cmd", "action": "app.cli.actions_cmd", "payload": "app.cli.actions_cmd",
    "schema": "app.cli.actions_cmd",
    "gui": "app.cli.gui_cmd", "sample": "app.cli.gui_cmd",
    "auth": "app.cli.auth_cmd",
    "sandbox": "app.cli.sandbox_cmd",
    "send": "app.cli.send_cmd",
    "history": "app.cli.history_cmd",
    "expr": "app.cli.expr_cmd",
    "journey": "app.cli.journey_cmd",
    "check": "app.cli.check_cmd",
    "install-desktop": "app.cli.desktop_cmd", "uninstall-desktop": "app.cli.desktop_cmd",
}
COMMAND_MODULES = list(dict.fromkeys(COMMANDS.values()))  # every command: the help and a wrong name list them all


class _Parser(argparse.ArgumentParser):
    """argparse, whose usage errors are a JSON object too when --json was given."""

    json_errors = False

    def error(self, message: str) -> None:  # type: ignore[override]
        if self.json_errors:
            text = f"{self.prog}: {message}"
            if self.prog.split()[1:2] in (["journey"], ["expr"]):  # their errors are objects: one shape per command
                self.exit(_print_object_error(text, 2))
            self.exit(print_error(True, text, 2))
        super().error(message)


def _print_object_error(message: str, code: int) -> int:
    """A usage error as `journey` and `expr` give every error under --json: `error` an object."""
    print(json.dumps({"error": {"message": message, "problems": []}, "exitCode": code}, indent=2, ensure_ascii=False))
    return code


# The command line's words while a parser is built for it (None: build every subcommand's parser).
_WORDS: contextvars.ContextVar[Optional[list[str]]] = contextvars.ContextVar("words", default=None)


class _Rebuild(Exception):
    """The parse chose a subcommand whose parser was skipped (the words were read otherwise)."""


class _Skipped:
    """A subcommand's parser that this command line does not name. Building every verb's parser
    (argparse looks up translations for each, ~0.5 ms of CPU a parser) was most of a command's start;
    this one absorbs what register() adds to it, and its name and help are listed all the same."""

    def __getattr__(self, name: str) -> Any:
        return self._absorb

    def _absorb(self, *args: object, **kwargs: object) -> _Skipped:
        return self

    def parse_known_args(self, *args: object, **kwargs: object) -> Any:
        raise _Rebuild


_SKIPPED = _Skipped()


def build_parser(modules: Sequence[str] = COMMAND_MODULES, json_errors: bool = False,
                 words: Optional[list[str]] = None) -> argparse.ArgumentParser:
    """The parser of `modules`' commands; given the command line's `words`, only the subcommands
    they name get a parser of their own (the others are listed, and a rebuild if chosen after all)."""
    token = _WORDS.set(words)
    try:
        return _build(modules, json_errors)
    finally:
        _WORDS.reset(token)


def _build(modules: Sequence[str], json_errors: bool) -> argparse.ArgumentParser:
    parent = common_options()
    _Parser.json_errors = json_errors  # subcommand parsers are _Parsers too (argparse makes them)
    parser = _Parser(
        prog="action-studio", parents=[parent],
        description="Configure, test and send journey custom actions. With no command, opens the window.",
    )
    from app.version import __version__

    parser.add_argument("--version", action="version", version=f"action-studio {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        importlib.import_module(name).register(subparsers)
    if not modules:  # the names alone, for a name not known
        for name in COMMANDS:
            _skip(subparsers, name, None)
    return parser


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], name: str,
               **kwargs: object) -> argparse.ArgumentParser:
    """A subcommand that also accepts --home and --json after its name."""
    if isinstance(subparsers, _Skipped) or not _named(subparsers, name):
        return _skip(subparsers, name, kwargs.get("help"))
    return subparsers.add_parser(name, parents=[common_options()], **kwargs)  # type: ignore[arg-type]


def _named(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> bool:
    """Whether the command line's words start with this subcommand's path (`action list`)."""
    words = _WORDS.get()
    path = [*subparsers._prog_prefix.split()[1:], name]
    return words is None or words[:len(path)] == path


def _skip(subparsers: argparse._SubParsersAction[Any] | _Skipped, name: str,
          help: object) -> argparse.ArgumentParser:
    """Register `name` as argparse's add_parser does (a choice, listed with its help), without a parser."""
    if not isinstance(subparsers, _Skipped):
        if help is not None:
            subparsers._choices_actions.append(subparsers._ChoicesPseudoAction(name, (), help))
        subparsers._name_parser_map[name] = cast(argparse.ArgumentParser, _SKIPPED)
    return cast(argparse.ArgumentParser, _SKIPPED)


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    words = _words_of(argv)
    # A name not known, no help asked: the error lists the names only, no command's module is loaded.
    modules = [] if words and words[0] not in COMMANDS and not _asks_help(argv) else modules_for(argv)
    try:
        parser = build_parser(modules, "--json" in argv, words)
        args = parser.parse_args(argv)
    except _Rebuild:  # e.g. an abbreviated --hom DIR: the words were not the command's path
        parser = build_parser(modules_for(argv), "--json" in argv)
        args = parser.parse_args(argv)
    for name, default in (("home", None), ("json", False), ("sample", False), ("session_secrets", False)):
        if not hasattr(args, name):
            setattr(args, name, default)
    if args.command is None:  # no command: open the window
        from app.cli.gui_cmd import run as run_gui

        args.func = run_gui
    elif not hasattr(args, "func"):
        parser.parse_args([args.command, "--help"])
        return 2
    try:
        from app.logs import setup as log_to_file

        log_to_file(f"command {args.command or 'gui'}")
        _check_arguments(argv)
        _choose_secrets(args)
        return int(args.func(args) or 0)
    except CliError as exc:
        return print_error(args.json, str(exc), exc.code, exc.data)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        return _report(exc, args.json)


def _check_arguments(argv: list[str]) -> None:
    """Text the shell could not decode (invalid UTF-8) is refused, unless it names an existing file."""
    for n, arg in enumerate(argv, start=1):
        if any("\udc80" <= c <= "\udcff" for c in arg) and not os.path.exists(arg):
            raise CliError(f"argument {n} is not valid UTF-8 text")


def _choose_secrets(args: argparse.Namespace) -> None:
    """--session-secrets is ACTION_STUDIO_SECRETS=session for this process (every secret store
    made from here on, the window's too, keeps secrets in memory); a value not understood is said."""
    from app.secrets import CHOICE_VAR, session_only_chosen

    if args.session_secrets:
        os.environ[CHOICE_VAR] = "session"
    session_only_chosen()


def _report(exc: Exception, as_json: bool) -> int:
    """The environment refused (no keyring, a read-only or full disk): say what, exit 1. Anything
    else is a bug of ours: a one-line report, the traceback on request, exit 70."""
    from app.secrets import SecretError  # imported here: opening the window must stay fast
    from app.settings import SettingsError
    from app.store import StoreError

    if isinstance(exc, (SecretError, SettingsError, StoreError, OSError)):
        return print_error(as_json, str(exc), 1)
    import logging

    logging.getLogger("app").error("internal error (exit 70)", exc_info=exc)
    if os.environ.get("ACTION_STUDIO_DEBUG"):
        raise exc
    from app.masking import mask_text  # an exception's text may quote a secret: masked as in the log

    return print_error(as_json, mask_text(f"internal error ({type(exc).__name__}: {exc}); run again with "
                                          "ACTION_STUDIO_DEBUG=1 for the details and please report it"), 70)


def modules_for(argv: Sequence[str]) -> list[str]:
    """The command modules to parse argv with: the named command's only (the window's with no
    command, so opening it stays fast), every one for the overall help or a name not known."""
    words = _words_of(argv)
    if not words:
        return COMMAND_MODULES if _asks_help(argv) else [COMMANDS["gui"]]
    module = COMMANDS.get(words[0])
    return [module] if module else COMMAND_MODULES


def _asks_help(argv: Sequence[str]) -> bool:
    """-h, --help or an abbreviation argparse takes for it (--he, --hel)."""
    return any(a == "-h" or (a.startswith("--he") and "--help".startswith(a)) for a in argv)


def _words_of(argv: Sequence[str]) -> list[str]:
    """The command line without its options and the workspace folder: the command's path first."""
    return [a for i, a in enumerate(argv) if not a.startswith("-") and (i == 0 or argv[i - 1] != "--home")]


def gui_main() -> int:
    return main(["gui", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
