"""The command line on a machine without a keyring (CI, a headless server): the README's offline
example as written, every --sandbox command alike, and the documented session-only switch.

The commands run in process (tests/helpers/cli.py) with keyring's "no backend" installed, which is
what PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring gives a process. A real process without
a keyring: tests/e2e/test_workspace_processes.py (an import refused by it)."""
from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Optional

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from tests.app.auth.file_keyring import FileKeyring
from tests.helpers.cli import Done, run_cli

REPO = Path(__file__).resolve().parents[2]
PLAIN = {"name": "plainSecret", "auth": {"type": "basic", "username": "u", "password": "hunter2"}}


def run(args: list[str], stdin: str | None = None, backend: Optional[KeyringBackend] = None, **env: str) -> Done:
    done = run_cli(*args, stdin=stdin, env=env, keyring_backend=backend or fail.Keyring())
    assert "Traceback" not in done.stderr, done.stderr
    return done


def readme_example() -> list[str]:
    readme = (REPO / "README.md").read_text("utf-8")
    block = re.search(r"offline, against the embedded sandbox.*?```\n(.*?)```", readme, re.S)
    assert block, "the README's offline example"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_the_readme_offline_example_works_without_a_keyring(tmp_path: Path) -> None:
    lines = readme_example()
    assert any("auth test" in line for line in lines) and any("send" in line for line in lines)
    for line in lines:
        stdin, _, command = line.rpartition("|") if "|" in line else ("", "", line)
        words = shlex.split(command)
        assert words[0] == "action-studio" and words[1] == "--home"
        words[2] = str(tmp_path / "demo")  # the README's folder, here under the test's own
        feed = shlex.split(stdin.strip())[1] if stdin else None  # echo '...'
        done = run(words[1:], stdin=feed)
        assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
    history = run(["--home", str(tmp_path / "demo"), "history", "list", "--json"])
    assert [r["action"] for r in json.loads(history.stdout)] == ["notifyWebhook"]


def test_every_sandbox_command_keeps_the_demo_secrets_in_memory(sample_home: Path) -> None:
    for args in (["auth", "test", "writeJourneyEvent"], ["send", "writeJourneyEvent"]):
        done = run(["--home", str(sample_home), *args, "--sandbox"])
        assert done.returncode == 0, done.stderr
        assert "note: no OS keyring: secrets are kept in memory for this command only" in done.stderr


def test_without_the_switch_a_secret_to_keep_is_refused_and_the_message_names_the_switch(tmp_path: Path) -> None:
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(PLAIN))
    done = run(["--home", str(tmp_path / "ws"), "action", "import", str(plain)])
    assert done.returncode == 1
    assert "--session-secrets or ACTION_STUDIO_SECRETS=session on the command line" in done.stderr


@pytest.mark.parametrize("switch", [["--session-secrets"], []])
def test_the_session_only_switch_is_honoured_and_says_what_is_forgotten(tmp_path: Path, switch: list[str]) -> None:
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(PLAIN))
    env = {} if switch else {"ACTION_STUDIO_SECRETS": "session"}
    done = run(["--home", str(tmp_path / "ws"), "action", "import", str(plain), *switch], **env)
    assert done.returncode == 0, done.stderr
    assert "the 1 secret of plainSecret will be forgotten when this command ends" in done.stderr
    assert "hunter2" not in "".join(p.read_text() for p in (tmp_path / "ws").rglob("*.json"))


def test_session_only_never_touches_a_working_keyring(tmp_path: Path) -> None:
    store = tmp_path / "keyring.json"
    command = "curl -X POST https://t.example/token -d client_id=1 -d client_secret=SEKRIT"
    done = run(["--home", str(tmp_path / "ws"), "auth", "from-curl", command, "--into", "tok", "--session-secrets"],
               backend=FileKeyring(), AUTH_TEST_KEYRING=str(store))
    assert done.returncode == 0, done.stderr
    assert not store.exists() and "client_secret of tok is forgotten when this command ends" in done.stderr


def test_a_choice_not_understood_is_said(tmp_path: Path) -> None:
    done = run(["--home", str(tmp_path), "action", "list", "--json"], ACTION_STUDIO_SECRETS="memory")
    assert done.returncode == 1
    assert json.loads(done.stdout) == {
        "error": "ACTION_STUDIO_SECRETS='memory' is not understood: use 'session' (secrets kept in memory for "
                 "this run only) or 'keyring'", "exitCode": 1}
