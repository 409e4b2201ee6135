"""The log file: in the user log folder (a temp XDG_STATE_HOME here), rotated, INFO, no secrets."""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from app import logs
from app.masking import MASK, mask_text
from tests.helpers.cli import run_cli

DEMO_SECRETS = ("5678", "sandbox-airship-token")
SENDS = {  # every sample action: a client-credentials token call, a bearer header, none
    "notifyWebhook": {"customerId": "c-9"},
    "airshipCustomEvent": {"user.named_user_id": "u-1", "body.name": "purchase", "body.value": 1,
                           "body.transaction": "t-1"},
    "writeJourneyEvent": {"body.xdmEntity._yourOrg.journeyVersionId": "v1", "body.xdmEntity._yourOrg.nodeId": "n1",
                          "body.xdmEntity._yourOrg.customer_Id": "c-9", "body.xdmEntity.eventType": "purchase",
                          "body.xdmEntity.timestamp": "2026-01-01T00:00:00Z"},
}


def test_the_log_is_in_the_user_log_folder_and_holds_no_secret_after_a_scenario(tmp_path: Path) -> None:
    home = str(tmp_path / "ws")
    assert run_cli("--home", home, "sample").returncode == 0
    assert run_cli("--home", home, "auth", "test", "writeJourneyEvent", "--sandbox").returncode == 0
    for action, values in SENDS.items():
        done = run_cli("--home", home, "send", action, "--values", "-", "--sandbox", stdin=json.dumps(values))
        assert done.returncode == 0, done.stderr
    # What a careless message or an exception could carry: masked on the way to the file.
    log = logging.getLogger("app.test")
    log.warning("token call failed: client_secret=5678&grant_type=client_credentials")
    try:
        raise RuntimeError('answer {"access_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"}')
    except RuntimeError:
        log.exception("Authorization: Bearer sandbox-airship-token")

    path = Path(os.environ["XDG_STATE_HOME"]) / "ActionStudio" / "log" / "action-studio.log"
    assert logs.log_file() == path
    text = path.read_text("utf-8")
    assert "command send" in text and "manual call notifyWebhook: POST http://127.0.0.1:" in text
    assert "RuntimeError" in text and MASK in text
    found = [s for s in (*DEMO_SECRETS, "eyJhbGciOiJIUzI1NiJ9") if s in text]
    assert found == []


def test_the_log_rotates(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(tmp_path / "logs"))
    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    path = logs.setup("test")
    assert path == tmp_path / "logs" / "action-studio.log"
    for n in range(300):
        logging.getLogger("app.test").info("line %d of a long enough message to fill the file", n)
    names = sorted(p.name for p in path.parent.iterdir())
    assert names == ["action-studio.log", *(f"action-studio.log.{n}" for n in range(1, logs.BACKUPS + 1))]
    assert all(p.stat().st_size <= 2000 for p in path.parent.iterdir())
    assert logging.getLogger().level == logging.INFO and logging.getLogger("httpx").level == logging.WARNING


@pytest.mark.parametrize(("text", "shown"), [
    ("client_secret=5678&grant_type=x", f"client_secret={MASK}&grant_type=x"),
    ('{"password": "hunter2", "user": "bob"}', f'{{"password": "{MASK}", "user": "bob"}}'),
    ("X-Api-Key: abc123", f"X-Api-Key: {MASK}"),
    ("Authorization: Bearer abc.def", f"Authorization: Bearer {MASK}"),
    ("token_type=bearer count=3", "token_type=bearer count=3"),  # a secret's kind is no secret
    ("got eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig back", f"got {MASK} back"),
    ("sent to https://x.test/a?api_key=k1&q=2", f"sent to https://x.test/a?api_key={MASK}&q=2"),
])
def test_free_text_is_masked_with_the_rules_of_the_calls(text: str, shown: str) -> None:
    assert mask_text(text) == shown


def test_a_bug_in_a_command_is_one_line_and_exit_70_with_the_traceback_in_the_log(monkeypatch, capsys) -> None:
    from app.cli.main import _report

    monkeypatch.delenv("ACTION_STUDIO_DEBUG", raising=False)
    logs.setup("test")
    try:
        raise KeyError("client_secret=5678")
    except KeyError as exc:
        code = _report(exc, as_json=False)
    err = capsys.readouterr().err
    assert code == 70 and err.count("\n") == 1 and err.startswith("error: internal error (KeyError")
    assert "5678" not in err
    text = logs.log_file().read_text("utf-8")
    assert "Traceback" in text and "internal error (exit 70)" in text and "5678" not in text
