"""Start-up: process start to main window shown, against a bare PySide6 window (same run).

Whole processes, median of several runs, printed as ratios. With ACTION_STUDIO_EXIT_AFTER_SHOW=1 the
app prints a wall-clock stamp once its window is shown with the list filled (see ui/app.py) and
quits; the bare window prints the same after its first event-loop turn. Start-up is the stamp minus
the spawn time, so process teardown is not counted. The whole process time is printed too.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from common import PY, copy_sample, generate_workspace, median_ready_seconds, median_seconds, precompile, python_env

RUNS = 7
BARE = (
    "import sys\n"
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication(sys.argv)\n"
    "w = QMainWindow(); w.resize(1200, 800); w.show()\n"
    "import time\n"
    "def ready():\n"
    "    print(f'ACTION_STUDIO_READY {time.time():.6f}', flush=True); app.quit()\n"
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
        # Warm the file cache and the workspace index once, as a second start would find them.
        median_ready_seconds(app + [str(sample)], 1, env)
        first_big = median_ready_seconds(app + [str(big)], 1, env)
        bare = median_ready_seconds([PY, "-c", BARE], RUNS, env)
        small = median_ready_seconds(app + [str(sample)], RUNS, env)
        large = median_ready_seconds(app + [str(big)], RUNS, env)
        whole = median_seconds(app + [str(sample)], 3, env)
    print(f"process start -> window shown (median of {RUNS})")
    print(f"bare PySide6 window        {bare * 1000:7.0f} ms")
    print(f"sample workspace (3)       {small * 1000:7.0f} ms   ratio {small / bare:.2f}")
    print(f"10,000 actions             {large * 1000:7.0f} ms   ratio {large / bare:.2f}")
    print(f"10,000 actions, first open {first_big * 1000:7.0f} ms   ratio {first_big / bare:.2f} (builds the index)")
    print(f"sample, whole process incl. shutdown {whole * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
