"""Start-up: process start to main window shown, against a bare PySide6 window (same run).

Whole processes, median of several runs. With ACTION_STUDIO_EXIT_AFTER_SHOW=1 the app prints a
wall-clock stamp once its window shows the list filled (`LISTED`: what the user sees and can search)
and once the pane shows the first action (`READY`), then quits (see ui/app.py); the bare window
prints both after its first event-loop turn. Start-up is a stamp minus the spawn time, so process
teardown is not counted. Issue 14's rows are the LISTED ones; READY is printed beside them.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from common import PY, copy_sample, generate_workspace, median_stamps, precompile, python_env, report

RUNS = 7
BARE = (
    "import sys\n"
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication(sys.argv)\n"
    "w = QMainWindow(); w.resize(1200, 800); w.show()\n"
    "import time\n"
    "def ready():\n"
    "    now = f'{time.time():.6f}'\n"
    "    print(f'ACTION_STUDIO_LISTED {now}\\nACTION_STUDIO_READY {now}', flush=True); app.quit()\n"
    "QTimer.singleShot(0, ready)\n"
    "app.exec()\n"
)


def main() -> None:
    precompile()
    env = python_env()
    env["ACTION_STUDIO_EXIT_AFTER_SHOW"] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        sample = copy_sample(Path(tmp) / "sample")
        big = generate_workspace(Path(tmp) / "big", 10_000)
        app = [PY, "-m", "app", "gui", "--home"]
        # Warm the file cache and the sample's index once, as a second start would find them.
        median_stamps(app + [str(sample)], 1, env)
        first = median_stamps(app + [str(big)], 1, env)  # no index yet: this start builds it
        bare = median_stamps([PY, "-c", BARE], RUNS, env)["LISTED"]
        small = median_stamps(app + [str(sample)], RUNS, env)
        large = median_stamps(app + [str(big)], RUNS, env)
    print(f"process start -> window shown with its list filled (median of {RUNS}; the pane ready in brackets)")
    print(f"  bare PySide6 window        {bare * 1000:7.0f} ms")
    rows = (("sample workspace (3)", small), ("10,000 actions", large), ("10,000 actions, first open", first))
    for label, got in rows:
        print(f"  {label:<26} {got['LISTED'] * 1000:7.0f} ms  ratio {got['LISTED'] / bare:5.2f}"
              f"   (pane ready {got['READY'] * 1000:.0f} ms, ratio {got['READY'] / bare:.2f})")
    report("start, sample workspace, list shown", f"{small['LISTED'] * 1000:.0f} ms", f"bare Qt {bare * 1000:.0f} ms",
           small["LISTED"] / bare, "<= 3x bare", small["LISTED"] / bare <= 3)
    report("start, sample workspace, first action in the pane", f"{small['READY'] * 1000:.0f} ms",
           f"bare Qt {bare * 1000:.0f} ms", small["READY"] / bare, "none (for information)", None)
    report("start, 10,000 actions (index warm)", f"{large['LISTED'] * 1000:.0f} ms", f"bare Qt {bare * 1000:.0f} ms",
           large["LISTED"] / bare, "<= 500 ms", large["LISTED"] <= 0.5)
    report("first open of 10,000 actions (no index)", f"{first['LISTED'] * 1000:.0f} ms",
           f"bare Qt {bare * 1000:.0f} ms", first["LISTED"] / bare, "<= 1 s", first["LISTED"] <= 1.0)


if __name__ == "__main__":
    main()
