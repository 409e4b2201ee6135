"""The suite's own settings: a hang fails the run instead of stalling it, `make test` runs on every
core, and a test starts a real process only where the process is the point (a process start costs
~0.5 s of CPU: a handful of them is a good part of the suite's time on 2 cores)."""
from __future__ import annotations

import gc
import hashlib
import importlib.util
import json
import math
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parent.parent

# Where a test starts a process, and why the process is the point. Anything else runs the command
# in process: tests/helpers/cli.py run_cli (main(), as `python -m app` runs it).
REAL_PROCESSES = {
    "tests/helpers/cli.py": "run_process: the helper itself",
    "tests/helpers/forks.py": "ForkServer: the helper itself (a warm parent forking real processes)",
    "tests/helpers/workers.py": "the xdist workers forked from a warm template (a ForkServer)",
    "tests/test_preimport.py": "a test's warm parent forked from the template without the test modules the workers hold",
    "tests/app/journeys/test_profiles.py": "a peak memory (ru_maxrss) is only a fresh process's",
    "tests/app/journeys/test_traces.py": "a run killed (SIGKILL) mid-write",
    "tests/app/calls/test_history_tail.py": "a history written by another process while searched, one killed (SIGKILL)",
    "tests/app/sandbox/test_lifecycle.py": "SIGINT / SIGTERM stop `python -m app.sandbox` and `sandbox` (forked by a warm parent)",
    "tests/app/test_layers.py": "a fresh interpreter's sys.modules: no Qt loaded by a command",
    "tests/app/test_secrets.py": "a real Secret Service on a private D-Bus (secret_service marker)",
    "tests/e2e/test_check_cli.py": "Ctrl+C (SIGINT) stops `check` at once with a partial report (forked by a warm parent)",
    "tests/e2e/test_cli.py": "the interpreter's own exit status",
    "tests/e2e/test_journey_run_cli.py": "SIGINT cancels a run, kill -9 leaves a readable trace (both forked by one warm parent)",
    "tests/e2e/test_real_window.py": "a real X display (xvfb marker)",
    "tests/e2e/test_send_cli.py": "SIGINT / SIGTERM interrupt a batch (forked by a warm parent)",
    "tests/e2e/test_wheel.py": "the built wheel installed in a new environment, run as a user runs it",
    "tests/e2e/test_workspace_processes.py": "two processes racing for the lock, writers killed, no keyring at all (forked by a warm parent)",
    "tests/app/journeys/test_childrun.py": "the child process the window runs a journey in (its protocol on real pipes; forked by a warm parent, as the zygote forks it)",
    "tests/app/journeys/test_zygote.py": "the warm parent forking the window's runs: `run` and its child on real pipes",
    "tests/ui/journeys/test_zygote.py": "the window's zygote started as the window starts it (a new Python)",
    "tests/app/test_listing.py": "a fresh interpreter: what the first paint imports (no pydantic, keyring, httpx)",
    "tests/ui/test_workspace_sync.py": "the window following a real second process (one test)",
}
STARTS_A_PROCESS = re.compile(r"\bsubprocess\.(run|Popen|call|check_call|check_output)\b|\brun_process\b|\bForkServer\b|"
                              r"\bos\.(fork|spawn\w*|exec\w*|system|popen)\(|\bmultiprocessing\b")


def test_every_test_has_a_timeout(pytestconfig: pytest.Config) -> None:
    assert pytestconfig.pluginmanager.hasplugin("timeout")
    assert 0 < float(pytestconfig.getini("timeout")) <= 300
    assert pytestconfig.getini("timeout_method") == "thread"


def test_one_watchdog_thread_times_every_test_instead_of_a_thread_a_test() -> None:
    """pytest-timeout's thread method made, woke and joined a Timer thread for every test (~0.6 ms of CPU
    each): tests/helpers/watchdog.py times them from one thread, through pytest-timeout's own hooks."""
    import pytest_timeout

    names = [t.name for t in threading.enumerate()]
    assert "pytest_timeout watchdog" in names, names
    assert not [n for n in names if n.startswith(f"{pytest_timeout.__name__} tests/")], names  # its Timer's name


def test_the_watchdog_fires_for_a_test_still_running_at_its_deadline_only() -> None:
    from tests.helpers.watchdog import Deadline

    first, second, settings = object(), object(), pytest_timeout_settings(timeout=10)
    deadline = Deadline()
    assert deadline.due(now=0) == (None, math.inf)  # nothing timed
    assert deadline.arm(first, settings, now=100) == 110
    assert deadline.due(now=109.9) == (None, 110)
    deadline.disarm(first)  # it ended in time
    assert deadline.due(now=200) == (None, math.inf)
    deadline.arm(second, settings, now=200)
    deadline.disarm(first)  # an earlier test's cancel leaves this one timed
    assert deadline.due(now=210) == ((second, settings), math.inf)
    assert deadline.due(now=220) == (None, math.inf)  # once


def test_the_watchdog_thread_calls_its_timeout_for_a_test_past_its_deadline() -> None:
    from tests.helpers.watchdog import Watchdog

    fired: list[object] = []
    done = threading.Event()
    watchdog = Watchdog(lambda item, settings: (fired.append(item), done.set()))
    ended_in_time, hangs = object(), object()
    watchdog.arm(ended_in_time, pytest_timeout_settings(timeout=3600))
    watchdog.disarm(ended_in_time)
    watchdog.arm(hangs, pytest_timeout_settings(timeout=0.05))  # earlier than the thread's wake-up: it is woken
    assert done.wait(60), "the watchdog never fired"
    assert fired == [hangs]


def test_a_worker_sends_a_pass_without_its_keywords_and_anything_else_with_them(pytestconfig: pytest.Config) -> None:
    """tests/helpers/reports.py: a passing phase's report is sent without its test's keyword names (~40% of
    its serializing), which the controller reads only for skips; every other report is sent whole."""
    from types import SimpleNamespace

    keywords = {"test_a": 1, "tests": 1, "slow": 1}

    def sent(outcome: str, longrepr: object = None, worker: bool = True) -> dict[str, object]:
        report = pytest.TestReport("tests/t.py::test_a", ("tests/t.py", 1, "test_a"), keywords, outcome, longrepr, "call")
        config = SimpleNamespace(workerinput={}) if worker else SimpleNamespace()
        data = pytestconfig.hook.pytest_report_to_serializable(config=config, report=report)
        assert pytestconfig.hook.pytest_report_from_serializable(config=config, data=data).outcome == outcome
        return data

    assert sent("passed")["keywords"] == {}
    assert sent("passed")["nodeid"] == "tests/t.py::test_a"
    assert sent("failed", "assert 1 == 2")["keywords"] == keywords
    assert sent("skipped", ("tests/t.py", 1, "Skipped: why"))["keywords"] == keywords  # pytest folds skips by them
    assert sent("passed", worker=False)["keywords"] == keywords  # no controller to send it to


def test_the_collector_makes_no_pass_while_the_tests_are_collected() -> None:
    """What collection makes lives as long as the session: frozen at its end (conftest.pytest_collection_finish),
    not scanned ~150 times by the collector while it is made."""
    from tests import conftest

    collecting = conftest.pytest_collection(session=None)  # type: ignore[arg-type]
    next(collecting)
    try:
        assert not gc.isenabled()
    finally:
        with pytest.raises(StopIteration):
            next(collecting)
    assert gc.isenabled()


def pytest_timeout_settings(timeout: float) -> object:
    from pytest_timeout import Settings

    return Settings(timeout, "thread", False, False)


def test_make_test_runs_the_suite_on_every_core(pytestconfig: pytest.Config) -> None:
    assert pytestconfig.pluginmanager.hasplugin("xdist")
    recipe = _recipe(REPO / "Makefile", "test")
    words = shlex.split(recipe.replace("\\\n", " "))
    assert "pytest" in words, recipe
    assert words[words.index("-n") + 1] == "$(TEST_WORKERS)" and "TEST_WORKERS ?= auto" in (REPO / "Makefile").read_text()
    assert words[words.index("--dist") + 1] == "worksteal"  # seconds-long tests do not hold up a worker's queue
    assert "PYTHONDONTWRITEBYTECODE=" in words  # each worker loads compiled modules
    assert "pytest-xdist" in (REPO / "pyproject.toml").read_text()


def test_auto_is_two_workers_for_each_usable_cpu(pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTEST_XDIST_AUTO_NUM_WORKERS", raising=False)
    first = pytestconfig.hook.pytest_xdist_auto_num_workers.get_hookimpls()[-1]  # called first, its answer wins
    assert Path(first.plugin_name) == REPO / "tests" / "conftest.py", first.plugin_name
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert pytestconfig.hook.pytest_xdist_auto_num_workers(config=pytestconfig) == 2 * usable  # waits filled
    monkeypatch.setenv("PYTEST_XDIST_AUTO_NUM_WORKERS", "3")  # the documented override still wins
    assert pytestconfig.hook.pytest_xdist_auto_num_workers(config=pytestconfig) == 3


def test_no_plugin_runs_its_hooks_for_tests_the_suite_does_not_have(pytestconfig: pytest.Config) -> None:
    """anyio's plugin runs async tests (none here) and hooks every collected name and every fixture set up."""
    assert not pytestconfig.pluginmanager.hasplugin("anyio")
    using = [str(p) for p in (REPO / "tests").rglob("*.py") if p.name != Path(__file__).name
             and re.search(r"mark\.anyio|\banyio_backend\b", p.read_text("utf-8"))]
    assert not using, f"these use anyio's plugin: remove -p no:anyio from pyproject.toml's addopts: {using}"


def test_hypothesis_has_no_deadline_to_miss_on_a_loaded_machine() -> None:
    assert settings.default.deadline is None


def test_only_the_listed_tests_start_a_process() -> None:
    starting = {str(p.relative_to(REPO)) for p in (REPO / "tests").rglob("*.py")
                if STARTS_A_PROCESS.search(p.read_text("utf-8")) and p.name != Path(__file__).name}
    assert not starting - REAL_PROCESSES.keys(), (
        "these start a process: run the command in process (tests/helpers/cli.py run_cli), or, where the "
        f"process is the point, add the file to REAL_PROCESSES with why: {sorted(starting - REAL_PROCESSES.keys())}")
    assert not REAL_PROCESSES.keys() - starting, f"no longer start one: {sorted(REAL_PROCESSES.keys() - starting)}"


def test_the_process_check_sees_each_way_of_starting_one() -> None:
    for text in ("subprocess.run([sys.executable])", "subprocess.Popen(argv)", "run_process('x')", "os.fork()",
                 "import multiprocessing", "with ForkServer(env, preload) as forks:"):
        assert STARTS_A_PROCESS.search(text), text
    assert not STARTS_A_PROCESS.search("run_cli('--home', home)  # in process, not a subprocess")


def test_the_controller_fills_the_caches_the_workers_read(pytestconfig: pytest.Config, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """What a worker would make for itself at start (on a fresh clone, each of them did): the plain pyc of
    a module, pytest's rewritten pyc of a test module, hypothesis's constants of a module; made once."""
    from _pytest.assertion.rewrite import PYC_TAIL, _read_pyc, get_cache_dir
    from hypothesis.configuration import storage_directory

    from tests.helpers.warm import fill

    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("LIMIT = 5318008  # a constant hypothesis draws from\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "helper.py").write_text("VALUE = 1\n")
    test = tmp_path / "tests" / "test_a.py"
    test.write_text("def test_a():\n    assert 1 + 1 == 2\n")
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as `make test` runs the suite
    fill(pytestconfig, tmp_path, sources=("pkg",), tests="tests")

    assert Path(importlib.util.cache_from_source(str(tmp_path / "pkg" / "mod.py"))).is_file()
    assert Path(importlib.util.cache_from_source(str(tmp_path / "tests" / "helper.py"))).is_file()
    assert not Path(importlib.util.cache_from_source(str(test))).exists()  # a test module is loaded rewritten only
    rewritten = _read_pyc(test, get_cache_dir(test) / (test.name[:-3] + PYC_TAIL))
    assert rewritten is not None and "@py_builtins" in rewritten.co_names  # what pytest's import hook loads
    source = (tmp_path / "pkg" / "mod.py").read_bytes()
    constants = storage_directory("constants").path / hashlib.sha1(source).hexdigest()[:16]
    assert "5318008" in constants.read_text("utf-8")


def test_no_cache_is_written_where_bytecode_is_not(pytestconfig: pytest.Config, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.helpers.warm import fill

    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("VALUE = 1\n")
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # PYTHONDONTWRITEBYTECODE=1
    fill(pytestconfig, tmp_path, sources=("pkg",), tests="tests")
    assert not (tmp_path / "pkg" / "__pycache__").exists()


HANDED = """
import atexit, gc, json, os, sys
atexit.register(print, "its atexit handlers run as it ends", file=sys.stderr)  # a window's zygote stops there
print(json.dumps([sys.argv[1:], os.getcwd(), os.environ.get("HANDED"), sys.stdin.read(), gc.isenabled()]))
print("on its own stderr", file=sys.stderr)
sys.exit(int(sys.argv[1]))
"""


def test_a_process_hands_its_streams_to_a_fork_of_the_template_and_exits_as_it_does(tmp_path: Path) -> None:
    """How each xdist worker starts from the template (tests/helpers/workers.py): `python -S forks.py
    SOCKET [options] -c CODE ARGS` as execnet runs `python -u -c CODE`; the fork gets its pipes, its
    environment and working folder, and its exit code (a signal's as a shell says it) is the process's."""
    from tests.helpers.forks import ForkServer
    from tests.helpers.workers import FORKS

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with ForkServer(env, ("json", "gc:disable")) as server:  # a module:function is called once imported
        def hand(code: str, *args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([sys.executable, "-S", str(FORKS), server.path, "-u", "-c", code, *args],
                                  input="its stdin", capture_output=True, text=True, cwd=tmp_path,
                                  env={**env, "HANDED": "its environment"}, timeout=60)

        done = hand(HANDED, "3", "b")
        killed = hand("import os, signal; os.kill(os.getpid(), signal.SIGKILL)")
    assert done.returncode == 3, done.stderr
    assert json.loads(done.stdout) == [["3", "b"], str(tmp_path), "its environment", "its stdin", False]
    assert done.stderr == "on its own stderr\nits atexit handlers run as it ends\n"
    assert killed.returncode == 128 + signal.SIGKILL


def test_a_fork_servers_child_is_its_own_fork_with_no_watcher_between() -> None:
    """One fork a child: a watcher process forked to fork the child and wait for it cost a second fork of the
    large warm parent (~7 ms of CPU); the server reaps its children itself and reports how each ended."""
    from tests.helpers.forks import ForkServer

    with ForkServer({**os.environ, "PYTHONPATH": str(REPO)}, ("json",)) as server:
        proc = server.start("import os, sys; print(os.getppid()); sys.exit(5)")
        out, _ = proc.communicate()
        killed = server.start("import os, signal; os.kill(os.getpid(), signal.SIGKILL)")
        killed.communicate()
    assert (proc.returncode, int(out)) == (5, server._server.pid)
    assert killed.returncode == -signal.SIGKILL


def test_in_a_worker_a_fork_server_is_a_fork_of_the_template(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.helpers.forks import TEMPLATE, Forked, ForkServer

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with ForkServer(env, ("json",)) as template:
        monkeypatch.setenv(TEMPLATE, template.path)  # as in the workers the template started
        with ForkServer(env, ("json",)) as server:
            assert isinstance(server._server, Forked)  # not a new Python: the template's child
            proc = server.start("import sys; print(sys.stdin.read().upper()); sys.exit(4)", stdin=True)
            assert proc.stdin is not None
            proc.stdin.write("forked twice")
            out, err = proc.communicate()
    assert (proc.returncode, out, err) == (4, "FORKED TWICE\n", "")


def test_in_a_worker_the_windows_zygote_is_a_fork_of_the_template(monkeypatch: pytest.MonkeyPatch) -> None:
    """The window's zygote (ui/journeys/zygote.py) in a worker is forked from the template (tests/helpers/zygotes.py),
    not a new Python importing what a run needs (~0.85 s of CPU in each worker that ran a journey from the
    window); it serves a run as the one it replaces does, and ends when its input does."""
    from app.journeys.zygote import RUN_PID
    from tests.helpers.forks import TEMPLATE, Forked, ForkServer
    from tests.helpers.zygotes import forked_from
    from ui.journeys import zygote

    if os.environ.get(TEMPLATE):  # this worker's windows fork theirs from its template
        assert zygote._start_server.__module__ == "tests.helpers.zygotes"
    monkeypatch.setattr(zygote, "_server", None)  # this test's zygote, not the worker's own
    monkeypatch.setattr(zygote, "_folder", None)
    monkeypatch.delenv("ACTION_STUDIO_RUN_ZYGOTE", raising=False)
    with ForkServer({**os.environ, "PYTHONPATH": str(REPO)}, ("app.journeys.zygote",)) as template:
        monkeypatch.setattr(zygote, "_start_server", forked_from(template.path))
        try:
            arguments = zygote.run_arguments()
            server = zygote._server
            assert isinstance(server, Forked)  # the template's child
            run = subprocess.run([sys.executable, *arguments], input="", capture_output=True, text=True,
                                 env=zygote.environment(), timeout=60)
        finally:
            zygote._stop()
    # The run is the zygote's child: its pid first, then the run process's own refusal of an empty input.
    assert run.returncode == 1 and run.stderr.startswith(RUN_PID), run.stderr
    assert "expects its run as one JSON line" in run.stderr
    assert server.returncode == 0  # its input closed (the window's process gone): it ended


def test_the_template_imports_the_project_and_the_plugins_but_no_test_module() -> None:
    from tests.helpers.workers import WARM_CALLS, plugin_entry_points, plugin_modules, preload

    names = preload(REPO)
    assert len(names) == len(set(names))
    assert not [n for n in names if n.split(".")[0] == "tests" or n.endswith("__main__")]  # pytest imports those
    assert {"pytest", "_pytest.python", "pytestqt.plugin", "xdist.looponfail", "hypothesis", "app.cli.main",
            "ui.mainwindow", "tools.smoke", "aiohttp", "PySide6.QtWidgets"} <= set(names)
    assert set(plugin_entry_points()) <= set(names)
    # pytest marks the plugins' modules for rewriting in each worker: each one the template imported is filtered.
    assert {"hypothesis", "pytestqt", "xdist", "anyio", "pytest_timeout", "_hypothesis_pytestplugin"} <= set(plugin_modules())
    assert WARM_CALLS == ("tests.helpers.workers:hypothesis_constants", "app.journeys.zygote:warm")


def _recipe(makefile: Path, target: str) -> str:
    """The recipe lines of `target` (tab-indented, continuation lines kept)."""
    lines = makefile.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    recipe = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return "\n".join(recipe)
