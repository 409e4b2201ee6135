"""`action-studio journey run | runs | trace` as a user runs them: a fresh sample workspace, no keyring,
offline against the embedded sandbox; exit codes, JSON, cancel, a run killed with -9. The commands run
in process (tests/helpers/cli.py, main() as `python -m app` runs it), but SIGINT and kill -9 hit a real
process."""
from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from keyring.backends import fail

from app.journeys import zygote
from app.journeys.tracereader import TraceReader, list_runs
from tests.e2e.conftest import Installed
from tests.helpers.cli import Done, run_cli
from tests.helpers.forks import APP, Forked, ForkServer

REPO = Path(__file__).resolve().parents[2]
ENV = dict(os.environ, PYTHONPATH=str(REPO), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
# Every token the sandbox issues starts with this (its JWT-like header): none may reach a trace.
TOKEN_HEAD = base64.urlsafe_b64encode(b'{"alg": "RS256", "typ": "JWT", "kid": "sandbox"}').rstrip(b"=")


def cli(*args: str, home: Path) -> Done:
    done = run_cli("--home", str(home), *args, keyring_backend=fail.Keyring())
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    return done


def popen(forks: ForkServer, *args: str, home: Path) -> Forked:
    """`action-studio --home HOME ARGS` in a process of its own, forked from a warm parent."""
    return forks.start(APP, "--home", str(home), *args)


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    home = tmp_path / "fresh"
    assert cli("sample", home=home).returncode == 0
    return home


def test_the_sample_runs_end_to_end_without_a_keyring(installed_sample: Installed, tmp_path: Path) -> None:
    # The sample installed and run with --seed 7 --json, no keyring (tests/e2e/conftest.py: exit 0), copied.
    fresh = Path(shutil.copytree(installed_sample.recorded, tmp_path / "fresh"))
    profiles = str(fresh / "profiles" / "purchases.csv")
    summary = installed_sample.summary
    assert summary["outcomes"] == {"discarded": 3, "finished": 288, "rejected": 12}
    assert summary["run"]["state"] == "completed" and summary["run"]["seed"] == 7 and not summary["cut"]
    assert summary["codes"]["writeEvent"] == {"http_200": 288} and summary["nodes"]["vipEvent"] > 0
    trace = Path(summary["run"]["path"])
    data = trace.read_bytes()
    assert TOKEN_HEAD not in data and b"sandbox-airship-token" not in data and b"********" in data
    runs = json.loads(cli("journey", "runs", "sampleJourney", "--json", home=fresh).stdout)
    assert [r["id"] for r in runs] == [summary["run"]["id"]]
    (entry,) = json.loads(cli("journey", "trace", "last", "--profile", "p-000006", "--json", home=fresh).stdout)
    assert entry["path"] == ["purchase", "writeEvent", "checkValue", "vipEvent", "done"]
    text = cli("journey", "run", "sampleJourney", "--profiles", profiles, home=fresh)
    assert text.returncode == 0 and "outcomes: finished 288, rejected 12, discarded 3" in text.stdout
    assert "checkValue  condition     288  otherCases -> done " in text.stdout and "paths[0] -> vipEvent " in text.stdout
    assert "rejected: row 25 (line 26), column event.value: expected a number, got 'abc'" in text.stdout
    assert "note: 2 warning(s)" in text.stderr and "\nrunning sampleJourney: preset fast, seed " in text.stderr
    shown = cli("journey", "trace", "last", "--profile", "#25", home=fresh)
    assert shown.returncode == 0 and "rejected: row 25 (line 26)" in shown.stdout


def test_bad_input_exits_1_and_usage_exits_2(fresh: Path, tmp_path: Path) -> None:
    profiles = str(fresh / "profiles" / "purchases.csv")
    assert cli("journey", "run", "sampleJourney", home=fresh).returncode == 2  # no --profiles
    assert cli("journey", "run", "sampleJourney", "--profiles", profiles, "--target", "x", home=fresh).returncode == 2
    missing = cli("journey", "run", "sampleJourney", "--profiles", str(tmp_path / "none.csv"), "--json", home=fresh)
    assert missing.returncode == 1 and "no such file" in json.loads(missing.stdout)["error"]["message"]
    real = cli("journey", "run", "sampleJourney", "--profiles", profiles, "--target", "writeEvent=env",
               "--env", "production", home=fresh)
    assert real.returncode == 1 and "would call real hosts: dcs.adobedc.net (node writeEvent)" in real.stderr
    data = json.loads((fresh / "journeys" / "sampleJourney.json").read_text())
    data["nodes"][1]["mapping"]["body.xdmEntity._yourOrg.customer_Id"] = "@event{purchase.customerId"
    (tmp_path / "broken.json").write_text(json.dumps(data))
    broken = cli("journey", "run", str(tmp_path / "broken.json"), "--profiles", profiles, home=fresh)
    assert broken.returncode == 1 and "the journey is invalid; nothing was run" in broken.stderr
    assert "mapping[body.xdmEntity._yourOrg.customer_Id], line 1" in broken.stderr
    assert list_runs(fresh) == []  # nothing ran


def _waiting_journey(home: Path) -> str:
    """The sample with an hour's wait before the VIP event."""
    data = json.loads((home / "journeys" / "sampleJourney.json").read_text())
    data["name"] = "waiting"
    data["nodes"][2]["paths"][0]["next"] = "hold"
    data["nodes"].append({"id": "hold", "type": "wait", "duration": "PT1H", "next": "vipEvent"})
    (home / "journeys" / "waiting.json").write_text(json.dumps(data))
    return "waiting"


def _wait_for(check: Any, proc: Forked) -> None:
    deadline = time.monotonic() + 60
    while not check():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the run never got there"
        time.sleep(0.1)


def _recorded(home: Path, skip: tuple[str, ...] = ()) -> Any:
    """The run being recorded (not one of skip), or None before it starts."""
    return next((r for r in list_runs(home) if r.id not in skip), None)


def _finished(home: Path, skip: tuple[str, ...] = ()) -> int:
    run = _recorded(home, skip)
    return run.profiles if run else 0


def test_sigint_cancels_a_real_time_run_and_kill_9_leaves_a_readable_trace(fresh: Path) -> None:
    name = _waiting_journey(fresh)
    args = ("journey", "run", name, "--profiles", str(fresh / "profiles" / "purchases.csv"), "--preset", "real-time",
            "--concurrency", "400", "--json")
    # The two runs are forked from one parent that imported what a run needs (its imports once, not twice).
    with ForkServer(ENV, (*zygote.PRELOAD, *zygote.RUN_IMPORTS, "app.cli.main", "app.cli.journey_run")) as forks:
        _sigint_then_kill_9(forks, fresh, args)


def _sigint_then_kill_9(forks: ForkServer, fresh: Path, args: tuple[str, ...]) -> None:
    proc = popen(forks, *args, home=fresh)
    _wait_for(lambda: _finished(fresh) >= 200, proc)  # the small purchases are done; the VIPs wait
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    summary = json.loads(out)
    assert summary["run"]["state"] == "cancelled" and summary["outcomes"]["cancelled"] > 0
    assert sum(summary["outcomes"].values()) == summary["run"]["rowsRead"]

    first = (summary["run"]["id"],)
    proc = popen(forks, *args, home=fresh)
    _wait_for(lambda: _finished(fresh, first) >= 200, proc)
    proc.kill()
    proc.communicate(timeout=30)
    with TraceReader(_recorded(fresh, first).path) as reader:
        info, outcomes = reader.info(), reader.outcomes()
    assert info.state == "interrupted" and info.rows_read == info.profiles >= 200
    assert set(outcomes) <= {"finished", "rejected", "discarded"} and outcomes["finished"] > 0


def test_the_sandbox_target_never_reaches_a_real_host_unarmed(fresh: Path) -> None:
    envs = json.loads((fresh / "environments.json").read_text())
    envs["environments"] = [e for e in envs["environments"] if e["name"] != "sandbox"]
    envs["active"] = "production"
    (fresh / "environments.json").write_text(json.dumps(envs))
    done = cli("journey", "run", "sampleJourney", "--profiles", str(fresh / "profiles" / "purchases.csv"), "--json",
               home=fresh)
    assert done.returncode == 1
    error = json.loads(done.stdout)["error"]
    assert "would call real hosts: dcs.adobedc.net (node writeEvent)" in error["problems"][0]
    assert "none does in this workspace" in error["problems"][1]
