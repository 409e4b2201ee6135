"""What every command shares: options, output (text or --json), errors without tracebacks."""
from __future__ import annotations

import argparse
import functools
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from app.paths import resolve_home

if TYPE_CHECKING:
    from app.services import Services

EXIT_CALL_FAILED = 3  # the endpoint answered an error, or the call failed (the output says which)


class CliError(Exception):
    """Invalid input: printed as 'error: ...' (a JSON object with --json), exit code 1.

    `data` is merged into the JSON object, for commands whose answer is the error (validate).
    """

    def __init__(self, message: str, code: int = 1, data: Optional[dict[str, Any]] = None) -> None:
        super().__init__(message)
        self.code = code
        self.data = data or {}


@functools.cache
def common_options() -> argparse.ArgumentParser:
    """--home, --json and --session-secrets, accepted before or after the subcommand."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--home", metavar="DIR", default=argparse.SUPPRESS,
                        help="workspace folder (default: $ACTION_STUDIO_HOME or the user data folder)")
    parent.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print machine-readable JSON (errors too)")
    parent.add_argument("--session-secrets", action="store_true", default=argparse.SUPPRESS,
                        help="keep secrets in memory for this command only, never in the OS keyring "
                             "(CI, headless machines; also ACTION_STUDIO_SECRETS=session)")
    return parent


def home_of(args: argparse.Namespace) -> Path:
    return resolve_home(getattr(args, "home", None))


def services_of(args: argparse.Namespace) -> Services:
    from app.services import Services

    return Services.open(home_of(args))


def emit(args: argparse.Namespace, data: Any, text: Optional[str] = None) -> None:
    """Print data as JSON with --json, else the human text."""
    if getattr(args, "json", False):
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    elif text is not None:
        print(text)


def print_error(as_json: bool, message: str, code: int, data: Optional[dict[str, Any]] = None) -> int:
    """An error as 'error: ...' on stderr, or with --json as one JSON object on stdout; returns code."""
    if as_json:
        print(json.dumps({**(data or {}), "error": message, "exitCode": code}, indent=2, ensure_ascii=False))
    else:
        print(f"error: {message}", file=sys.stderr)
    return code


def read_input(path: str) -> str:
    """A file's text, or standard input for '-'; unreadable input is a CliError naming the file.
    A UTF-8 byte order mark (Excel's "CSV UTF-8", Notepad) is dropped."""
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except OSError as exc:
        raise CliError(f"{path}: {exc.strerror}") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CliError(f"{path}: the text is UTF-16; save it as UTF-8 (in Excel: CSV UTF-8)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def load_json(path: str, option: str) -> Any:
    """The JSON document in a file given to `option` (--values, --body); NaN and Infinity refused."""
    from app.model import JsonError, parse_json

    text = read_input(path)
    try:
        return parse_json(text)
    except JsonError as exc:
        raise CliError(f"{option} {path}: not valid JSON (line {exc.line}, column {exc.column}: "
                       f"{exc.message})") from None


def check_timeout(seconds: Optional[float]) -> None:
    """The platform's call timeout: 1 to 30 s."""
    if seconds is not None and not (math.isfinite(seconds) and 1 <= seconds <= 30):
        raise CliError("--timeout must be between 1 and 30 seconds")
