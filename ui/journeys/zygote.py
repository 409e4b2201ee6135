"""The window's side of app.journeys.zygote: the warm parent of its run processes, started on the
first run and kept until the window's process ends (its standard input, held here, ends then).

Where it cannot be used (not Linux, or ACTION_STUDIO_RUN_ZYGOTE=0) each run is a process started
from scratch, `python -m app.journeys.childrun`, as `run` also falls back to when no zygote answers.
No Qt here: RunProcess (runprocess.py) starts what `run_arguments()` says with `environment()`.
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from app.journeys.zygote import RUN_CODE, RUN_PID, listen

if TYPE_CHECKING:
    import socket

__all__ = ["RUN_PID", "environment", "enabled", "run_arguments"]
ROOT = str(Path(__file__).resolve().parents[2])  # this very `app` package: the child runs the window's code
_lock = threading.Lock()
_server: Optional[subprocess.Popen[bytes]] = None
_folder: Optional[str] = None


def environment() -> dict[str, str]:
    """The window's environment, with this `app` first on the path, unbuffered."""
    env = dict(os.environ)
    rest = env.get("PYTHONPATH", "")
    env["PYTHONPATH"] = ROOT + (os.pathsep + rest if rest else "")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def enabled() -> bool:
    """Linux, from Python (not a frozen bundle), unless ACTION_STUDIO_RUN_ZYGOTE=0."""
    return (sys.platform.startswith("linux") and not getattr(sys, "frozen", False)
            and os.environ.get("ACTION_STUDIO_RUN_ZYGOTE", "1") != "0")


def run_arguments() -> list[str]:
    """The interpreter's arguments of one run's process: `run` through the zygote (started if
    needed), else the run process itself."""
    if not enabled():
        return ["-m", "app.journeys.childrun"]
    return ["-S", "-c", RUN_CODE, "run", _socket()]


def kill(pid: int) -> None:
    """End a run running in the zygote's child `pid` (its `run` then ends, killed as it was)."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # it has just ended


def _socket() -> str:
    global _server, _folder
    with _lock:
        if _server is None or _server.poll() is not None:
            _stop()
            _folder = tempfile.mkdtemp(prefix="action-studio-runs-")  # 0700: this user's runs only
            with listen(os.path.join(_folder, "zygote")) as listener:
                _server = _start_server(listener, _folder)
        assert _folder is not None
        return os.path.join(_folder, "zygote")


def _start_server(listener: socket.socket, folder: str) -> subprocess.Popen[bytes]:
    """The zygote, serving on `listener` in `folder`: a new Python, its input held here. (The test
    suite's workers fork it from their warm template instead: tests/helpers/zygotes.py.)"""
    return subprocess.Popen([sys.executable, "-m", "app.journeys.zygote", "serve", str(listener.fileno())],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, env=environment(), cwd=folder,
                            pass_fds=[listener.fileno()])


def _stop() -> None:
    """End the zygote (the end of its input) and remove its folder; runs it started go on."""
    global _server, _folder
    if _server is not None:
        if _server.stdin is not None:
            _server.stdin.close()
        try:
            _server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            _server.kill()
            _server.wait()
        _server = None
    if _folder is not None:
        shutil.rmtree(_folder, ignore_errors=True)
        _folder = None


@atexit.register
def _at_exit() -> None:
    with _lock:
        _stop()
