"""Conversion functions: toBool toDateOnly toDateTime toDateTimeOnly toDecimal toDuration toInteger toString,
and date(), the platform's literal form for dates ("date-time literals use dedicated functions")."""
from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from app.journeys.expr.context import Context
from app.journeys.expr.functions.registry import function
from app.journeys.expr.types import INT_MAX, INT_MIN, type_name
from app.journeys.expr.values import ValueProblem, parse_datetime, parse_duration, parse_temporal, to_text

_DATE_ARGS = ("string",), ("dateOnly",), ("dateTimeOnly",), ("dateTime",), ("integer",)


def _wrong(fn: str, value: Any) -> ValueProblem:
    return ValueProblem(f"{fn} cannot convert {type_name(value)}")


def from_epoch_ms(ms: int) -> datetime:
    try:
        return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=ms)
    except OverflowError:
        raise ValueProblem(f"{ms} milliseconds since 1970 is out of the date range") from None


@function("toBool", [(("string",), "boolean"), (("number",), "boolean"), (("boolean",), "boolean")],
          "a string is true when it is 'true' (any case), a number when it is not 0")
def to_bool(value: Any) -> bool:
    kind = type(value)
    if kind is bool:
        return value
    if kind is str:
        return value.strip().lower() == "true"
    if kind is int or kind is float:
        return value != 0
    raise _wrong("toBool", value)


@function("toDateOnly", [(p, "dateOnly") for p in _DATE_ARGS],
          "the date part of an ISO string or a date-time; an integer is milliseconds since 1970 (UTC)")
def to_date_only(value: Any) -> date:
    if type(value) is int:
        return from_epoch_ms(value).date()
    value = parse_temporal(value) if type(value) is str else value
    if type(value) is datetime:
        return value.date()
    if type(value) is date:
        return value
    raise _wrong("toDateOnly", value)


@function("toDateTime", [(p, "dateTime") for p in _DATE_ARGS],
          "an ISO 8601 date-time (without an offset: in the journey's time zone); an integer is "
          "milliseconds since 1970", needs_ctx=True)
def to_date_time(ctx: Context, value: Any) -> datetime:
    kind = type(value)
    if kind is int:
        return from_epoch_ms(value)
    if kind is str:
        return parse_datetime(value, ctx.zone)
    if kind is datetime:
        return value if value.tzinfo is not None else value.replace(tzinfo=ctx.zone)
    if kind is date:
        return datetime(value.year, value.month, value.day, tzinfo=ctx.zone)
    raise _wrong("toDateTime", value)


@function("toDateTimeOnly", [(p, "dateTimeOnly") for p in _DATE_ARGS],
          "a local date-time (no time zone): a date-time's wall-clock time, a date at midnight")
def to_date_time_only(value: Any) -> datetime:
    if type(value) is int:
        return from_epoch_ms(value).replace(tzinfo=None)
    value = parse_temporal(value) if type(value) is str else value
    if type(value) is datetime:
        return value.replace(tzinfo=None)
    if type(value) is date:
        return datetime(value.year, value.month, value.day)
    raise _wrong("toDateTimeOnly", value)


@function("toDecimal", [(("string",), "decimal"), (("number",), "decimal")], "a number from a string or an integer")
def to_decimal(value: Any) -> float:
    kind = type(value)
    if kind is int or kind is float:
        return float(value)
    if kind is str:
        try:
            number = float(value.strip())
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise ValueProblem(f"toDecimal: {value[:40]!r} is not a number")
        return number
    raise _wrong("toDecimal", value)


@function("toDuration", [(("string",), "duration"), (("integer",), "duration"), (("duration",), "duration")],
          "an ISO 8601 duration (PT1H30M, P2D); an integer is milliseconds")
def to_duration(value: Any) -> timedelta:
    kind = type(value)
    if kind is str:
        return parse_duration(value)
    if kind is int:
        try:
            return timedelta(milliseconds=value)
        except OverflowError:
            raise ValueProblem(f"toDuration: {value} milliseconds is out of range") from None
    if kind is timedelta:
        return value
    raise _wrong("toDuration", value)


@function("toInteger", [(("string",), "integer"), (("number",), "integer"), (("duration",), "integer"),
                        (("dateTime",), "integer")],
          "a decimal loses its fraction (toward 0); a duration gives milliseconds, a date-time milliseconds since 1970")
def to_integer(value: Any) -> int:
    kind = type(value)
    if kind is int:
        return value
    if kind is str:
        if not re.fullmatch(r"\s*[-+]?\d+\s*", value):
            raise ValueProblem(f"toInteger: {value[:40]!r} is not an integer "
                               "(toInteger(toDecimal(...)) drops a fraction)")
        return _in_range(int(value))
    if kind is float:
        if not math.isfinite(value):
            raise ValueProblem(f"toInteger: {value} has no integer value")
        return _in_range(int(value))
    if kind is timedelta:
        return value // timedelta(milliseconds=1)
    if kind is datetime and value.tzinfo is not None:
        return (value - datetime(1970, 1, 1, tzinfo=timezone.utc)) // timedelta(milliseconds=1)
    raise _wrong("toInteger", value)


def _in_range(value: int) -> int:
    if not INT_MIN <= value <= INT_MAX:
        raise ValueProblem(f"{value} is out of the integer range (64 bits)")
    return value


@function("toString", [(("any",), "string")], "the value as text: dates in ISO 8601, lists and objects as JSON")
def to_string(value: Any) -> str:
    return to_text(value)


@function("date", [(("string",), None)],
          "a date literal: date(\"2021-02-19\") is a dateOnly, date(\"2021-02-19T10:00\") a dateTimeOnly, "
          "with an offset a dateTime")
def date_literal(value: Any) -> date | datetime:
    if type(value) is not str:
        raise _wrong("date", value)
    return parse_temporal(value)
