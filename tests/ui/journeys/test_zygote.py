"""The window's zygote (ui/journeys/zygote.py): one for the window's runs, in a folder only this user
can enter, started again when it died; each run's process started from scratch where it is off."""
from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.journeys.childrun import read_result
from app.journeys.zygote import RUN_CODE
from ui.journeys import zygote


def test_off_each_run_is_a_process_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTION_STUDIO_RUN_ZYGOTE", "0")
    assert zygote.run_arguments() == ["-m", "app.journeys.childrun"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the zygote is Linux's")
def test_one_zygote_serves_the_runs_and_a_dead_one_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACTION_STUDIO_RUN_ZYGOTE", raising=False)
    first = zygote.run_arguments()
    assert first[:4] == ["-S", "-c", RUN_CODE, "run"] and zygote.run_arguments() == first
    folder = Path(first[4]).parent
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and Path(first[4]).is_socket()
    assert zygote._server is not None
    os.kill(zygote._server.pid, signal.SIGKILL)
    zygote._server.wait()
    second = zygote.run_arguments()
    assert second != first and not folder.exists()  # the dead one's folder is gone with it


# Taken when pytest imports this module (collection), before the suite's session fixture swaps in a fork of
# the workers' template (tests/conftest.py `_window_zygote_forked`): the window's own way to start its zygote.
REAL_START = zygote._start_server


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the zygote is Linux's")
def test_the_window_starts_its_zygote_as_a_new_python_that_serves_a_run(monkeypatch: pytest.MonkeyPatch,
                                                                         services: Any, tmp_path: Path) -> None:
    """The suite's workers fork the window's zygote from their template (tests/helpers/zygotes.py): this test
    starts it as the window does, a new Python, and runs profiles through it."""
    from tests.app.journeys.test_childrun import messages, spec_of
    from tests.app.journeys.test_zygote import first_rows, run_pid, start

    assert REAL_START.__module__ == "ui.journeys.zygote"
    zygote._stop()  # the worker's (forked) one, if a window run started it
    monkeypatch.setattr(zygote, "_start_server", REAL_START)
    monkeypatch.delenv("ACTION_STUDIO_RUN_ZYGOTE", raising=False)
    try:
        arguments = zygote.run_arguments()
        server = zygote._server
        assert isinstance(server, subprocess.Popen)
        assert server.args[:5] == [sys.executable, "-m", "app.journeys.zygote", "serve", server.args[4]]
        proc = start(arguments[4], spec_of(services, first_rows(services, tmp_path), seed=5))
        assert run_pid(proc) != proc.pid  # a fork of the zygote runs it
        lines = messages(proc)
        assert proc.returncode == 0 and read_result(lines[-1]["result"]).rows_read == 40
        assert proc.stderr is not None and proc.stderr.read() == ""
        proc.stderr.close()
    finally:
        zygote._stop()
    assert server.returncode == 0  # its input closed: it ended


def test_the_run_code_loads_no_runpy() -> None:
    """`-m` ran `run` through runpy (~5 of its ~18 ms of CPU a Run click); RUN_CODE imports the zygote module
    itself and answers as its main does."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-S", "-c", RUN_CODE, "usage"], capture_output=True,
                          text=True, env=zygote.environment(), timeout=60)
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time")}
    assert done.returncode == 2 and "usage: python" in done.stderr
    assert "app.journeys.zygote" in imported and "runpy" not in imported
