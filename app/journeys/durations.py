"""ISO 8601 durations (`PT10S`, `P3DT12H`, `P90D`) for waits and the reentrance period.

Parsed by pydantic (its `timedelta` parser reads ISO 8601; a year counts 365 days, a month 30).
"""
from __future__ import annotations

from datetime import timedelta

from pydantic import TypeAdapter, ValidationError

MAX_WAIT = timedelta(days=90)  # the platform's longest wait (an older page says 29 days)
JOURNEY_TIMEOUT = timedelta(days=91)  # a profile enters a wait only if it can end before this

_ADAPTER = TypeAdapter(timedelta)


def parse_duration(text: str) -> timedelta:
    """A positive ISO 8601 duration, or ValueError saying what is wrong."""
    if not isinstance(text, str) or not text.strip().upper().startswith("P"):
        raise ValueError(f"{text!r} is not an ISO 8601 duration (e.g. PT10S, PT5M, P3DT12H, P90D)")
    try:
        value = _ADAPTER.validate_python(text.strip())
    except ValidationError:
        raise ValueError(f"{text!r} is not an ISO 8601 duration (e.g. PT10S, PT5M, P3DT12H, P90D)") from None
    if value <= timedelta(0):
        raise ValueError(f"the duration {text!r} must be longer than zero")
    return value


def describe(value: timedelta) -> str:
    """A short human form: '90 days', '12 h 30 min', '10 s'."""
    seconds = value.total_seconds()
    if seconds >= 86400 and seconds % 86400 == 0:
        days = int(seconds // 86400)
        return f"{days} day{'s' if days != 1 else ''}"
    parts, rest = [], int(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if rest >= size:
            parts.append(f"{rest // size} {unit}")
            rest %= size
    if rest or not parts:
        parts.append(f"{rest + (seconds % 1):g} s")
    return " ".join(parts)
