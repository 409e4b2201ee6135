"""Deadlines: a hop's deadline kept by asyncio's own Timeout, its timer set only once the deadline is near.

`async with asyncio.timeout(seconds)` makes an event-loop timer and cancels it for every hop; on uvloop
that is a libuv timer started and stopped, ~3 us a call of the ~40 us the bulk and journey paths spend
around aiohttp. A hop on a healthy connection ends in milliseconds, long before a deadline of seconds:

    timeout = asyncio.timeout(None)          # entered without a timer
    async with timeout:
        deadlines.enter(timeout, seconds)    # the deadline asyncio.timeout(seconds) would set, noted
        try:
            ...                              # TimeoutError at the deadline, as with asyncio.timeout(seconds)
        finally:
            deadlines.leave(timeout)

One watchdog, ticking every ARM_AHEAD / 2 while hops are in flight, gives a hop its timer
(Timeout.reschedule, at the very deadline noted) once that deadline is less than ARM_AHEAD away; a hop
entered that close gets it at once. A hop that times out is cancelled when it would have been (the same
timer at the same time); the others never make one.
"""
from __future__ import annotations

import asyncio
from typing import Optional

ARM_AHEAD = 1.0  # seconds before its deadline a hop gets its own timer


class Deadlines:
    """The hops in flight on one event loop, and the watchdog timing them."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self._hops: dict[asyncio.Timeout, float] = {}  # a hop's Timeout -> its deadline (loop time), no timer yet
        self._ticking: Optional[asyncio.TimerHandle] = None

    def enter(self, timeout: asyncio.Timeout, seconds: float) -> None:
        """The hop under `timeout` (entered, without a deadline) times out in `seconds`."""
        when = self.loop.time() + seconds  # what asyncio.timeout(seconds) sets
        if seconds <= ARM_AHEAD:
            timeout.reschedule(when)
            return
        self._hops[timeout] = when
        if self._ticking is None:
            self._ticking = self.loop.call_later(ARM_AHEAD / 2, self._tick)

    def leave(self, timeout: asyncio.Timeout) -> None:
        """The hop is over (before its Timeout exits: a Timeout that left is never rescheduled)."""
        self._hops.pop(timeout, None)

    def close(self) -> None:
        if self._ticking is not None:
            self._ticking.cancel()
            self._ticking = None
        self._hops.clear()

    def _tick(self) -> None:
        soon = self.loop.time() + ARM_AHEAD
        hops = self._hops
        for timeout, when in [(t, w) for t, w in hops.items() if w <= soon]:
            del hops[timeout]
            timeout.reschedule(when)
        self._ticking = self.loop.call_later(ARM_AHEAD / 2, self._tick) if hops else None
