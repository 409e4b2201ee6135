"""`action-studio check`: the sandbox run, the confirmation a real host needs, bounds, and Ctrl+C."""
from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import pytest
from keyring.backends import fail

from tests.helpers.cli import Done, run_cli
from tests.helpers.forks import APP, ForkServer
from tests.helpers.hanging_server import hanging_server

REPO = Path(__file__).resolve().parents[2]


def cli(*args: str, home: Path) -> Done:
    done = run_cli("--home", str(home), *args, keyring_backend=fail.Keyring())
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    return done


def test_sandbox_check_reports_as_json(sample_home: Path) -> None:
    done = cli("check", "writeJourneyEvent", "--rate", "100", "--duration", "0.2", "--sandbox", "--json",
               home=sample_home)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["planned"], data["started"], data["ok"], data["errors"]) == (20, 20, 20, {})
    assert set(data["latencyMs"]) == {"p50", "p95", "p99", "max", "mean"}
    assert data["slowService"]["wouldMove"] is False and data["token"]["fetches"] == 1
    assert data["token"]["verdict"].startswith("ok: cached 28000 s")
    text = cli("check", "airshipCustomEvent", "--rate", "100", "--duration", "0.1", "--sandbox", home=sample_home)
    assert "10 of 10 calls started" in text.stdout and "fast enough" in text.stdout


def test_a_real_host_needs_its_name_confirmed(sample_home: Path) -> None:
    refused = cli("check", "airshipCustomEvent", "--env", "production", "--rate", "300", "--duration", "2", "--json",
                  home=sample_home)
    assert refused.returncode == 1
    error = json.loads(refused.stdout)["error"]
    assert error.startswith("This check makes 600 calls to go.urbanairship.com (300 calls per second for 2 s)")
    assert "Not confirmed: pass --yes-call go.urbanairship.com" in error
    wrong = cli("check", "writeJourneyEvent", "--env", "production", "--yes-call", "example.com", home=sample_home)
    assert wrong.returncode == 1
    assert "2,000 calls to dcs.adobedc.net, ims-na1.adobelogin.com" in wrong.stderr
    assert "plus its token calls" in wrong.stderr
    assert "--yes-call dcs.adobedc.net --yes-call ims-na1.adobelogin.com" in wrong.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--rate", "5001"], "--rate: rate must be between 1 and 5,000 calls per second"),
    (["--duration", "0"], "--duration: duration must be more than 0 and at most 600 seconds, not 0"),
    (["--timeout", "40"], "--timeout: timeout must be between 1 and 30 seconds, not 40"),
    (["--max-in-flight", "30000"], "--max-in-flight: the cap of calls in flight must be between 1 and 20,000"),
])
def test_bounds_are_said_by_option(sample_home: Path, args: list[str], message: str) -> None:
    done = cli("check", "airshipCustomEvent", "--sandbox", *args, home=sample_home)
    assert done.returncode == 1 and message in done.stderr


def test_ctrl_c_stops_at_once_with_a_partial_report(sample_home: Path) -> None:
    """`check` in a process of its own (forked from a parent that imported the command: tests/helpers/forks.py)."""
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    with hanging_server() as server, ForkServer(env, ("app.cli.main", "app.cli.check_cmd")) as forks:
        child = forks.start(APP, "--home", str(sample_home), "check", "notifyWebhook", "--rate", "100",
                            "--duration", "60", "--json", "--var", f"baseUrl={server.url}")
        try:
            assert server.wait_for(5), "five calls in flight"
            child.send_signal(signal.SIGINT)
            out, err = child.communicate(timeout=60)
        finally:
            child.kill()
    assert child.returncode == 130, err
    data = json.loads(out)
    assert data["cancelled"] is True and 5 <= data["started"] < 1200 and data["completed"] == 0


def test_the_host_typed_at_the_prompt_confirms_it(sample_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from app.check import CheckPlan
    from app.cli.check_cmd import _confirm
    from app.cli.common import CliError
    from app.services import Services

    services = Services.open(sample_home)
    action = services.workspace.load("airshipCustomEvent")
    resolver = services.resolver("production")
    args = type("Args", (), {"yes_call": [], "json": False})()
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)  # a terminal to type at
    typed: list[str] = []
    monkeypatch.setattr(builtins, "input", lambda prompt: typed.pop(0))
    typed.append("go.urbanairship.com")
    _confirm(args, action, resolver, CheckPlan(rate=10, duration_s=1))  # confirmed: no error
    typed.append("example.com")
    with pytest.raises(CliError, match="not confirmed \\('example.com' is not go.urbanairship.com\\): nothing"):
        _confirm(args, action, resolver, CheckPlan(rate=10, duration_s=1))
    services.close()


def test_the_sandbox_help_says_which_identities_it_takes() -> None:
    done = run_cli("sandbox", "--help")
    text = " ".join(done.stdout.split())
    assert done.returncode == 0
    assert "client_secret_post" in text and "client_secret_basic" in text and "SandboxDemoAppKey00001" in text
    assert "any well-formed app key" in text
