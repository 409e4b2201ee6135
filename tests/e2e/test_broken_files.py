"""A broken environments.json, history.sqlite3 or settings.json: every command says which file and
why, and the user's file is never silently dropped (environments, settings: left in place;
history: set aside to broken/ and a new one started). Commands run in process, as `python -m app`
runs them (tests/helpers/cli.py), without a keyring."""
from __future__ import annotations

from pathlib import Path

import pytest
from keyring.backends import fail

from tests.helpers.cli import Done, run_cli


def cli(home: Path, *args: str, stdin: str = "") -> Done:
    done = run_cli("--home", str(home), *args, stdin=stdin, keyring_backend=fail.Keyring())
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    return done


def send(home: Path) -> Done:
    # Session-only secrets chosen up front: no "no OS keyring" note before the warnings looked at here.
    return cli(home, "send", "notifyWebhook", "--values", "-", "--sandbox", "--session-secrets",
               stdin='{"customerId": "c-9"}')


@pytest.mark.parametrize("content, reason", [
    (b'{"active": "sandbox",\n', "not valid JSON (line 2, column 1: "),
    (b'{"active": "sandbox", "environments": [{"name": 7}]}', "environments[0].name: Input should be a valid string"),
    (b'\xff\xfe{}', "not UTF-8 text (invalid start byte at byte 0)"),
])
def test_a_broken_environments_file_is_named_and_kept(sample_home: Path, content: bytes, reason: str) -> None:
    path = sample_home / "environments.json"
    path.write_bytes(content)
    done = send(sample_home)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith(f"error: {path}: {reason}"), done.stderr
    assert "the file was left as it is" in done.stderr and "undefined variable" not in done.stderr
    assert cli(sample_home, "action", "list").returncode == 0  # commands that need no environment still work
    assert path.read_bytes() == content and not (sample_home / "broken").exists()


def test_a_corrupt_history_is_named_set_aside_and_a_new_one_started(sample_home: Path) -> None:
    garbage = b"SQLite format 3\x00" + b"garbage" * 500
    (sample_home / "history.sqlite3").write_bytes(garbage)
    done = send(sample_home)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(f"warning: {sample_home / 'history.sqlite3'}: not a readable history database ("), \
        done.stderr
    assert "moved to broken/history.sqlite3." in done.stderr and "a new, empty history was started" in done.stderr
    [kept] = (sample_home / "broken").iterdir()
    assert kept.read_bytes() == garbage  # the user's file, whole
    listing = cli(sample_home, "history", "list")
    assert listing.returncode == 0 and "notifyWebhook" in listing.stdout and listing.stderr == ""


def test_a_broken_settings_file_is_named_and_kept(sample_home: Path) -> None:
    path = sample_home / "settings.json"
    path.write_text('{"historyMaxRows": 500,')
    done = send(sample_home)
    assert done.returncode == 0, done.stderr  # the call is sent and recorded; nothing is pruned meanwhile
    assert done.stderr.startswith(f"warning: {path}: not valid JSON (line 1, column 24: "), done.stderr
    assert "until then the history keeps every call" in done.stderr
    limit = cli(sample_home, "history", "limit", "1000")
    assert limit.returncode == 1 and limit.stderr.startswith(f"error: {path}: not valid JSON")
    assert path.read_text() == '{"historyMaxRows": 500,'
