"""What every command shares: options, output (text or --json), errors without tracebacks."""
from __future__ import annotations

import argparse
import functools
import json
import sys
from pathlib import Path
from typing import Any, Optional

from app.paths import resolve_home


class CliError(Exception):
    """Invalid input: printed as 'error: ...' and exit code 1."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


@functools.cache
def common_options() -> argparse.ArgumentParser:
    """--home and --json, accepted before or after the subcommand."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--home", metavar="DIR", default=argparse.SUPPRESS,
                        help="workspace folder (default: $ACTION_STUDIO_HOME or the user data folder)")
    parent.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print machine-readable JSON")
    return parent


def add_call_options(parser: argparse.ArgumentParser) -> None:
    """Options of every command that calls out: sandbox, environment, variable overrides."""
    parser.add_argument("--sandbox", action="store_true",
                        help="start the embedded sandbox for this command and point the environment at it")
    parser.add_argument("--env", metavar="NAME", help="environment to use (default: the active one)")
    parser.add_argument("--var", metavar="KEY=VALUE", action="append", default=[],
                        help="override a variable (repeatable)")


def parse_vars(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise CliError(f"--var {pair!r}: expected KEY=VALUE")
        out[key] = value
    return out


def home_of(args: argparse.Namespace) -> Path:
    return resolve_home(getattr(args, "home", None))


def services_of(args: argparse.Namespace) -> Any:
    from app.services import Services

    return Services.open(home_of(args))


def emit(args: argparse.Namespace, data: Any, text: Optional[str] = None) -> None:
    """Print data as JSON with --json, else the human text."""
    if getattr(args, "json", False):
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    elif text is not None:
        print(text)


def fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def read_input(path: str) -> str:
    """A file's text, or standard input for '-'; unreadable input is a CliError naming the file."""
    try:
        if path == "-":
            return sys.stdin.read()
        return Path(path).read_text("utf-8")
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise CliError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise CliError(f"{path}: {exc.strerror}") from None
