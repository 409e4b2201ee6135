"""The command's start: only the parsers of the subcommand named are built (most of a command's
CPU before its own work), with the help and usage errors of the whole parser, byte for byte."""
from __future__ import annotations

import argparse
import contextlib
import io
from pathlib import Path
from unittest import mock

import pytest

from app.cli.main import COMMAND_MODULES, build_parser
from tests.helpers.cli import run_cli


def whole_parser(*argv: str) -> tuple[int, str, str]:
    """What the parser of every command and verb, built in full, says of argv (help, usage errors)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exit_:
        build_parser(COMMAND_MODULES, "--json" in argv).parse_args(list(argv))
    return exit_.value.code, out.getvalue(), err.getvalue()  # type: ignore[return-value]


def test_a_command_builds_the_parsers_of_its_path_only(tmp_path: Path) -> None:
    built = []
    init = argparse.ArgumentParser.__init__

    def counting(self: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        built.append(kwargs.get("prog"))
        init(self, *args, **kwargs)  # type: ignore[arg-type]

    with mock.patch.object(argparse.ArgumentParser, "__init__", counting):
        done = run_cli("--home", str(tmp_path), "action", "list")
    assert done.returncode == 0, done.stderr
    # action-studio, its `action`, `action list` (and the shared options' parent, once a process):
    # not `action show`, `import`, `limits`... nor `check-name`, `payload` or `schema`.
    assert set(built) - {None} == {"action-studio", "action-studio action", "action-studio action list"}, built


@pytest.mark.parametrize("argv", [
    ["--help"], ["--he"], ["--hel", "bogus"], ["bogus"], ["--json", "bogus"], ["bogus", "--help"], ["action", "--help"], ["action"], ["action", "nope"],
    ["action", "list", "--help"], ["action", "show"], ["--json", "action", "show", "a", "b"],
    ["history", "--bogus"], ["payload", "fields", "--help"], ["auth", "nope", "--json"], ["journey", "--help"],
    ["check-name"], ["sandbox", "--help"],
])
def test_help_and_usage_errors_are_the_whole_parsers(argv: list[str]) -> None:
    done = run_cli(*argv)
    assert (done.returncode, done.stdout, done.stderr) == whole_parser(*argv)


def test_words_read_otherwise_still_reach_the_command(tmp_path: Path) -> None:
    """An abbreviated option (--hom DIR) puts DIR among the words: the command is parsed all the same."""
    abbreviated = run_cli("--hom", str(tmp_path), "action", "list", "--json")
    full = run_cli("--home", str(tmp_path), "action", "list", "--json")
    assert (abbreviated.returncode, abbreviated.stdout, abbreviated.stderr) == (0, full.stdout, full.stderr)


@pytest.mark.parametrize(("argv", "message"), [
    (["journey", "run"], "action-studio journey run: the following arguments are required: NAME|FILE"),
    (["journey", "frob"], "action-studio journey: argument VERB: invalid choice: 'frob'"),
    (["expr"], "action-studio expr: the following arguments are required: expression"),
])
def test_a_usage_error_of_journey_or_expr_is_an_object_as_their_other_errors(argv: list[str], message: str) -> None:
    """The README: `expr` and `journey` give `error` as an object under --json; a script reading
    error.message must not meet a plain string when the command line itself is wrong."""
    import json

    done = run_cli("--json", *argv)
    answer = json.loads(done.stdout)
    assert done.returncode == 2 and answer["exitCode"] == 2
    assert answer["error"]["message"].startswith(message) and answer["error"]["problems"] == []


def test_other_commands_usage_errors_stay_a_string() -> None:
    import json

    done = run_cli("--json", "action", "frob")
    assert done.returncode == 2 and json.loads(done.stdout)["error"].startswith("action-studio action: argument VERB")
