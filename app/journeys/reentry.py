"""Reentrance: a profile id seen again is `discarded` when the journey does not allow reentrance, or
when it comes back within the reentrance wait period of its last entry (in virtual time: every row
of a fast or test-mode run enters at the run's start, so a repeated id is always within the period;
a real-time run measures the wall clock).

One float per profile id is kept (the same object for every entry of a virtual-time run), the
least a reentrance check can remember: ~100 bytes a profile, ~10 MB at 100,000 profiles.
"""
from __future__ import annotations

import time
from datetime import datetime
from typing import Optional

from app.journeys.durations import describe, parse_duration
from app.journeys.model import Reentrance


class Reentry:
    def __init__(self, rule: Reentrance, start: datetime, real: bool) -> None:
        self.allowed = rule.allowed
        self.period = parse_duration(rule.wait_period)
        self.rule_text = rule.wait_period
        self.real = real
        self._start = start.timestamp()
        self._seen: dict[str, float] = {}

    def refuse(self, profile_id: str) -> Optional[str]:
        """None when the profile enters; else why it is discarded."""
        now = time.time() if self.real else self._start
        last = self._seen.get(profile_id)
        if last is None:
            self._seen[profile_id] = now
            return None
        if not self.allowed:
            return f"profile {profile_id} already entered and the journey does not allow reentrance"
        since = now - last
        if since < self.period.total_seconds():
            return (f"profile {profile_id} entered {_ago(since)}, within the reentrance wait period "
                    f"({self.rule_text}, {describe(self.period)})")
        self._seen[profile_id] = now
        return None


def _ago(seconds: float) -> str:
    return "at the same time (every row enters at the run's start)" if seconds == 0 else f"{seconds:.1f} s before"
