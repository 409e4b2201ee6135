"""The window's run process (app.journeys.childrun's main): its run from standard input, its progress
and result as JSON lines, `stop` or the end of its input cancelling it, a refusal said. Each run is a
process forked from a warm parent that imported what a run needs, as the window's zygote forks its runs
(tests/helpers/forks.py); `python -m app.journeys.childrun` itself runs in test_zygote.py (a run without a zygote)."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterator

import pytest

from app.journeys import zygote
from app.journeys.childrun import ChildSpec, read_progress, read_result, secrets_for
from app.journeys.files import load_journey
from app.journeys.tracereader import TraceReader
from tests.helpers.forks import Forked, ForkServer

ROOT = Path(__file__).resolve().parents[3]
CHILDRUN = "import sys\nfrom app.journeys.childrun import main\nsys.exit(main())"  # python -m app.journeys.childrun
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the runs are forked (tests/helpers/forks.py)")


@pytest.fixture(scope="module")
def forks() -> Iterator[ForkServer]:
    with ForkServer({**os.environ, "PYTHONPATH": str(ROOT)}, (*zygote.PRELOAD, *zygote.RUN_IMPORTS)) as server:
        yield server


def child(forks: ForkServer, spec: ChildSpec) -> Forked:
    proc = forks.start(CHILDRUN, stdin=True, stderr=False, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdin is not None
    proc.stdin.write(spec.to_json() + "\n")
    proc.stdin.flush()
    return proc


def messages(proc: Any) -> list[dict[str, Any]]:
    """Every line up to the outcome, its input kept open meanwhile (its end would cancel the run)."""
    assert proc.stdin is not None and proc.stdout is not None
    lines = []
    for line in proc.stdout:
        lines.append(json.loads(line))
        if not {"progress", "paused"} & set(lines[-1]):
            break
    proc.stdin.close()
    assert proc.wait(timeout=60) is not None and proc.stdout.read() == ""
    proc.stdout.close()
    return lines


def spec_of(services: Any, profiles: Path, **kwargs: Any) -> ChildSpec:
    journey = load_journey(services.workspace.home, "sampleJourney")
    secrets, problem = secrets_for(services, journey)
    return ChildSpec(str(services.workspace.home), journey.dump(), str(profiles), secrets=secrets,
                     secrets_problem=problem, **kwargs)


def test_a_run_reports_its_progress_and_result_as_lines(services: Any, forks: ForkServer) -> None:
    spec = spec_of(services, services.workspace.home / "profiles" / "purchases.csv", seed=5)
    assert spec.secrets  # the demo secrets the sample's actions refer to, handed over (never written)
    proc = child(forks, spec)
    lines = messages(proc)
    assert proc.returncode == 0 and "result" in lines[-1]
    result = read_result(lines[-1]["result"])
    progress, (at, size) = read_progress(lines[-2]["progress"])
    assert progress.final and progress.done == 303 and size and at
    with TraceReader(result.path) as reader:
        assert reader.outcomes() == progress.outcomes == result.outcomes and reader.info().seed == 5
    assert not any(value in Path(result.path).read_bytes().decode("utf-8", "replace") for value in spec.secrets.values())


def test_stop_on_its_input_cancels_the_run_and_keeps_what_finished(services: Any, tmp_path: Path,
                                                                   forks: ForkServer) -> None:
    slow = tmp_path / "slow.json"
    slow.write_text(json.dumps([{"status": 200, "body": {}, "delay_ms": 60000}]))
    spec = spec_of(services, services.workspace.home / "profiles" / "purchases.csv", targets={"writeEvent": f"mock:{slow}"})
    proc = child(forks, spec)
    assert proc.stdout is not None and "progress" in json.loads(proc.stdout.readline())
    proc.stdin.write("stop\n")  # type: ignore[union-attr]
    proc.stdin.flush()  # type: ignore[union-attr]
    result = read_result(messages(proc)[-1]["result"])
    assert proc.returncode == 0 and result.state == "cancelled" and result.outcomes.get("cancelled", 0) >= 1


def test_a_refused_run_says_why_and_runs_nothing(services: Any, forks: ForkServer) -> None:
    spec = spec_of(services, services.workspace.home / "profiles" / "nothing.csv")
    lines = messages(child(forks, spec))
    assert len(lines) == 1 and "nothing.csv" in lines[0]["error"] and "no such file" in lines[0]["error"]


def test_the_paused_list_reporter_stops_at_once_when_the_run_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    """The run's result is said once the reporter stopped: it does not first wait out its report interval."""
    from app.journeys.breakpoints import Breakpoints
    from app.journeys.childrun import _PausedReporter

    monkeypatch.setattr(_PausedReporter, "REPORT_S", 3600.0)  # a wait stop() would have to sit through
    said: list[dict[str, Any]] = []
    breaks = Breakpoints()
    reporter = _PausedReporter(breaks, said.append)
    assert breaks.on_change is not None
    breaks.on_change()  # a change: the reporter waits REPORT_S before saying the list
    reporter.stop()
    assert not reporter.thread.is_alive() and breaks.on_change is None
    assert said == []  # nothing paused, as the window was last told
