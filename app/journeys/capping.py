"""Capping at run time, as the platform does it: per endpoint, calls over the cap are refused.

A capping configuration (app.journeys.limits, the platform's JSON) gives, per URL pattern and
methods, `maxCallsCount` calls per `periodInMs` (a sliding window) and optionally
`maxHttpConnections` (calls in flight at once). Without one, an endpoint gets the platform's
default: 300,000 calls per minute per host. Every attempt, retries included, takes a slot
(`Gate.admit` is what the call engine asks before each attempt); a refused attempt ends the call
as `capped` and is not retried.
"""
from __future__ import annotations

import asyncio
import collections
import time
from typing import Callable, Optional

from app.journeys.limits import DEFAULT_CAP_PER_MINUTE, CappingConfig

Clock = Callable[[], float]


class RateWindow:
    """At most `max_calls` admitted per `period_s` (sliding window over the clock)."""

    def __init__(self, max_calls: int, period_s: float, clock: Clock = time.monotonic) -> None:
        self.max_calls, self.period_s, self.clock = max_calls, period_s, clock
        self._calls: collections.deque[float] = collections.deque()

    def admit(self, host: str = "") -> bool:
        """Whether one more call fits now (`host`: the call engine's argument, which a window ignores)."""
        now = self.clock()
        calls = self._calls
        while calls and calls[0] <= now - self.period_s:
            calls.popleft()
        if len(calls) >= self.max_calls:
            return False
        calls.append(now)
        return True


class Gate:
    """One endpoint's cap: the call engine's `cap` (admit per attempt) and a connection limit."""

    def __init__(self, rule: str, window: RateWindow, connections: Optional[int] = None) -> None:
        self.rule = rule
        self.window = window
        self.connections = asyncio.Semaphore(connections) if connections else None
        # Whether one more attempt fits (the host is the call engine's argument; the gate knows its
        # endpoint): the window's own method, not one more call around it for every attempt.
        self.admit: Callable[[str], bool] = window.admit

    @property
    def refusal(self) -> str:
        return f"refused by the cap ({self.rule})"


class Capping:
    """The journey's capping configurations, and the default per-host cap for every other endpoint."""

    def __init__(self, configs: list[CappingConfig], clock: Clock = time.monotonic) -> None:
        self.configs, self.clock = configs, clock
        self._gates: dict[object, Gate] = {}
        self._calls: dict[tuple[str, str, str], Gate] = {}  # (url, method, host) -> its gate: asked per call

    def gate(self, url: str, method: str, host: str) -> Gate:
        """The gate a call to url goes through (one per configuration, or per host by default)."""
        found = self._calls.get((url, method, host))
        if found is None:
            found = self._find(url, method, host)
            if len(self._calls) > 1024:  # dynamic paths make URLs vary
                self._calls.clear()
            self._calls[(url, method, host)] = found
        return found

    def _find(self, url: str, method: str, host: str) -> Gate:
        index = next((i for i, c in enumerate(self.configs) if c.applies_to(url, method)), None)
        key: object = index if index is not None else ("host", host)
        found = self._gates.get(key)
        if found is None:
            found = self._gates[key] = self._make(index, host)
        return found

    def _make(self, index: Optional[int], host: str) -> Gate:
        if index is None:
            return Gate(f"the platform's default: {DEFAULT_CAP_PER_MINUTE:,} calls per minute to {host}",
                        RateWindow(DEFAULT_CAP_PER_MINUTE, 60.0, self.clock))
        config = self.configs[index]
        service = config.services.action
        if service is None:  # a configuration for data sources only: the action default applies
            return Gate(f"capping[{index}] has no action service; the default {DEFAULT_CAP_PER_MINUTE:,} per minute",
                        RateWindow(DEFAULT_CAP_PER_MINUTE, 60.0, self.clock))
        rating = service.rating
        rule = f"capping[{index}] {config.url}: {rating.max_calls_count} calls per {rating.period_in_ms} ms"
        connections = service.max_http_connections
        if connections:
            rule += f", at most {connections} connection{'s' if connections != 1 else ''} at once"
        return Gate(rule, RateWindow(rating.max_calls_count, rating.period_in_ms / 1000, self.clock),
                    service.max_http_connections)
