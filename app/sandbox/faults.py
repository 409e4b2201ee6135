"""Seeded, deterministic fault injection per endpoint.

A fault adds latency, answers a chosen status (with ``Retry-After`` when asked), drops the
connection or hangs, either always, for the next N calls, or at a rate drawn from a
``random.Random`` seeded from the sandbox seed and the endpoint, so runs repeat exactly.
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from app.sandbox.config import ENDPOINTS
from app.sandbox.errors import SandboxError

_FIELDS = ("latency_ms", "status", "times", "rate", "retry_after", "drop", "hang")


@dataclass(frozen=True)
class FaultSpec:
    """What to do to requests of one endpoint. ``times=None`` means every matching call."""

    endpoint: str
    latency_ms: float = 0
    status: int | None = None
    times: int | None = None
    rate: float | None = None
    retry_after: int | None = None
    drop: bool = False
    hang: bool = False

    def __post_init__(self) -> None:
        _validate(self)

    @classmethod
    def from_json(cls, data: Any) -> FaultSpec:
        """Build from the JSON accepted at ``POST /_sandbox/faults`` (``seed`` is ignored here)."""
        if not isinstance(data, dict):
            raise SandboxError("a fault is a JSON object")
        unknown = set(data) - set(_FIELDS) - {"endpoint", "seed"}
        if unknown:
            raise SandboxError(f"unknown fault field(s): {', '.join(sorted(unknown))}")
        values = {k: data[k] for k in _FIELDS if k in data and data[k] is not None}
        try:
            return cls(endpoint=data.get("endpoint"), **values)  # type: ignore[arg-type]
        except TypeError as exc:
            raise SandboxError(str(exc)) from None

    def to_json(self) -> dict[str, Any]:
        """The JSON form (as accepted by ``from_json``)."""
        return asdict(self)

    @property
    def kind(self) -> str:
        """A short name for the log: drop, hang, status-503, latency."""
        if self.drop:
            return "drop"
        if self.hang:
            return "hang"
        if self.status is not None:
            return f"status-{self.status}"
        return "latency"


def _validate(spec: FaultSpec) -> None:
    if spec.endpoint not in ENDPOINTS:
        raise SandboxError(f"endpoint must be one of {', '.join(ENDPOINTS)}, not {spec.endpoint!r}")
    if not _number(spec.latency_ms) or spec.latency_ms < 0:
        raise SandboxError("latency_ms must be a number >= 0")
    if spec.status is not None and (not _int(spec.status) or not 100 <= spec.status <= 599):
        raise SandboxError("status must be an HTTP status code (100-599)")
    if spec.times is not None and (not _int(spec.times) or spec.times < 1):
        raise SandboxError("times must be an integer >= 1, or null for always")
    if spec.rate is not None and (not _number(spec.rate) or not 0 <= spec.rate <= 1):
        raise SandboxError("rate must be a number between 0 and 1")
    if spec.retry_after is not None and (not _int(spec.retry_after) or spec.retry_after < 0):
        raise SandboxError("retry_after must be an integer number of seconds >= 0")
    if not isinstance(spec.drop, bool) or not isinstance(spec.hang, bool):
        raise SandboxError("drop and hang must be booleans")
    if spec.drop and spec.hang:
        raise SandboxError("a fault either drops or hangs, not both")


def _int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass
class _Armed:
    spec: FaultSpec
    rng: random.Random
    remaining: int | None


@dataclass
class FaultTable:
    """The active fault of each endpoint; ``fire`` decides, per request, whether it applies."""

    seed: int = 0
    _armed: dict[str, _Armed] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def set(self, spec: FaultSpec, seed: int | None = None) -> None:
        """Install ``spec`` for its endpoint, replacing any previous one."""
        if seed is not None:
            self.seed = seed
        # One generator per endpoint, so other endpoints' traffic cannot shift its sequence.
        rng = random.Random(f"{self.seed}:{spec.endpoint}")
        with self._lock:
            self._armed[spec.endpoint] = _Armed(spec, rng, spec.times)

    def clear(self, endpoint: str | None = None) -> None:
        """Remove the fault of one endpoint, or all of them."""
        with self._lock:
            if endpoint is None:
                self._armed.clear()
            else:
                self._armed.pop(endpoint, None)

    def active(self) -> list[FaultSpec]:
        """The installed faults."""
        with self._lock:
            return [armed.spec for armed in self._armed.values()]

    def fire(self, endpoint: str) -> FaultSpec | None:
        """The fault to apply to this request, if any (consumes one of ``times``)."""
        if not self._armed:  # Fast path: no faults at all.
            return None
        with self._lock:
            armed = self._armed.get(endpoint)
            if armed is None:
                return None
            if armed.spec.rate is not None and armed.rng.random() >= armed.spec.rate:
                return None
            if armed.remaining is not None:
                armed.remaining -= 1
                if armed.remaining <= 0:
                    del self._armed[endpoint]
            return armed.spec
