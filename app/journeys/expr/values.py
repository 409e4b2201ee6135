"""Runtime values: dates, date-times and durations read and written as ISO 8601, a value as text and JSON."""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.journeys.expr.types import type_name


class ValueProblem(ValueError):
    """A value cannot be read or used as asked; the caller adds the position."""


class Value(NamedTuple):
    """An evaluated expression: the plain Python value and the platform's name for its type."""

    value: Any
    type: str

    @classmethod
    def of(cls, value: Any) -> "Value":
        return cls(value, type_name(value))

    def to_json(self) -> Any:
        return to_json(self.value)

    def __str__(self) -> str:
        return to_text(self.value)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?")
_DURATION = re.compile(
    r"([-+]?)P(?:([-+]?\d+)D)?(?:T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+(?:[.,]\d{1,9})?)S)?)?", re.I)


@lru_cache(maxsize=256)
def zone(name: str) -> tzinfo:
    """A time zone by IANA id ("Europe/Paris"), "UTC" or "Z"."""
    if name in ("UTC", "Z", "utc"):
        return timezone.utc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueProblem(f"unknown time zone {name!r} (use an IANA id such as 'Europe/Paris')") from None


def parse_temporal(text: str) -> date | datetime:
    """An ISO 8601 date (dateOnly), local date-time (dateTimeOnly) or date-time with offset (dateTime)."""
    text = text.strip()
    if _DATE.fullmatch(text):
        return date.fromisoformat(text)
    if not _DATETIME.fullmatch(text):
        raise ValueProblem(f"{text[:40]!r} is not an ISO 8601 date or date-time")
    try:
        return datetime.fromisoformat(_trim_fraction(text))
    except ValueError as exc:
        raise ValueProblem(f"{text[:40]!r} is not a valid date-time ({exc})") from None


def _trim_fraction(text: str) -> str:
    """Python reads at most 6 fractional digits; the platform (Java) reads up to 9."""
    return re.sub(r"(\.\d{6})\d+", r"\1", text)


def parse_datetime(text: str, default_zone: tzinfo) -> datetime:
    """A dateTime from ISO text; without an offset it is read in default_zone (the journey's)."""
    value = parse_temporal(text)
    if not isinstance(value, datetime):  # a date
        return datetime(value.year, value.month, value.day, tzinfo=default_zone)
    return value if value.tzinfo is not None else value.replace(tzinfo=default_zone)


def parse_duration(text: str) -> timedelta:
    """An ISO 8601 duration as Java's Duration reads it: days, hours, minutes, seconds (no months/years)."""
    match = _DURATION.fullmatch(text.strip())
    if not match or not any(match.groups()[1:]):
        hint = " (months and years vary in length: use days, e.g. P30D)" if re.search(r"\d[YM](?!.*T)", text) else ""
        raise ValueProblem(f"{text[:40]!r} is not an ISO 8601 duration such as PT1H30M or P2D{hint}")
    sign, days, hours, minutes, seconds = match.groups()
    value = timedelta(days=int(days or 0), hours=int(hours or 0), minutes=int(minutes or 0),
                      seconds=float((seconds or "0").replace(",", ".")))
    return -value if sign == "-" else value


def format_duration(value: timedelta) -> str:
    """ISO 8601 as Java prints a Duration: PT1H30M, PT0.5S, PT49H; negative as -PT1H."""
    if value < timedelta(0):
        return "-" + format_duration(-value)
    micros = value // timedelta(microseconds=1)
    hours, rest = divmod(micros, 3_600_000_000)
    minutes, rest = divmod(rest, 60_000_000)
    seconds, fraction = divmod(rest, 1_000_000)
    out = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if seconds or fraction or out == "PT":
        out += f"{seconds}.{fraction:06d}".rstrip("0").rstrip(".") + "S"
    return out


def format_datetime(value: datetime) -> str:
    """ISO 8601 with milliseconds when there are any; UTC as Z."""
    spec = "seconds" if not value.microsecond else "milliseconds" if value.microsecond % 1000 == 0 else "microseconds"
    text = value.isoformat(timespec=spec)
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def to_json(value: Any) -> Any:
    """A JSON-ready form: dates and durations as ISO 8601 strings, lists and objects item by item."""
    kind = type(value)
    if kind in (str, int, float, bool) or value is None:
        return value
    if kind is datetime:
        return format_datetime(value)
    if kind is date:
        return value.isoformat()
    if kind is timedelta:
        return format_duration(value)
    if kind is list:
        return [to_json(v) for v in value]
    if kind is dict:
        return {str(k): to_json(v) for k, v in value.items()}
    return str(value)


def to_text(value: Any) -> str:
    """toString(): strings as they are, booleans lowercase, lists and objects as JSON."""
    kind = type(value)
    if kind is str:
        return value
    if kind is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    if kind in (list, dict):
        return json.dumps(to_json(value), ensure_ascii=False, separators=(",", ":"))
    return str(to_json(value))

