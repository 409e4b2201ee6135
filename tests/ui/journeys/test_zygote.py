"""The window's zygote (ui/journeys/zygote.py): one for the window's runs, in a folder only this user
can enter, started again when it died; each run's process started from scratch where it is off."""
from __future__ import annotations

import os
import signal
import stat
import sys
from pathlib import Path

import pytest

from ui.journeys import zygote


def test_off_each_run_is_a_process_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTION_STUDIO_RUN_ZYGOTE", "0")
    assert zygote.run_arguments() == ["-m", "app.journeys.childrun"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the zygote is Linux's")
def test_one_zygote_serves_the_runs_and_a_dead_one_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACTION_STUDIO_RUN_ZYGOTE", raising=False)
    first = zygote.run_arguments()
    assert first[:4] == ["-S", "-m", "app.journeys.zygote", "run"] and zygote.run_arguments() == first
    folder = Path(first[4]).parent
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and Path(first[4]).is_socket()
    assert zygote._server is not None
    os.kill(zygote._server.pid, signal.SIGKILL)
    zygote._server.wait()
    second = zygote.run_arguments()
    assert second != first and not folder.exists()  # the dead one's folder is gone with it
