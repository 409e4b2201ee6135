"""`action-studio expr` as `python -m app` runs it (in process, tests/helpers/cli.py): exit codes,
output, no tracebacks."""
from __future__ import annotations

import json

from tests.helpers.cli import Done, run_cli


def expr(*args: str) -> Done:
    done = run_cli("expr", *args)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def test_value_and_type_with_events_profile_and_actions() -> None:
    done = expr('@event{purchase.value} > 100 and #{ExperiencePlatform.G.profile.tier} == "gold" '
                'and @action{lookup.jo_status_code} == "http_200"',
                "--event", 'purchase={"value": 150}', "--profile", '{"tier": "gold"}',
                "--action", 'lookup={"jo_status_code": "http_200"}')
    assert done.returncode == 0 and done.stdout.strip() == "true  (boolean)"
    assert expr('upper("abc")').stdout.strip() == '"ABC"  (string)'


def test_json_value() -> None:
    done = expr('nowWithDelta(-1, "days")', "--now", "2024-03-10T12:00:00Z", "--json")
    assert done.returncode == 0
    assert json.loads(done.stdout) == {"value": "2024-03-09T12:00:00Z", "type": "dateTime"}
    seeded = [json.loads(expr("uuid()", "--seed", "3", "--json").stdout)["value"] for _ in range(2)]
    assert seeded[0] == seeded[1]
    assert json.loads(expr('inAudience("VIP")', "--audience", "VIP", "--json").stdout)["value"] is True


def test_parse_error_has_position_caret_and_exit_1() -> None:
    done = expr('toUpperCase(@event{purchase.name})')
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "error: line 1, column 1: unknown function 'toUpperCase': the platform's name is upper",
        "  toUpperCase(@event{purchase.name})",
        "  ^^^^^^^^^^^",
    ]
    assert "expected: " in expr("1 +").stderr


def test_json_errors() -> None:
    done = expr("@event{e.x} >", "--json")
    assert done.returncode == 1
    error = json.loads(done.stdout)["error"]
    assert set(error) == {"message", "line", "column", "expected"}
    assert (error["line"], error["column"]) == (1, 14) and "a number" in error["expected"]
    assert json.loads(done.stdout)["exitCode"] == 1  # as every command's --json error says it
    failed = expr('"abc" > 1', "--json")
    assert failed.returncode == 1
    assert json.loads(failed.stdout)["error"] == {
        "message": "> compares numbers with numbers and dates with dates, not string with integer",
        "line": 1, "column": 1, "expected": []}


def test_lint_warnings_go_to_stderr() -> None:
    done = expr("true AND false")
    assert done.returncode == 0 and done.stdout.strip() == "false  (boolean)"
    assert "warning: line 1, column 6: the platform refuses 'AND'" in done.stderr


def test_bad_input_and_usage() -> None:
    bad_json = expr("1", "--event", "purchase={")
    assert bad_json.returncode == 1 and bad_json.stderr.startswith("error: --event purchase: not JSON (line 1, column 2")
    assert expr("1", "--profile", "[1]").returncode == 1
    assert expr("1", "--tz", "Nowhere/City").returncode == 1
    assert "--now" in expr("1", "--now", "yesterday").stderr
    assert expr("1", "--event", "no-equals-sign").returncode == 2
    assert expr().returncode == 2
    assert expr("1", "--seed", "x").returncode == 2
