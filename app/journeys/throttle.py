"""Throttling at run time: calls over an endpoint's `maxThroughput` wait in a FIFO queue.

Each call takes the next free slot (slots are 1/maxThroughput s apart) in the order it asked, and
waits for it; the wait is the call's queue time, recorded apart from its network time. The
platform keeps a call queued for up to 6 hours; a local run never gets near that.
"""
from __future__ import annotations

import asyncio
import time
from typing import Callable, Optional

from app.journeys.limits import ThrottlingConfig

Clock = Callable[[], float]


class Throttle:
    """At most `per_second` calls released per second, first come first served."""

    def __init__(self, per_second: int, clock: Clock = time.monotonic) -> None:
        self.interval = 1.0 / per_second
        self.clock = clock
        self._next = 0.0
        self.released = 0  # how many calls took a slot (their order is the order they asked)

    def slot(self) -> float:
        """Take the next slot (synchronously: the order of calls is the order of slots)."""
        now = self.clock()
        at = max(now, self._next)
        self._next = at + self.interval
        self.released += 1
        return at

    async def wait(self) -> float:
        """Wait for this call's slot; returns the seconds spent queued."""
        start = self.clock()
        at = self.slot()
        if at > start:
            await asyncio.sleep(at - start)
        return self.clock() - start


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
