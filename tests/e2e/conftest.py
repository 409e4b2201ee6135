"""Fixtures of the command-line tests: a sample workspace installed by the `sample` command, with one
run recorded by `journey run`, made once per test run and copied by each test that uses it."""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from keyring.backends import fail

from tests.helpers.cli import run_cli
from tests.helpers.imports import plain_while_it_runs
from tests.helpers.once import made_once

EXPECT = "profiles/purchases.expect.json"


# The commands run with Python's own import statement, as in a process of their own (tests/helpers/imports.py).
pytest_runtest_setup = pytest_runtest_call = pytest_runtest_teardown = plain_while_it_runs


@dataclass(frozen=True)
class Installed:
    """Read only: copy a folder before running a command in it."""
    fresh: Path  # the sample as the command installs it
    recorded: Path  # the same holding one run: seed 7, checked against the sample's expectations
    summary: dict[str, Any]  # that run's `journey run --json` summary


@pytest.fixture(scope="session")
def installed_sample(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """Made once per test run (a sample run costs ~0.3 s of CPU; the first xdist worker to ask makes it,
    the others read it back: tests.helpers.once): the replay, export and run commands' tests start from
    copies of it (the run's own test reads its summary)."""
    return made_once(tmp_path_factory, "once-installed-sample", _install)


def _install(root: Path) -> Installed:
    with pytest.MonkeyPatch.context() as env:  # before the per-test isolation: the same, by hand
        for var in ("ACTION_STUDIO_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            env.setenv(var, str(root / "user" / var.lower()))
        env.delenv("ACTION_STUDIO_LOG_DIR", raising=False)
        sample = root / "fresh"
        assert _cli("sample", home=sample).returncode == 0
        with_run = root / "recorded"
        shutil.copytree(sample, with_run)
        done = _cli("journey", "run", "sampleJourney", "--profiles", str(with_run / "profiles" / "purchases.csv"),
                    "--seed", "7", "--expect", str(with_run / EXPECT), "--json", home=with_run)
        assert done.returncode == 0, done.stderr
        return Installed(sample, with_run, json.loads(done.stdout))


def _cli(*args: str, home: Path) -> Any:
    done = run_cli("--home", str(home), *args, keyring_backend=fail.Keyring())
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    return done
