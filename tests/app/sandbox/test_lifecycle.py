"""Starting and stopping: no leaked threads or ports, fast stop, the CLI and python -m."""

from __future__ import annotations

import os
import re
import signal
import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from app.sandbox import Sandbox, SandboxConfig, SandboxError
from tests.helpers.cli import run_cli
from tests.helpers.forks import ForkServer
from tests.helpers.http import client as http_client

ROOT = Path(__file__).resolve().parents[3]


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_start_stop_twenty_times_leaks_nothing() -> None:
    threads_before = threading.active_count()
    for _ in range(20):
        with Sandbox() as running, http_client(base_url=running.base_url) as http:
            assert http.get("/_sandbox/health").status_code == 200
            port = running.port
        assert port_is_free(port)
        assert not running.running
    assert threading.active_count() == threads_before


def test_fixture_yields_a_running_sandbox(sandbox: Sandbox, sandbox_url: str) -> None:
    assert sandbox.running
    assert sandbox_url == sandbox.base_url
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", sandbox_url)


def test_reset_forgets_what_a_test_did(sandbox: Sandbox) -> None:
    with http_client(base_url=sandbox.base_url) as http:
        sandbox.add_client("other", "other-secret")
        sandbox.mask_values(["needle-value"])
        sandbox.set_fault("echo", status=503)
        token = http.post("/ims/token/v3", data={"grant_type": "client_credentials", "client_id": "other",
                                                 "client_secret": "other-secret"}).json()["access_token"]
        assert http.get("/echo/needle-value").status_code == 503
        assert "needle-value" not in str(http.get("/_sandbox/requests").json())  # masked...
        sandbox.reset()
        assert sandbox.counters()["echo"] == 0 and sandbox.requests() == []
        assert http.get("/echo/needle-value").status_code == 200  # no fault left
        assert "needle-value" in str(http.get("/_sandbox/requests").json())  # ...no longer masked
        assert sandbox.expire_tokens() == 0  # the token issued before is forgotten
        refused = http.post("/ims/token/v3", data={"grant_type": "client_credentials", "client_id": "other",
                                                   "client_secret": "other-secret"})
        assert refused.status_code != 200 and token


def _voluntary_switches(thread: threading.Thread) -> int:
    """How often `thread` has blocked so far (the kernel's count, Linux)."""
    status = Path("/proc/self/task", str(thread.native_id), "status").read_text()
    match = re.search(r"^voluntary_ctxt_switches:\s+(\d+)", status, re.MULTILINE)
    assert match is not None
    return int(match.group(1))


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="per-thread counters of Linux's /proc")
def test_an_idle_sandbox_wakes_about_once_a_second() -> None:
    """Its thread blocks between ticks: uvicorn's 0.1 s tick woke an idle sandbox ten times a second
    (the window's, all the time it is open; each test's, behind the test's back)."""
    with Sandbox() as running:
        thread = next(t for t in threading.enumerate() if t.name == f"sandbox-{running.port}")
        time.sleep(0.3)  # past its start
        before = _voluntary_switches(thread)
        time.sleep(1.0)
        woke = _voluntary_switches(thread) - before
    assert woke <= 3


def test_start_and_stop_are_idempotent() -> None:
    box = Sandbox()
    box.start()
    port = box.port
    box.start()
    assert box.port == port
    box.stop()
    box.stop()
    assert port_is_free(port)


def test_explicit_port(sandbox: Sandbox) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    with Sandbox(SandboxConfig(port=free)) as fixed:
        assert fixed.base_url == f"http://127.0.0.1:{free}"


def test_busy_port_is_a_sandbox_error(sandbox: Sandbox) -> None:
    with pytest.raises(SandboxError, match="cannot listen"):
        Sandbox(SandboxConfig(port=sandbox.port)).start()


def test_base_url_before_start_is_an_error() -> None:
    with pytest.raises(SandboxError):
        _ = Sandbox().base_url


def test_stop_is_fast_while_a_request_hangs() -> None:
    sandbox = Sandbox().start()  # its own: this test stops it
    sandbox.set_fault("echo", hang=True)
    errors: list[BaseException] = []

    def call() -> None:
        try:
            with http_client(timeout=30) as http:
                http.get(sandbox.base_url + "/echo/x")
        except httpx.HTTPError as exc:
            errors.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    deadline = time.monotonic() + 5
    while sandbox.counters()["echo"] == 0 and time.monotonic() < deadline:
        time.sleep(0.005)
    started = time.monotonic()
    sandbox.stop()
    assert time.monotonic() - started < 2
    caller.join(5)
    assert len(errors) == 1 and isinstance(errors[0], httpx.RemoteProtocolError)


def test_client_errors_log_no_error_or_traceback(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    with http_client(base_url=sandbox.base_url) as http:
        http.post("/api/custom-events", content=b"\xff" * 10, headers={"Authorization": "Bearer x"})
        http.post("/collection/x", content=b"[" * 10000, headers={"Content-Type": "application/json"})
        http.post("/ims/token/v3", content=b"\x00\xff")
        http.request("BREW", "/echo/x")
    # httptools (when installed) warns about the unknown method, without a traceback.
    assert [r for r in caplog.records if r.levelno >= 40 or r.exc_info] == []


@pytest.fixture(scope="module")
def forks() -> Iterator[ForkServer]:
    """The sandbox processes forked from one parent that imported the sandbox and its server (tests/helpers/forks.py)."""
    preload = ("app.sandbox", "app.sandbox.standalone", "app.cli.main", "app.cli.sandbox_cmd", "uvicorn.loops.auto",
               "uvicorn.protocols.http.auto", "uvicorn.protocols.websockets.auto", "uvicorn.lifespan.on")
    with ForkServer({**os.environ, "PYTHONPATH": str(ROOT)}, preload) as server:
        yield server


def run_and_interrupt(forks: ForkServer, module: str, args: list[str], sig: int) -> tuple[int, str, str]:
    """`python -m MODULE ARGS` in a process of its own, interrupted by `sig` once it serves."""
    code = f"import runpy\nrunpy.run_module({module!r}, run_name='__main__', alter_sys=True)"
    proc = forks.start(code, *args, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert url, line + proc.communicate(timeout=10)[1]
        with http_client() as http:
            assert http.get(url.group(0) + "/_sandbox/health").status_code == 200
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=10)
        return proc.wait(), line + out, err
    finally:
        if proc.poll() is None:  # closes the pipes and reaps the process whatever happens
            proc.kill()
            proc.communicate(timeout=10)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_python_m_runs_until_signalled(sig: int, forks: ForkServer) -> None:
    code, out, err = run_and_interrupt(forks, "app.sandbox", ["--port", "0"], sig)
    assert code == 0, err
    assert out.startswith("Sandbox running at http://127.0.0.1:")
    assert "Traceback" not in err


def test_cli_sandbox_command_with_a_fault(forks: ForkServer) -> None:
    code, out, err = run_and_interrupt(forks, "app.cli.main", ["sandbox", "--fault", "echo:status=503,times=1"],
                                       signal.SIGINT)
    assert code == 0, err
    assert "Sandbox running at http://127.0.0.1:" in out


def test_cli_rejects_a_bad_fault() -> None:
    done = run_cli("sandbox", "--fault", "echo:status=9")  # refused before serving: no process needed
    assert done.returncode == 1
    assert "status" in done.stderr
