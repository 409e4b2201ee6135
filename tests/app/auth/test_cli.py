"""`action-studio auth ...` as `python -m app` runs it (in process, tests/helpers/cli.py): exit codes,
masked output, secrets to the keyring (a file keyring, so the test can read what was stored)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.app.auth.file_keyring import FileKeyring
from tests.app.auth.test_curl import seed_command
from tests.helpers.cli import Done, run_cli

REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "resources" / "sample_workspace"


@pytest.fixture
def cli(tmp_path):
    keyring_file = tmp_path / "keyring.json"
    home = tmp_path / "ws"
    env = {"AUTH_TEST_KEYRING": str(keyring_file), "ACTION_STUDIO_HOME": str(home)}

    def run(*args: str, stdin: str | None = None) -> Done:
        return run_cli(*args, stdin=stdin, env=env, keyring_backend=FileKeyring())

    run.home = home  # type: ignore[attr-defined]
    run.keyring = keyring_file  # type: ignore[attr-defined]
    return run


def test_from_curl_prints_masked_json(cli):
    out = cli("auth", "from-curl", seed_command(), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["auth"]["body"]["bodyParams"]["client_secret"] == "********"
    assert data["auth"]["body"]["bodyParams"]["client_id"] == "1234"
    assert data["secrets"] == ["client_secret"]
    assert "5678" not in out.stdout + out.stderr


def test_from_curl_into_then_test_against_the_sandbox(cli):
    command = seed_command().replace("https://ims-na1.adobelogin.com", "{{baseUrl}}")
    out = cli("auth", "from-curl", command, "--into", "imsToken")
    assert out.returncode == 0, out.stderr
    assert "stored as the authentication of action imsToken" in out.stderr
    stored = (cli.home / "actions" / "imsToken.json").read_text()
    assert "5678" not in stored and '"secret"' in stored
    assert "5678" in cli.keyring.read_text()

    out = cli("auth", "test", "imsToken", "--sandbox", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["ok"] and result["tokenPreview"].startswith("eyJ") and result["expiresInS"] == 3600
    assert "5678" not in out.stdout + out.stderr
    assert result["response"]["body"].count("********") == 1

    out = cli("auth", "test", "imsToken", "--sandbox")
    assert out.returncode == 0 and "customAuthorization authentication ok" in out.stdout
    assert "5678" not in out.stdout + out.stderr


def test_failed_test_exits_3_with_the_reason(cli):
    """Like `send`: 3 when the endpoint answered an error or could not be reached (README)."""
    command = seed_command().replace("https://ims-na1.adobelogin.com", "{{baseUrl}}").replace("5678", "9999")
    assert cli("auth", "from-curl", command, "--into", "badSecret").returncode == 0
    out = cli("auth", "test", "badSecret", "--sandbox")
    assert out.returncode == 3
    assert "error: badSecret: the token endpoint answered 400 invalid_client: invalid client_secret parameter" \
        in out.stderr
    assert "9999" not in out.stdout + out.stderr and "Traceback" not in out.stderr
    out = cli("auth", "test", "badSecret", "--var", "baseUrl=http://127.0.0.1:9", "--json")
    assert out.returncode == 3 and "connection refused by 127.0.0.1:9" in json.loads(out.stdout)["reason"]
    out = cli("auth", "test", "badSecret", "--json")  # nothing sent: a configuration problem
    assert out.returncode == 1 and "undefined variable" in json.loads(out.stdout)["reason"]


def test_sample_workspace_authenticates_against_the_sandbox(cli, tmp_path):
    home = tmp_path / "sample"
    shutil.copytree(SAMPLE, home, ignore=shutil.ignore_patterns("sample-secrets.json"))
    cli.keyring.write_text(json.dumps({"action-studio\nsample/writeJourneyEvent/client_secret": "5678"}))
    out = cli("auth", "test", "writeJourneyEvent", "--home", str(home), "--sandbox", "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    assert json.loads(out.stdout)["expiresInS"] == 28000


@pytest.mark.parametrize("args, code, message", [
    (["auth", "from-curl", "wget https://x.example"], 1, "error: this is not a curl command"),
    (["auth", "from-curl", "curl 'https://x"], 1, "unclosed single quote"),
    (["auth", "from-curl", "curl javascript:alert(1)", "--into", "x"], 1, "uses the scheme 'javascript'"),
    (["auth", "test", "noSuchAction"], 1, "no action named 'noSuchAction'"),
    (["auth", "test", "x", "--var", "novalue"], 1, "expected KEY=VALUE"),
    (["auth", "test"], 2, "usage:"),
    (["auth"], 2, "usage:"),
])
def test_bad_input_and_usage(cli, args, code, message):
    out = cli(*args)
    assert out.returncode == code
    assert message in out.stderr and "Traceback" not in out.stderr
    assert not (cli.home / "actions").exists() or not any((cli.home / "actions").iterdir())


def test_from_curl_reads_standard_input(cli):
    out = cli("auth", "from-curl", "-", "--json", stdin=seed_command())
    assert out.returncode == 0 and json.loads(out.stdout)["secrets"] == ["client_secret"]


def test_failed_extraction_never_prints_the_token(cli):
    command = seed_command().replace("https://ims-na1.adobelogin.com", "{{baseUrl}}")
    assert cli("auth", "from-curl", command, "--into", "wrongPath").returncode == 0
    path = cli.home / "actions" / "wrongPath.json"
    stored = json.loads(path.read_text())
    stored["auth"]["tokenInResponse"] = "json://data.token"
    path.write_text(json.dumps(stored))
    out = cli("auth", "test", "wrongPath", "--sandbox", "--json")
    assert out.returncode == 3, out.stderr  # the endpoint answered: 3 (1 is for nothing sent)
    result = json.loads(out.stdout)
    assert "json://data.token was not found" in result["reason"]
    assert json.loads(result["response"]["body"])["access_token"] == "********"
    assert "eyJ" not in out.stdout + out.stderr  # the sandbox's tokens are JWT-shaped
    out = cli("auth", "test", "wrongPath", "--sandbox")
    assert out.returncode == 3 and "access_token" in out.stdout
    assert "eyJ" not in out.stdout + out.stderr


def test_the_seed_pasted_as_is_reaches_the_sandbox_with_host_variable(cli):
    as_is = cli("auth", "from-curl", seed_command(), "--into", "asIs")
    assert as_is.returncode == 0
    assert "--host-variable writes it as {{imsUrl}} instead" in as_is.stderr
    # Session-only secrets: the stored secret is not read, so nothing is sent to the vendor's host.
    out = cli("auth", "test", "asIs", "--sandbox", "--session-secrets")
    assert out.returncode == 1 and "the secret for body parameter client_secret is not in the keyring" in out.stderr
    assert "warning: the token endpoint names the vendor's host https://ims-na1.adobelogin.com" in out.stderr

    out = cli("auth", "from-curl", seed_command(), "--into", "imsToken", "--host-variable")
    assert out.returncode == 0, out.stderr
    assert "note: https://ims-na1.adobelogin.com is written as {{imsUrl}}" in out.stderr
    stored = json.loads((cli.home / "actions" / "imsToken.json").read_text())
    assert stored["auth"]["endpoint"] == "{{imsUrl}}/ims/token/v3"
    out = cli("auth", "test", "imsToken", "--sandbox", "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    assert json.loads(out.stdout)["ok"] and "warning" not in out.stderr


def test_a_refused_into_name_stores_nothing(cli):
    command = "curl -X POST https://t.example/token -d client_id=1 -d client_secret=SEKRIT"
    for name, message in (("../evil", "--into '../evil': the name contains '.', '/'"),
                          ("", "--into needs an action name"), ("  ", "--into needs an action name")):
        out = cli("auth", "from-curl", command, "--into", name)
        assert out.returncode == 1 and out.stderr.startswith(f"error: {message}"), out.stderr
    assert not cli.keyring.exists() and not (cli.home / "actions").exists()
