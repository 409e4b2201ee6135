"""Time and chance in a run: the presets, each profile's virtual clock, and its seeded generator.

Presets:
- `fast` (default): waits complete at once; the profile's virtual time moves on by the wait, and
  now() and friends read that virtual time;
- `test-mode`: what the platform's test mode shows: every wait lasts 10 s (of virtual time, so the
  run stays fast), a percentage split takes its top branch, no profile cap, at most 100 profiles;
- `real-time`: waits really wait (a cancelled run stops them at once); virtual time is wall time.

Every profile enters at the run's start (virtual time): a local run pushes its rows at once.
A profile's random draws (splits, random(), uuid()) come from its own generator seeded by the run's
seed and its row number, so a seed gives the same run whatever the concurrency.
"""
from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Optional

TEST_MODE_WAIT = timedelta(seconds=10)
_NO_TIME = timedelta(0)  # immutable: every clock starts from this one (not one made per profile)
TEST_MODE_PROFILES = 100


@dataclass(frozen=True)
class Preset:
    name: str
    summary: str
    wait: Optional[timedelta] = None  # every wait lasts this long instead of its own duration
    real_waits: bool = False
    split_top: bool = False
    profile_cap: bool = True
    max_profiles: Optional[int] = None


PRESETS = {p.name: p for p in (
    Preset("fast", "waits complete at once; now() reads the step's virtual time"),
    Preset("test-mode", "as the platform's test mode: every wait 10 s (virtual), splits take the top branch, "
                        f"no profile cap, at most {TEST_MODE_PROFILES} profiles",
           wait=TEST_MODE_WAIT, split_top=True, profile_cap=False, max_profiles=TEST_MODE_PROFILES),
    Preset("real-time", "waits really wait; now() is the wall clock", real_waits=True),
)}


def preset(name: str) -> Preset:
    found = PRESETS.get(name)
    if found is None:
        raise ValueError(f"unknown preset {name!r}; use one of {', '.join(PRESETS)}")
    return found


class ProfileClock:
    """One profile's time: the run's start plus the waits it went through (real-time: the wall clock)."""

    __slots__ = ("start", "offset", "real", "virtual")

    def __init__(self, start: datetime, real: bool = False) -> None:
        self.start, self.offset, self.real = start, _NO_TIME, real
        self.virtual = start  # the virtual time now: one object until the next wait (the trace writes its text once)

    def now(self) -> datetime:
        return datetime.now(timezone.utc) if self.real else self.virtual

    @property
    def elapsed(self) -> timedelta:
        """Time since the profile entered (what the journey's 91-day timeout counts)."""
        return self.now() - self.start

    async def wait(self, duration: timedelta) -> None:
        """Let `duration` pass: at once in virtual time, or really (cancelling the task stops it)."""
        if duration <= _NO_TIME:
            return
        if self.real:
            await asyncio.sleep(duration.total_seconds())
        else:
            self.offset += duration
            self.virtual = self.start + self.offset


class ProfileRandom:
    """A profile's generator (random(), getrandbits(): what splits, random() and uuid() draw), made
    and seeded on first use: most profiles never draw, and a random.Random is a 2.5 KB state to
    allocate and clear, then ~15 us to seed. The draws are random.Random(seed)'s."""

    __slots__ = ("_seed", "_made")

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._made: Optional[random.Random] = None

    def _generator(self) -> random.Random:
        made = self._made
        if made is None:
            made = self._made = random.Random(self._seed)
        return made

    def random(self) -> float:
        return self._generator().random()

    def getrandbits(self, k: int, /) -> int:
        return self._generator().getrandbits(k)


def profile_seed(run_seed: int, row: int) -> int:
    """The seed of one profile's generator: the same row gets the same draws in every run of a seed."""
    return run_seed * 1_000_003 + row
