"""`action-studio journey export` as a user runs it: a sample run exported to standard output and to
a file in each format, one call as cURL, and the refusals with their reason (JSON under --json)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from keyring.backends import fail

from tests.e2e.conftest import Installed
from tests.helpers.cli import Done, run_cli


def cli(*args: str, home: Path) -> Done:
    done = run_cli("--home", str(home), *args, keyring_backend=fail.Keyring())
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    return done


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory, installed_sample: Installed) -> Path:
    """The module's copy of the sample installed and run by the commands (tests/e2e/conftest.py)."""
    return Path(shutil.copytree(installed_sample.recorded, tmp_path_factory.mktemp("export") / "home"))


def test_each_format_goes_to_standard_output_or_a_file(ran: Path, tmp_path: Path) -> None:
    done = cli("journey", "export", "last", "--format", "jsonl", home=ran)
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 303
    out = tmp_path / "log.json"
    done = cli("journey", "export", "last", "--format", "platform-log", "--output", str(out), home=ran)
    assert done.returncode == 0 and "288 entries written" in done.stderr
    assert json.loads(out.read_text())["instanceCount"] == 288
    done = cli("journey", "export", "last", "--format", "csv", "-o", str(tmp_path / "p.csv"), "--json", home=ran)
    assert json.loads(done.stdout) == {"written": 303, "format": "csv", "output": str(tmp_path / "p.csv")}
    done = cli("journey", "export", "last", "--format", "csv", "--profile", "p-000006", home=ran)
    assert done.stdout.splitlines()[1].startswith("p-000006,6,finished,")
    done = cli("journey", "export", "last", "--format", "curl", "--profile", "p-000006", "--node", "vipEvent", home=ran)
    assert done.returncode == 0 and done.stdout.count("curl -X POST") == 1 and "Authorization: ********" in done.stdout


def test_refusals_say_what_is_wrong(ran: Path, tmp_path: Path) -> None:
    done = cli("journey", "export", "last", "--format", "curl", home=ran)
    assert done.returncode == 1 and "give the profile (--profile ID)" in done.stderr
    done = cli("journey", "export", "nope", "--format", "csv", "--json", home=ran)
    assert done.returncode == 1 and "no run 'nope'" in json.loads(done.stdout)["error"]["message"]
    done = cli("journey", "export", "last", "--format", "xml", home=ran)
    assert done.returncode == 2 and "invalid choice: 'xml'" in done.stderr
    blocker = tmp_path / "file"
    blocker.write_text("")
    done = cli("journey", "export", "last", "--format", "csv", "-o", str(blocker / "out.csv"), home=ran)
    assert done.returncode == 1 and "cannot write the export" in done.stderr
