"""The warm parent of the window's runs (app.journeys.zygote): a run through `run` says exactly what
`python -m app.journeys.childrun` says, on the same pipes; `run` ends as its child does; killing
either ends the other; with no zygote, `run` is the run process itself."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from app.journeys.childrun import ChildSpec, read_result
from app.journeys.tracereader import TraceReader, list_runs
from app.journeys.zygote import RUN_PID, listen
from tests.app.journeys.test_childrun import messages, spec_of
from tests.helpers.forks import ForkServer

ROOT = Path(__file__).resolve().parents[3]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the zygote is Linux's")


SERVE = "import sys\nfrom app.journeys.zygote import main\nsys.exit(main(['zygote', 'serve', '3']))"


@pytest.fixture(scope="module")
def zygote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One zygote for the module's runs, as the window keeps one for all of its runs (its preload is
    most of a test's CPU); each run is a fresh fork of it. The zygote is `python -m app.journeys.zygote
    serve FD` forked from a warm parent (tests/helpers/forks.py): how it starts cold is not the point
    here (test_a_run_forked_from_the_warm_zygote_imports_nothing_more starts its warm() in a new Python)."""
    path = str(tmp_path_factory.mktemp("zygote") / "zygote")
    with listen(path) as listener, ForkServer(ENV, ("app.journeys.zygote",)) as forks:
        server = forks.start(SERVE, stdin=True, pass_fds=(listener.fileno(),))
        listener.close()  # the zygote holds it
        yield path
        _, err = server.communicate(timeout=60)  # its input ends (the window's process is gone): it ends
        assert server.returncode == 0, err


def start(path: str, spec: ChildSpec) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-S", "-m", "app.journeys.zygote", "run", path], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    assert proc.stdin is not None
    proc.stdin.write(spec.to_json() + "\n")
    proc.stdin.flush()
    return proc


def run_pid(proc: subprocess.Popen[str]) -> int:
    assert proc.stderr is not None
    line = proc.stderr.readline()
    assert line.startswith(RUN_PID), line
    return int(line[len(RUN_PID):])


def gone(pid: int) -> bool:
    """Reaped by the zygote: every thread of it has ended (a zombie's threads may still hold its files)."""
    return not Path(f"/proc/{pid}").exists()


def wait_until(check: Any) -> None:
    """Until check() holds (the run's processes end on their own time; the suite's timeout is the limit)."""
    while not check():
        time.sleep(0.02)


def first_rows(services: Any, folder: Path) -> Path:
    """The sample's first 40 profiles: they take every branch of the sample journey."""
    lines = (services.workspace.home / "profiles" / "purchases.csv").read_text("utf-8").splitlines()
    profiles = folder / "purchases.csv"
    profiles.write_text("\n".join(lines[:41]) + "\n", "utf-8")
    return profiles


def test_a_run_through_the_zygote_says_what_the_run_process_says(services: Any, zygote: str, tmp_path: Path) -> None:
    spec = spec_of(services, first_rows(services, tmp_path), seed=5)
    proc = start(zygote, spec)
    pid = run_pid(proc)
    assert pid != proc.pid  # the zygote's child runs it
    lines = messages(proc)
    assert proc.returncode == 0 and all("progress" in m for m in lines[:-1])
    result = read_result(lines[-1]["result"])
    with TraceReader(result.path) as reader:
        assert reader.info().seed == 5 and reader.outcomes() == result.outcomes and result.rows_read == 40
    assert proc.stderr is not None and proc.stderr.read() == ""
    proc.stderr.close()


def test_a_refused_run_exits_as_the_run_process_does(services: Any, zygote: str) -> None:
    spec = spec_of(services, services.workspace.home / "profiles" / "nothing.csv")
    proc = start(zygote, spec)
    run_pid(proc)
    (line,) = messages(proc)
    assert "no such file" in line["error"] and proc.returncode == 1
    assert proc.stderr is not None
    proc.stderr.close()


@pytest.mark.parametrize("killed", ["the run", "its starter"])
def test_killing_the_run_or_its_starter_ends_both(services: Any, zygote: str, tmp_path: Path, killed: str) -> None:
    slow = tmp_path / "slow.json"
    slow.write_text(json.dumps([{"status": 200, "body": {}, "delay_ms": 60000}]))
    spec = spec_of(services, services.workspace.home / "profiles" / "purchases.csv",
                   targets={"writeEvent": f"mock:{slow}"})
    proc = start(zygote, spec)
    pid = run_pid(proc)
    assert proc.stdout is not None and "progress" in json.loads(proc.stdout.readline())
    os.kill(pid if killed == "the run" else proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=60) == -signal.SIGKILL  # the window reports a crash either way
    wait_until(lambda: gone(pid))
    (run,) = list_runs(services.workspace.home)
    assert run.state == "interrupted"  # killed mid-run: what finished is kept
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        assert stream is not None
        stream.close()


BARE_RUN = """
import sys
from app.journeys import zygote
code = zygote.run(sys.argv[1])
print("imported:", *sorted({"enum", "json", "re", "signal", "socket", "typing"} & set(sys.modules)), file=sys.stderr)
sys.exit(code)
"""


def test_run_hands_its_streams_over_with_the_c_modules_only(services: Any, zygote: str) -> None:
    """`run` starts for every Run click: socket and signal (their enums), json (re) and typing would
    more than double its CPU (~10 -> ~25 ms), so it needs none of them, exit or signal."""
    spec = spec_of(services, services.workspace.home / "profiles" / "nothing.csv")
    proc = subprocess.Popen([sys.executable, "-S", "-c", BARE_RUN, zygote], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    assert proc.stdin is not None and proc.stderr is not None
    proc.stdin.write(spec.to_json() + "\n")
    proc.stdin.flush()
    assert run_pid(proc) != proc.pid
    (line,) = messages(proc)
    assert "no such file" in line["error"] and proc.returncode == 1  # the child's exit code, handed back
    assert proc.stderr.read().splitlines()[-1] == "imported:"
    proc.stderr.close()


def test_without_a_zygote_run_is_the_run_process_itself(services: Any, tmp_path: Path) -> None:
    spec = spec_of(services, first_rows(services, tmp_path), seed=5)
    proc = start(str(tmp_path / "none"), spec)
    lines = messages(proc)
    assert proc.returncode == 0 and read_result(lines[-1]["result"]).rows_read == 40
    assert proc.stderr is not None and proc.stderr.read() == ""  # no zygote's child: no pid said
    proc.stderr.close()


WARM_RUN = """
import io, json, sys, threading
from app.journeys.zygote import warm
warm()
before = set(sys.modules)
from app.journeys.breakpoints import Breakpoints
from app.journeys.childrun import ChildSpec, run_child
out = io.StringIO()
code = run_child(ChildSpec.from_json(sys.stdin.readline()), out, threading.Event(), Breakpoints())
print(json.dumps({"code": code, "last": out.getvalue().splitlines()[-1], "new": sorted(set(sys.modules) - before)}))
"""


def test_a_run_forked_from_the_warm_zygote_imports_nothing_more(services: Any, tmp_path: Path) -> None:
    """What a sandbox run imports on its way (expressions compiled, settings read, the sandbox's server,
    the token call's transport, the CSV read) the zygote imported before forking: each Run click pays
    none of it (it was ~0.12 s of CPU a run, and the TLS context ~75 ms more)."""
    spec = spec_of(services, first_rows(services, tmp_path), seed=5)
    done = subprocess.run([sys.executable, "-c", WARM_RUN], input=spec.to_json() + "\n", capture_output=True,
                          text=True, env=ENV, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["code"] == 0 and "result" in json.loads(report["last"]), report
    assert report["new"] == [], f"imported by the run, not by the zygote's warm(): {report['new']}"


def test_the_working_folder_and_environment_reach_the_child_as_the_run_process_has_them() -> None:
    """`run` sends them as bytes; the child's os.environ holds what `run`'s held, undecodable bytes too."""
    from app.journeys.zygote import _setup, _setup_bytes

    environ = {b"PATH": b"bin:tools", b"EMPTY": b"", b"EQUALS": b"a=b=c", b"LATIN1": b"caf\xe9",
               b"NAME\xff": b"\xfe\xff"}
    setup = _setup(_setup_bytes(b"runs/r\xe9pertoire", environ))
    assert setup["cwd"] == os.fsdecode(b"runs/r\xe9pertoire")
    assert {os.fsencode(k): os.fsencode(v) for k, v in setup["env"].items()} == environ
    assert _setup(_setup_bytes(b"here", {}))["env"] == {}
    with pytest.raises(ValueError):
        _setup(b"here\0NO_EQUALS_SIGN")


def test_warm_makes_every_lexer_of_the_expression_parser() -> None:
    """Each child would otherwise compile the token regexes of every parser state its expressions reach."""
    from app.journeys.expr.parser import _lark
    from app.journeys.zygote import warm

    lexers = list(_lark().parser.lexer.lexers.values())
    for lexer in lexers:
        lexer._scanner = None  # as a new process has them (lark makes one when its state first lexes)
    warm()
    assert lexers and all(lexer._scanner is not None for lexer in lexers)
