"""Deadlines: a hop's deadline kept as asyncio's Timeout keeps it, its timer set only once the deadline is near.

`async with asyncio.timeout(seconds)` makes an event-loop timer and cancels it for every hop; on uvloop
that is a libuv timer started and stopped, ~3 us a call of the ~40 us the bulk and journey paths spend
around aiohttp, and its Timeout, entered and left through two coroutines, costs as much again. A hop on a
healthy connection ends in milliseconds, long before a deadline of seconds:

    with deadlines.hop(seconds):    # TimeoutError at the deadline, as out of asyncio.timeout(seconds)
        ...

A `Hop` is a plain context manager doing what asyncio's Timeout does (a sync `with` can turn the
CancelledError into a TimeoutError as well as an `async with`): at the deadline it cancels its task, and
the cancel it caused leaves the block as TimeoutError; a cancel from outside stays a cancel. One watchdog,
ticking every ARM_AHEAD / 2 while hops are in flight, gives a hop its timer (at the very deadline noted)
once that deadline is less than ARM_AHEAD away; a hop entered that close gets it at once. A hop that times
out is cancelled when it would have been (the same timer at the same time); the others never make one.
"""
from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Optional

ARM_AHEAD = 1.0  # seconds before its deadline a hop gets its own timer

_current_task = asyncio.current_task


class Deadlines:
    """The hops in flight on one event loop, and the watchdog timing them."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self._hops: dict[Hop, None] = {}  # the hops in flight without a timer yet
        self._ticking: Optional[asyncio.TimerHandle] = None

    def hop(self, seconds: float) -> "Hop":
        """A hop that times out in `seconds` (from now, loop time: as asyncio.timeout(seconds)); use it
        as a context manager, inside a task."""
        return Hop(self, self.loop.time() + seconds, seconds <= ARM_AHEAD)

    def close(self) -> None:
        if self._ticking is not None:
            self._ticking.cancel()
            self._ticking = None
        self._hops.clear()

    def _watch(self, hop: "Hop") -> None:
        self._hops[hop] = None
        if self._ticking is None:
            self._ticking = self.loop.call_later(ARM_AHEAD / 2, self._tick)

    def _tick(self) -> None:
        soon = self.loop.time() + ARM_AHEAD
        hops = self._hops
        for hop in [h for h in hops if h.when <= soon]:
            del hops[hop]
            hop._arm()
        self._ticking = self.loop.call_later(ARM_AHEAD / 2, self._tick) if hops else None


class Hop:
    """One hop's deadline (`when`, loop time); `timed` says whether its timer was made, `expired` whether
    it went off (then the block was cancelled, and left with TimeoutError)."""

    __slots__ = ("_deadlines", "when", "_near", "timed", "expired", "_task", "_cancelling", "_timer")

    def __init__(self, deadlines: Deadlines, when: float, near: bool) -> None:
        self._deadlines, self.when, self._near = deadlines, when, near  # near: its timer at once
        self.timed = self.expired = False
        self._timer: Optional[asyncio.Handle] = None

    def __enter__(self) -> "Hop":
        task = _current_task(self._deadlines.loop)  # the loop given: asyncio asks none (a getpid() on 3.11)
        if task is None:
            raise RuntimeError("a hop's deadline is kept inside a task")
        self._task, self._cancelling = task, task.cancelling()  # as asyncio's Timeout: earlier cancels are not its own
        if self._near:
            self._arm()
        else:
            self._deadlines._watch(self)
        return self

    def __exit__(self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        timer = self._timer
        if timer is not None:
            timer.cancel()
            self._timer = None
        elif not self.timed:
            self._deadlines._hops.pop(self, None)  # a hop that left is never armed
        if self.expired and self._task.uncancel() <= self._cancelling and exc_type is asyncio.CancelledError:
            raise TimeoutError from exc  # the cancel was ours, and no other came meanwhile

    def _arm(self) -> None:
        loop = self._deadlines.loop
        self.timed = True
        self._timer = loop.call_at(self.when, self._expire) if self.when > loop.time() else \
            loop.call_soon(self._expire)

    def _expire(self) -> None:
        self._timer = None
        self.expired = True
        self._task.cancel()
