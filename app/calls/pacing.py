"""The time a call's retry loop reads and how it waits between attempts (backoff, Retry-After).

`REAL` (the default everywhere) is the monotonic clock and asyncio.sleep. The loop takes the clock
as a parameter so that a caller can pass another, e.g. one whose sleep returns at once and moves
its time forward instead: retries then cost no waiting while every deadline holds as it would.
The transport and the token call keep reading time.monotonic(); `monotonic_deadline` converts.
"""
from __future__ import annotations

import asyncio
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a clock that never goes back."""

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` on this clock."""


class RealClock:
    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


REAL = RealClock()


def monotonic_deadline(clock: Clock, deadline: float) -> float:
    """A deadline on `clock` as one on time.monotonic() (what the transport and the token call read)."""
    return deadline if clock is REAL else deadline - clock.now() + time.monotonic()
