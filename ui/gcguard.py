"""Python's cyclic garbage collector run on the UI thread only.

CPython collects in whichever thread happens to allocate past a threshold: a worker thread (ui/workers.py,
reading a file or inferring a payload) could run a collection that frees a cycle holding a Qt object made
on the UI thread, and Qt objects must be destroyed on their own thread. The suite caught it: a worker
segfaulted while "Garbage-collecting" in payload code, the UI thread in its event loop. So the automatic
collector is off while the window runs, and a timer on the UI thread runs the collection CPython would
have run (same thresholds, same choice of generation) at most INTERVAL_MS later.

The thresholds are the window's tuning (ui/app.py): a 1 MB payload's inference allocates enough to set off
full collections every few keystrokes with CPython's defaults, and each pauses every thread (issue 14:
longest pause while typing 210-370 ms with the defaults, ~23 ms with these).
"""
from __future__ import annotations

import gc
from typing import Optional

from PySide6.QtCore import QObject, QTimer

THRESHOLDS = (50_000, 20, 50)  # as gc.set_threshold: allocations, then young collections per older one
INTERVAL_MS = 100  # how late a due collection may run: garbage waits at most this long


class UiThreadCollector(QObject):
    """Collects on the UI thread (see the module docstring); `start()` turns the automatic collector off."""

    def __init__(self, parent: Optional[QObject] = None, thresholds: tuple[int, int, int] = THRESHOLDS,
                 interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.thresholds = thresholds
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)

    def start(self) -> "UiThreadCollector":
        gc.disable()
        self._timer.start()
        return self

    def stop(self) -> None:
        """What is due collected here, then the automatic collector back (a process that goes on without
        the window: a test worker between the window's tests)."""
        self._timer.stop()
        self.collect_due()
        gc.enable()

    def collect_due(self) -> int:
        """The collection CPython would run now, if one is due: the generation collected, or -1."""
        return collect_due(self.thresholds)


def collect_due(thresholds: tuple[int, int, int] = THRESHOLDS) -> int:
    """Run the collection CPython's allocator would have started by now: none until the youngest
    generation's count passes its threshold, then the oldest generation whose count passed its own."""
    counts = gc.get_count()
    if counts[0] <= thresholds[0]:
        return -1
    generation = 2 if counts[2] > thresholds[2] else 1 if counts[1] > thresholds[1] else 0
    gc.collect(generation)
    return generation
