"""`send` and `history` as `python -m app` runs them (in process, tests/helpers/cli.py) with --sandbox
and no keyring: exit codes 0/3/1, output, the history they leave. An interrupted batch is a real
process: the signal is the point."""
from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Iterator

import pytest
from keyring.backends import fail

from tests.helpers.cli import Done, run_cli
from tests.helpers.forks import APP, ForkServer
from tests.helpers.hanging_server import hanging_server

REPO = Path(__file__).resolve().parents[2]
# What a batch send imports (the command, the sender, the history), once in the warm parent of its processes.
BATCH_IMPORTS = ("app.cli.main", "app.cli.send_cmd", "app.cli.calling", "app.calls.batch", "app.calls.send",
                 "app.calls.aiosender", "app.calls.history", "app.services", "aiohttp", "httpx", "keyring")
GOOD = {"Named user": "u1", "Event name": "opened", "Value": 2, "Transaction id": "t1"}


def cli(*args: str, home: Path, stdin: str | None = None) -> Done:
    # No keyring: --sandbox falls back to session-only secrets and seeds the demo ones.
    done = run_cli("--home", str(home), *args, stdin=stdin, keyring_backend=fail.Keyring())
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    return done


def test_send_once_success_error_and_invalid(sample_home: Path, tmp_path: Path) -> None:
    ok = cli("send", "airshipCustomEvent", "--sandbox", home=sample_home)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("http_200 200 OK") and '"ok": true' in ok.stdout

    values = tmp_path / "values.json"
    values.write_text(json.dumps(GOOD | {"Event name": "Opened"}))
    bad = cli("send", "airshipCustomEvent", "--values", str(values), "--timeout", "5", "--sandbox", home=sample_home)
    assert bad.returncode == 3
    assert "failed: airshipCustomEvent: http_400" in bad.stderr and "[0].body.name" in bad.stderr

    wrong = cli("send", "airshipCustomEvent", "--values", "-", "--sandbox", home=sample_home,
                stdin=json.dumps({"Event name": "opened", "Value": "lots"}))
    assert wrong.returncode == 1
    assert "missing values for: user.named_user_id (Named user), body.transaction (Transaction id)" in wrong.stderr
    assert "body.value (Value): expected a number" in wrong.stderr

    as_json = cli("send", "writeJourneyEvent", "--sandbox", "--json", home=sample_home)
    assert as_json.returncode == 0
    data = json.loads(as_json.stdout)
    assert data["outcome"] == "http_200" and data["fields"]["inletId"] == "sample-inlet"
    assert ["Authorization", "********"] in data["exchanges"][0]["request"]["headers"]


def test_invalid_input_exits_1_with_a_message(sample_home: Path, tmp_path: Path) -> None:
    missing = cli("send", "nope", "--sandbox", home=sample_home)
    assert missing.returncode == 1 and "no action named 'nope'" in missing.stderr
    timeout = cli("send", "notifyWebhook", "--timeout", "0.5", home=sample_home)
    assert timeout.returncode == 1 and "between 1 and 30" in timeout.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"customerId": ')
    done = cli("send", "notifyWebhook", "--values", str(broken), "--sandbox", home=sample_home)
    assert done.returncode == 1 and "not valid JSON" in done.stderr and "line 1" in done.stderr
    nowhere = cli("send", "notifyWebhook", "--batch", str(tmp_path / "none.jsonl"), home=sample_home)
    assert nowhere.returncode == 1 and "no such file" in nowhere.stderr
    undefined = cli("send", "notifyWebhook", "--env", "nope", home=sample_home)
    assert undefined.returncode == 1 and "no environment named 'nope'" in undefined.stderr


def test_batch_with_bad_lines_then_history(sample_home: Path, tmp_path: Path) -> None:
    lines = []
    for i in range(200):
        if i in (10, 150):
            lines.append("{not json")
        else:
            lines.append(json.dumps({"customerId": f"c{i}"}))
    batch = tmp_path / "events.jsonl"
    batch.write_text("\n".join(lines) + "\n")
    done = cli("send", "notifyWebhook", "--batch", str(batch), "--concurrency", "8", "--sandbox", home=sample_home)
    assert done.returncode == 1  # every call succeeded, but two lines were invalid input
    assert "sent 198 of 198; 198 ok; 2 bad lines skipped" in done.stdout
    assert f"{batch}: line 11: not valid JSON" in done.stderr and "line 151" in done.stderr

    events = tmp_path / "events.csv"
    rows = ["Named user,Event name,Value,Transaction id"]
    rows += [f"u{i},{'Opened' if i % 10 == 0 else 'opened'},{i},t{i}" for i in range(50)]
    events.write_text("\n".join(rows) + "\n")
    failed = cli("send", "airshipCustomEvent", "--batch", str(events), "--timeout", "3", "--sandbox", "--json",
                 home=sample_home)
    assert failed.returncode == 3
    summary = json.loads(failed.stdout)
    assert summary["ok"] == 45 and summary["failed"] == {"http_400": 5}
    assert "failed: line 2: http_400" in failed.stderr and "uppercase" in failed.stderr

    clean = tmp_path / "clean.jsonl"
    clean.write_text("\n".join(json.dumps({"customerId": f"k{i}"}) for i in range(30)))
    assert cli("send", "notifyWebhook", "--batch", str(clean), "--sandbox", home=sample_home).returncode == 0

    listed = cli("history", "list", "--action", "airshipCustomEvent", "--outcome", "http_400", "--json",
                 home=sample_home)
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 5
    searched = cli("history", "list", "--search", "k29", "--limit", "5", home=sample_home)
    assert searched.stdout.count("notifyWebhook") == 1
    out = tmp_path / "history.jsonl"
    exported = cli("history", "export", "-o", str(out), home=sample_home)
    assert exported.returncode == 0 and "exported 278 calls" in exported.stderr
    text = out.read_text()
    assert len(text.splitlines()) == 278
    assert "sandbox-airship-token" not in text
    assert '"5678"' not in text and "=5678" not in text  # the demo client secret, as a value or in a form


def test_history_without_calls(tmp_path: Path) -> None:
    done = cli("history", "list", home=tmp_path / "empty")
    assert done.returncode == 1 and "no history" in done.stderr


@pytest.fixture(scope="module")
def forks() -> Iterator[ForkServer]:
    """The batches' processes forked from one parent that imported what a batch needs (tests/helpers/forks.py)."""
    with ForkServer(dict(os.environ, PYTHONPATH=str(REPO)), BATCH_IMPORTS) as server:
        yield server


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_batch_reports_and_records_the_calls_in_flight(sample_home: Path, tmp_path: Path,
                                                                      signum: int, forks: ForkServer) -> None:
    batch = tmp_path / "events.jsonl"
    batch.write_text("\n".join(json.dumps({"customerId": f"c{i}"}) for i in range(1, 21)))
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    with hanging_server() as server:
        child = forks.start(APP, "--home", str(sample_home), "send", "notifyWebhook", "--batch", str(batch),
                            "--concurrency", "3", "--var", f"baseUrl={server.url}", env=env)
        try:
            assert server.wait_for(3), "three calls in flight"
            child.send_signal(signum)
            out, err = child.communicate(timeout=60)
        finally:
            child.kill()
    assert child.returncode == 128 + signum, err
    assert "sent 3 of 20; 0 ok; failed: cancelled x3; cancelled" in out
    assert sorted(err.count(f"failed: line {n}: cancelled") for n in (1, 2, 3)) == [1, 1, 1]
    assert "may or may not have received it" in err and "Traceback" not in err
    rows = json.loads(cli("history", "list", "--json", home=sample_home).stdout)
    assert sorted((r["outcome"], r["method"]) for r in rows) == [("cancelled", "POST")] * 3


def test_csv_from_excel_with_bad_rows_sends_the_good_ones(sample_home: Path, tmp_path: Path) -> None:
    rows = ["\ufeffNamed user,Event name,Value,Transaction id", "u1,opened,1,t1", 'u2,opened,2,"t2',
            "u3,opened,3,t3", "u4,op\x00ened,4,t4", "u5,opened,5,t5"]
    events = tmp_path / "events.csv"
    events.write_text("\r\n".join(rows) + "\r\n", "utf-8")
    done = cli("send", "airshipCustomEvent", "--batch", str(events), "--sandbox", home=sample_home)
    assert done.returncode == 1  # every call succeeded, but two rows were bad input
    assert "sent 3 of 3; 3 ok; 2 bad lines skipped" in done.stdout
    assert f'{events}: line 3: a quote (") opened on this line is never closed' in done.stderr
    assert f"{events}: line 5: holds a NUL character" in done.stderr
    sent = json.loads(cli("history", "list", "--json", home=sample_home).stdout)
    assert len(sent) == 3 and all(r["outcome"] == "http_200" for r in sent)


def test_errors_are_json_under_json(sample_home: Path) -> None:
    done = cli("send", "nosuch", "--json", home=sample_home)
    assert done.returncode == 1 and done.stderr == ""
    assert json.loads(done.stdout) == {"error": "no action named 'nosuch' in this workspace", "exitCode": 1}


def test_a_raw_body_needs_no_payload_values(sample_home: Path, tmp_path: Path) -> None:
    body = tmp_path / "body.json"
    body.write_text(json.dumps({"anything": ["goes", 1]}))
    done = cli("send", "notifyWebhook", "--body", str(body), "--sandbox", "--json", home=sample_home)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["data"]["body"] == {"anything": ["goes", 1]}
