"""What an expression is evaluated against: one profile's events, attributes, audiences, action responses,
the journey's properties, and the virtual clock."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from typing import Any, Optional, Protocol, Union

from app.journeys.expr.values import zone


class Draws(Protocol):
    """What random() and uuid() draw from: a random.Random, or a run's per-profile generator."""

    def random(self) -> float: ...

    def getrandbits(self, k: int, /) -> int: ...


@dataclass(slots=True)
class Context:
    """events: event name -> payload. profile: the profile's attributes by their path below `profile`
    (nested dicts, or flat keys joined with dots as CSV columns give them, optionally grouped under the
    field group's name). audiences: the audience names the profile is in (inAudience). actions: action
    name -> its response, with "jo_status_code". error_response: the failed call's error response, set
    only on a "timeout or error" path. journey: journey properties (journeyVersionUID, ...). now: the
    step's virtual time (now() and friends read it); tz: the journey's time zone (IANA id or tzinfo);
    rng: the run's seeded generator (random(), uuid()). trace: a list to record the operands each
    comparison saw (see explain()); None when not wanted."""

    events: dict[str, Any] = field(default_factory=dict)
    profile: dict[str, Any] = field(default_factory=dict)
    audiences: Union[set[str], frozenset[str]] = field(default_factory=frozenset)
    actions: dict[str, Any] = field(default_factory=dict)
    error_response: Optional[dict[str, Any]] = None
    journey: dict[str, Any] = field(default_factory=dict)
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    tz: Union[str, tzinfo] = "UTC"
    rng: Draws = field(default_factory=random.Random)
    trace: Optional[list[Any]] = None
    current: list[Any] = field(default_factory=list)  # loop items of the collection functions being run

    @property
    def zone(self) -> tzinfo:
        return zone(self.tz) if isinstance(self.tz, str) else self.tz

    @property
    def clock(self) -> datetime:
        """now, as an aware date-time (a naive one is taken as UTC)."""
        return self.now if self.now.tzinfo is not None else self.now.replace(tzinfo=timezone.utc)
