"""The run bar: preview, targets and real hosts, a run against the sandbox, Stop, the UI thread free."""
from __future__ import annotations

import gc
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer, QTimer

from app.journeys.tracereader import TraceReader
from app.model import EnvironmentSet
from tests.ui.journeys.conftest import big_profiles
from ui.journeys.runview import RunView


def test_the_preview_lists_the_first_rows_and_the_rejected_ones_with_why(qtbot: Any, run_view: RunView) -> None:
    bar = run_view.runbar
    bar.profiles.setText(str(bar.services.workspace.home / "profiles" / "purchases.csv"))
    qtbot.waitUntil(lambda: bar.rejected.count() == 12, timeout=10000)
    assert bar.rejected.item(0).text() == "row 25 (line 26), column event.value: expected a number, got 'abc'"
    assert bar.rejected_label.text() == "12 of the first 303 rows (csv) will be rejected"
    headers = [bar.preview_table.horizontalHeaderItem(c).text() for c in range(bar.preview_table.columnCount())]
    assert headers[0] == "profileId" and "event.value" in headers
    assert bar.preview_table.item(0, 0).text() == "p-000001" and bar.preview_table.rowCount() == 20
    bar.profiles.setText(str(bar.services.workspace.home / "profiles" / "nothing.csv"))
    qtbot.waitUntil(lambda: "no such file" in bar.rejected_label.text(), timeout=10000)
    assert bar.preview_table.rowCount() == 0


def test_an_env_target_lists_the_real_hosts_before_it_can_be_armed(qtbot: Any, run_view: RunView,
                                                                   tmp_path: Path) -> None:
    services, bar = run_view.services if hasattr(run_view, "services") else run_view.runbar.services, run_view.runbar
    envs = services.environments()
    services.save_environments(EnvironmentSet.model_validate({**envs.model_dump(by_alias=True), "active": "production"}))
    assert not bar.arm.isEnabled()
    bar.set_target("writeEvent", "env")
    qtbot.waitUntil(lambda: bar.arm.isEnabled(), timeout=10000)
    assert "dcs.adobedc.net (from writeEvent)" in bar.hosts_label.text()
    bar.arm.setChecked(True)
    assert bar.spec().arm
    bar.set_target("writeEvent", "dry")
    assert not bar.arm.isEnabled() and not bar.spec().arm
    # Unarmed, the run is refused with the hosts named, and nothing is run.
    bar.set_target("writeEvent", "env")
    bar.profiles.setText(str(services.workspace.home / "profiles" / "purchases.csv"))
    bar.run_button.click()
    qtbot.waitUntil(lambda: not bar.running, timeout=10000)
    assert "The run cannot start: this run would call real hosts: dcs.adobedc.net" in bar.status.text()
    assert bar.result is None and bar.run_button.isEnabled()


def test_a_run_against_the_sandbox_fills_the_table_and_the_past_runs(qtbot: Any, run_view: RunView) -> None:
    bar = run_view.runbar
    bar.profiles.setText(str(bar.services.workspace.home / "profiles" / "purchases.csv"))
    bar.seed.setText("7")
    seen: list[Any] = []
    bar.progressed.connect(seen.append)
    with qtbot.waitSignal(bar.runFinished, timeout=60000) as finished:
        bar.run_button.click()
    result = finished.args[0]
    assert result.state == "completed" and result.seed == 7
    with TraceReader(result.path) as reader:
        outcomes, targets = reader.outcomes(), reader.info().targets
    assert outcomes == {"finished": 288, "rejected": 12, "discarded": 3} and set(targets.values()) == {"sandbox"}
    assert seen and seen[-1].done == 303 and seen[-1].outcomes == outcomes
    assert bar.progress.value() == bar.progress.maximum() and "303 profiles" in bar.progress.format()
    assert f"Run {result.run_id} completed" in bar.status.text()
    table = run_view.profiles.model
    qtbot.waitUntil(lambda: table.total == 303 and table.rowCount() > 0, timeout=10000)
    qtbot.waitUntil(lambda: bar.past.count() == 1, timeout=10000)
    assert bar.past.currentData() == str(result.path)
    run_view.profiles.open_run(None)
    with qtbot.waitSignal(bar.runOpened) as opened:
        bar.open_run.click()
    assert opened.args[0] == result.path


def test_stop_cancels_the_run_within_a_second(qtbot: Any, run_view: RunView, tmp_path: Path) -> None:
    bar = run_view.runbar
    slow = tmp_path / "slow.json"
    slow.write_text(json.dumps([{"status": 200, "body": {}, "delay_ms": 60000}]))
    bar.set_target("writeEvent", f"mock:{slow}")
    bar.profiles.setText(str(big_profiles(tmp_path / "p.csv", 500)))
    with qtbot.waitSignal(bar.progressed, timeout=30000):
        bar.run_button.click()
    clock = QElapsedTimer()
    with qtbot.waitSignal(bar.runFinished, timeout=5000) as finished:
        clock.start()
        bar.stop_button.click()
    assert clock.elapsed() < 1500  # the runner checks its cancel event every 50 ms
    assert finished.args[0].state == "cancelled" and finished.args[0].outcomes.get("cancelled", 0) >= 1
    assert "cancelled" in bar.status.text() and bar.run_button.isEnabled() and not bar.stop_button.isEnabled()


class LoopProbe:
    """How long the UI event loop goes without turning, as a 10 ms timer sees it: each gap between
    two ticks less the time the kernel kept the UI thread ready but not running (its run-queue wait,
    /proc/thread-self/schedstat, on Linux; 0 elsewhere). On this 2-core machine shared by many
    processes that wait alone reached 130 ms; what is left is the time our process spent not
    handling events (running our code, or waiting for the GIL or a lock). Gaps are kept per phase."""

    SCHEDSTAT = Path("/proc/thread-self/schedstat")

    def __init__(self) -> None:
        self.phase = "run"
        self.gaps: dict[str, list[float]] = {}
        self.busy: dict[str, list[float]] = {}  # per gap, the UI thread's own CPU time (ms): our code on it
        self.worst: list[tuple[int, int, str]] = []  # (gap, of which the UI thread ran (ms), phase): said on a failure
        self.clock = QElapsedTimer()
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self._tick)

    def _waited_ms(self) -> float:
        try:
            return int(self.SCHEDSTAT.read_text().split()[1]) / 1e6
        except (OSError, IndexError, ValueError):
            return 0.0

    def start(self) -> None:
        self._waited, self._cpu = self._waited_ms(), time.thread_time()
        self.clock.start()
        self.timer.start()

    def _tick(self) -> None:
        waited = self._waited_ms()
        cpu = time.thread_time()
        gap = self.clock.restart() - (waited - self._waited)
        self.gaps.setdefault(self.phase, []).append(gap)
        self.busy.setdefault(self.phase, []).append((cpu - self._cpu) * 1000)
        self.worst.append((round(gap), round((cpu - self._cpu) * 1000), self.phase))
        self._waited, self._cpu = waited, cpu

    def stop(self) -> None:
        self.timer.stop()

    def most(self, phase: str, of: str = "gaps") -> float:
        return max(getattr(self, of).get(phase, [0.0]))

    def said(self) -> str:
        return (f"worst (gap, running ms, phase): {sorted(self.worst)[-5:]}; threads of this process: "
                f"{[t.name for t in threading.enumerate()]}")


def test_a_10000_profile_run_never_blocks_the_ui_thread(qtbot: Any, run_view: RunView, tmp_path: Path) -> None:
    bar = run_view.runbar
    for node in ("writeEvent", "vipEvent"):
        bar.set_target(node, "dry")
    bar.profiles.setText(str(big_profiles(tmp_path / "p.csv", 10_000)))
    qtbot.waitUntil(lambda: bar.preview_data is not None, timeout=10000)
    probe = LoopProbe()
    bar.runFinished.connect(lambda _result: setattr(probe, "phase", "table"))
    # What the earlier tests of this session left in memory is not scanned again by the collector
    # meanwhile: late in a full run each of its full collections took 250-500 ms (measured), a
    # pause of the test process's heap, not of the window's work.
    gc.collect()
    gc.freeze()
    probe.start()
    try:
        with qtbot.waitSignal(bar.runFinished, timeout=180000) as finished:
            bar.run_button.click()
        table = run_view.profiles.model
        qtbot.waitUntil(lambda: table.total == 10_000, timeout=20000)
        run_view.profiles.table.scrollToBottom()  # pages fetched off the UI thread as it scrolls
        qtbot.waitUntil(lambda: table.rowCount() >= 1000, timeout=20000)
    finally:
        probe.stop()
        gc.unfreeze()
    assert finished.args[0].outcomes == {"finished": 10_000}
    assert len(probe.gaps["run"]) > 20
    # The run is in a child process: during it the UI thread only reads its progress lines and
    # redraws. No switch-interval trick is left to help it.
    assert sys.getswitchinterval() == 0.005
    # What the window does on the UI thread during the run (reading progress lines, redrawing) never
    # holds it 50 ms: its own CPU time within any gap.
    assert probe.most("run", "busy") < 50, f"the UI thread worked {probe.most('run', 'busy'):.0f} ms; {probe.said()}"
    # The gap itself, less the kernel's run-queue wait, stays under 50 ms on an idle machine (seen:
    # 10-20 ms); on this loaded 2-core VM gaps of 60-130 ms were seen with 1-2 ms of UI work in them:
    # the GIL held by another thread of the test process (its session's embedded sandbox) that the
    # kernel preempted, or the VM's vCPU preempted. A scheduling allowance of 100 ms covers that,
    # and still catches any synchronous wait of the UI thread on the run.
    assert probe.most("run") < 150, f"the UI thread was blocked for {probe.most('run'):.0f} ms; {probe.said()}"
    # Then the table's pages and the run's counts are read by workers of this process: a worker
    # holding the GIL when the kernel preempts it can stall the UI thread on a loaded machine
    # (up to ~250 ms seen here, under 20 ms of it the UI thread's own work). A synchronous read of
    # the 10,000 rows would take seconds: that is what this guards against.
    assert probe.most("table") < 500, f"the UI thread was blocked for {probe.most('table'):.0f} ms; {probe.said()}"


def test_a_crashed_run_process_is_reported_and_the_bar_is_ready_again(qtbot: Any, run_view: RunView,
                                                                     tmp_path: Path) -> None:
    bar = run_view.runbar
    slow = tmp_path / "slow.json"
    slow.write_text(json.dumps([{"status": 200, "body": {}, "delay_ms": 60000}]))
    bar.set_target("writeEvent", f"mock:{slow}")
    bar.profiles.setText(str(big_profiles(tmp_path / "p.csv", 50)))
    with qtbot.waitSignal(bar.progressed, timeout=30000):
        bar.run_button.click()
    assert bar.proc is not None
    os.kill(bar.proc.pid(), signal.SIGKILL)
    qtbot.waitUntil(lambda: not bar.running, timeout=10000)
    assert bar.status.text().startswith("The run process ended unexpectedly (crashed) without a result")
    assert bar.result is None and bar.run_button.isEnabled() and not bar.stop_button.isEnabled()
    assert bar.progress.format() == "Not run"
    # Its trace holds what finished and reads as interrupted; the next run starts as usual.
    qtbot.waitUntil(lambda: bar.past.count() == 1 and "interrupted" in bar.past.itemText(0), timeout=10000)
    bar.set_target("writeEvent", "dry")
    with qtbot.waitSignal(bar.runFinished, timeout=60000) as finished:
        bar.run_button.click()
    assert finished.args[0].outcomes == {"finished": 50}


def test_a_run_of_under_ten_seconds_shows_its_tenths() -> None:
    from ui.journeys.runbar import _duration

    # The sample run on the sandbox takes a fraction of a second: "0 s" read as if nothing had run.
    assert [_duration(s) for s in (0.0, 0.04, 0.36, 9.94)] == ["0.0 s", "0.0 s", "0.4 s", "9.9 s"]
    assert [_duration(s) for s in (9.96, 42.4, 60.0, 125.6)] == ["10 s", "42 s", "1:00", "2:06"]
