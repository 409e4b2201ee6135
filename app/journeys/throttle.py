"""Throttling at run time: calls over an endpoint's `maxThroughput` wait in a FIFO queue.

Each call takes the next free slot (slots are 1/maxThroughput s apart) in the order it asked, and
waits for it; the wait is the call's queue time, recorded apart from its network time. The trace
records each call's place in the queue when it arrived and when it left (`why.queue`). The
platform keeps a call queued for up to 6 hours; a local run never gets near that.
"""
from __future__ import annotations

import asyncio
import time
from typing import Awaitable, Callable, NamedTuple, Optional

from app.journeys.limits import ThrottlingConfig

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class Queued(NamedTuple):
    """A call's turn: `arrived` and `released` count the queue's calls (1, 2, ...), so FIFO shows
    in the trace without a clock; `seconds` is the time it spent queued."""

    arrived: int
    released: int
    seconds: float


class Throttle:
    """At most `per_second` calls released per second, first come first served."""

    def __init__(self, per_second: int, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep) -> None:
        self.interval = 1.0 / per_second
        self.clock, self.sleep = clock, sleep
        self._next = 0.0
        self.admitted = 0  # how many calls took a slot (their order is the order they asked)
        self.released = 0  # how many calls left the queue (in the order they took their slots)
        self._last: Optional[asyncio.Future[None]] = None  # done when the latest caller is released

    def slot(self) -> float:
        """Take the next slot (synchronously: the order of calls is the order of slots)."""
        now = self.clock()
        at = max(now, self._next)
        self._next = at + self.interval
        self.admitted += 1
        return at

    async def wait(self) -> Queued:
        """Wait for this call's slot and for every earlier call's release. Slot times alone do not
        keep the order: on a loaded loop an earlier caller's timer may be overdue but not yet run
        when a later caller finds its own slot already due."""
        start = self.clock()
        at, arrived = self.slot(), self.admitted
        ahead, mine = self._last, asyncio.get_running_loop().create_future()
        self._last = mine
        try:
            if ahead is not None and not ahead.done():
                await asyncio.shield(ahead)
            delay = at - self.clock()
            if delay > 0:
                await self.sleep(delay)
        except BaseException:  # cancelled: the next caller still waits for the ones ahead of this one
            _release_after(ahead, mine)
            raise
        self.released += 1
        mine.set_result(None)
        return Queued(arrived, self.released, self.clock() - start)


def _release_after(ahead: Optional[asyncio.Future[None]], mine: asyncio.Future[None]) -> None:
    if ahead is None or ahead.done():
        mine.set_result(None)
    else:
        ahead.add_done_callback(lambda _: mine.set_result(None))


class Throttling:
    """The journey's throttling configurations, one queue each."""

    def __init__(self, configs: list[ThrottlingConfig], clock: Clock = time.monotonic) -> None:
        self.configs = configs
        self._queues = [Throttle(c.max_throughput, clock) for c in configs]

    def queue(self, url: str, method: str) -> Optional[Throttle]:
        """The queue a call to url waits in, or None (not throttled)."""
        if not self.configs:
            return None
        for config, queue in zip(self.configs, self._queues, strict=True):
            if config.applies_to(url, method):
                return queue
        return None
