"""A retry-loop clock for tests (app.calls.pacing.Clock): its sleep returns at once and its time
jumps forward by the wait instead, so backoffs and Retry-After waits cost nothing while every
deadline holds as it would in real time. `waits` lists what the loops asked to wait, in order.

Each asyncio task has its own jumps: concurrent calls (a batch) wait side by side, as they do in
real time, and one call's waits do not bring the others' deadlines nearer.
"""
from __future__ import annotations

import asyncio
import time
from typing import Optional


class SkippingClock:
    def __init__(self) -> None:
        self.waits: list[float] = []
        self._skipped: dict[Optional[asyncio.Task[object]], float] = {}

    def now(self) -> float:
        return time.monotonic() + self._skipped.get(_task(), 0.0)

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        task = _task()
        self._skipped[task] = self._skipped.get(task, 0.0) + seconds
        await asyncio.sleep(0)  # still a turn of the loop, as a real wait is


def _task() -> Optional[asyncio.Task[object]]:
    try:
        return asyncio.current_task()
    except RuntimeError:  # no running loop
        return None


class HandClock:
    """A clock (a `time.monotonic` stand-in) that moves only when a test moves it: a cap's window
    or a throttle's slots then do not depend on how fast a loaded machine runs the test."""

    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
