"""The command line: exit codes, output, no tracebacks. Commands run in process (tests/helpers/cli.py:
main(), which `python -m app` runs); a real process where the process is the point: its exit status.
A keyring in a file or none at all is installed for the command (`keyring_backend`), as
PYTHON_KEYRING_BACKEND would give a process."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from keyring.backends import fail

from tests.app.auth.file_keyring import FileKeyring
from tests.helpers.cli import Done, run_cli, run_process

REPO = Path(__file__).resolve().parents[2]


def cli(*args: str, home: Path | None = None, stdin: str | None = None) -> Done:
    done = run_cli(*args, *(["--home", str(home)] if home else []), stdin=stdin)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def test_the_process_exits_with_the_commands_code() -> None:
    for args, code in ((["check-name", "write journey"], 1), (["nope"], 2)):
        done = run_process(*args)
        assert done.returncode == code and "Traceback" not in done.stderr, done.stderr


def test_check_name() -> None:
    assert cli("check-name", "writeJourneyEvent").returncode == 0
    bad = cli("check-name", "write journey")
    assert bad.returncode == 1 and "space" in bad.stdout
    as_json = json.loads(cli("check-name", "x" * 31, "--json").stdout)
    assert as_json == {"name": "x" * 31, "valid": False, "reason": as_json["reason"]}
    assert "31 characters" in as_json["reason"]


def test_check_name_knows_the_workspace(sample_home: Path) -> None:
    clash = cli("check-name", "notifywebhook", home=sample_home)
    assert clash.returncode == 1 and "already exists" in clash.stdout


def test_list_show_export_import_delete(sample_home: Path, tmp_path: Path) -> None:
    listed = json.loads(cli("action", "list", "--json", home=sample_home).stdout)
    assert [r["name"] for r in listed] == ["airshipCustomEvent", "notifyWebhook", "writeJourneyEvent"]
    assert {r["name"]: r["usedIn"] for r in listed}["writeJourneyEvent"] == 1
    shown = json.loads(cli("action", "show", "writeJourneyEvent", home=sample_home).stdout)
    assert shown["auth"]["body"]["bodyParams"]["client_secret"] == "********"
    assert shown["usedIn"] == ["sampleJourney"]
    out = tmp_path / "export.json"
    assert cli("action", "export", "--all", "-o", str(out), home=sample_home).returncode == 0
    assert "********" in out.read_text()
    other = tmp_path / "other"
    imported = cli("action", "import", str(out), "--json", home=other)
    assert imported.returncode == 0, imported.stderr
    rows = json.loads(imported.stdout)
    assert {r["name"]: r["missingSecrets"] for r in rows}["writeJourneyEvent"] == ["auth.body.bodyParams.client_secret"]
    again = cli("action", "import", str(out), home=other)
    assert again.returncode == 1 and "already in the workspace" in again.stderr
    renamed = cli("action", "import", str(out), "--rename", home=other)
    assert "imported notifyWebhook_2" in renamed.stdout
    assert cli("action", "delete", "notifyWebhook_2", home=other).returncode == 0
    used = cli("action", "delete", "writeJourneyEvent", home=sample_home)
    assert used.returncode == 1 and "used in sampleJourney" in used.stderr
    missing = cli("action", "show", "nope", home=sample_home)
    assert missing.returncode == 1 and "no action named 'nope'" in missing.stderr


def test_validate_reports_where(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": "ok", "endpoint": {"url": "https://x.example", "headers": [{"name": "bad header"}]}}))
    done = cli("action", "validate", str(bad))
    assert done.returncode == 1
    assert "endpoint.headers" in done.stderr and "space" in done.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "name": "x",\n  oops\n}')
    done = cli("action", "validate", str(broken))
    assert done.returncode == 1 and "line 3, column 3" in done.stderr
    assert cli("action", "validate", str(tmp_path / "none.json")).stderr.startswith("error: ")
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"name": "ok", "endpoint": {"url": "http://10.0.0.1:8080/x"}}))
    done = cli("action", "validate", str(good))
    assert done.returncode == 0 and "raw IP" in done.stdout and "port 8080" in done.stdout


def test_payload_fields(tmp_path: Path) -> None:
    example = tmp_path / "p.json"
    example.write_text(json.dumps({"a": 1, "b": [{"c": "2020-01-01"}]}))
    assert cli("payload", "fields", str(example)).stdout.splitlines() == [
        "a\tinteger\tconstant", "b\tlistObject\tconstant", "b[].c\tdateOnly\tconstant"]
    rows = json.loads(cli("payload", "fields", str(REPO / "resources/sample_workspace/actions/writeJourneyEvent.json"), "--json").stdout)
    variables = [r["path"] for r in rows if r["mode"] == "variable"]
    assert "body.xdmEntity.timestamp" in variables and len(variables) == 5
    broken = tmp_path / "broken.json"
    broken.write_text('{"a": "x,\n"b": 1}')
    done = cli("payload", "fields", str(broken))
    assert done.returncode == 1 and "line 1, column" in done.stderr and "not closed" in done.stderr
    assert cli("payload", "fields", "-", stdin='{"x": true}').stdout.strip() == "x\tboolean\tconstant"


def test_schema_is_json_schema() -> None:
    schema = json.loads(cli("schema").stdout)
    assert schema["title"] == "Action Studio action"
    assert "endpoint" in schema["properties"] and "auth" in schema["properties"]
    bundle = json.loads(cli("schema", "--bundle").stdout)
    assert bundle["properties"]["actions"]["items"] == {"$ref": "#/$defs/Action"}


@pytest.mark.parametrize("args", [["action"], ["nope"], ["action", "show"], ["check-name"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert cli(*args).returncode == 2


def test_import_auth_into_an_action(sample_home: Path, tmp_path: Path) -> None:
    doc = tmp_path / "auth.json"
    doc.write_text(json.dumps({"type": "customAuthorization", "endpoint": "https://t.example/token", "method": "GET",
                               "tokenInResponse": "response", "authorizationType": "header", "tokenTarget": "x-token"}))
    done = cli("action", "import-auth", "notifyWebhook", str(doc), home=sample_home)
    assert done.returncode == 0, done.stderr
    shown = json.loads(cli("action", "show", "notifyWebhook", home=sample_home).stdout)
    assert shown["auth"]["tokenTarget"] == "x-token"
    doc.write_text('{"type": "customAuthorization", "method": "POST"}')
    bad = cli("action", "import-auth", "notifyWebhook", str(doc), home=sample_home)
    assert bad.returncode == 1 and "body is required" in bad.stderr


def test_sample_installs_a_workspace_with_its_demo_secrets(tmp_path: Path) -> None:
    store = tmp_path / "keyring.json"
    home = tmp_path / "sample"
    done = run_cli("--home", str(home), "sample", env={"AUTH_TEST_KEYRING": str(store)}, keyring_backend=FileKeyring())
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (home / "actions").iterdir()) == [
        "airshipCustomEvent.json", "notifyWebhook.json", "writeJourneyEvent.json"]
    assert not (home / "sample-secrets.json").exists()  # demo secrets go to the keyring only
    assert "5678" in store.read_text() and "5678" not in "".join(p.read_text() for p in home.rglob("*.json"))
    again = run_cli("--home", str(tmp_path / "s2"), "sample", keyring_backend=fail.Keyring())
    assert again.returncode == 0 and "could not be stored" in again.stdout


def test_no_keyring_refuses_plain_secrets_clearly(tmp_path: Path) -> None:
    """A plain password in an imported file must go to a keyring; with none, nothing is written."""
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps({"name": "plainSecret", "auth": {"type": "basic", "username": "u", "password": "hunter2"}}))
    home = tmp_path / "ws"
    done = run_cli("--home", str(home), "action", "import", str(plain), keyring_backend=fail.Keyring())
    assert done.returncode == 1
    assert done.stderr.startswith("error: no OS keyring is available") and "Traceback" not in done.stderr
    assert not any(home.rglob("*.json")) or "hunter2" not in "".join(p.read_text() for p in home.rglob("*.json"))


def test_windows_device_names_are_refused_as_action_names(tmp_path: Path) -> None:
    checked = cli("check-name", "CON", "--json")
    assert checked.returncode == 1 and "device name Windows reserves" in json.loads(checked.stdout)["reason"]
    bundle = tmp_path / "aux.json"
    bundle.write_text(json.dumps({"name": "aux", "endpoint": {"url": "https://x.example", "method": "POST"}}))
    home = tmp_path / "ws"
    done = cli("action", "import", str(bundle), home=home)
    assert done.returncode == 1 and "aux is a device name Windows reserves" in done.stderr
    assert not (home / "actions").exists() or not any((home / "actions").iterdir())
