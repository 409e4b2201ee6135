"""Date functions. They read the virtual clock (ctx.now) and the journey's time zone (ctx.tz), never the
machine's clock, so a run is reproducible."""
from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta, timezone
from typing import Any

from app.journeys.expr.context import Context
from app.journeys.expr.functions.registry import expect, function
from app.journeys.expr.types import TypeInfo, type_name
from app.journeys.expr.values import ValueProblem, parse_datetime, parse_temporal, zone

UNITS = {"second": "seconds", "minute": "minutes", "hour": "hours", "day": "days", "week": "weeks",
         "month": "months", "year": "years"}


def add_months(value: datetime, months: int) -> datetime:
    """Calendar months, the day clamped to the month's length (Jan 31 + 1 month = Feb 28/29)."""
    total = value.year * 12 + value.month - 1 + months
    year, month = divmod(total, 12)
    if not 1 <= year <= 9999:
        raise ValueProblem("the date falls outside years 1 to 9999")
    day = min(value.day, calendar.monthrange(year, month + 1)[1])
    return value.replace(year=year, month=month + 1, day=day)


def shift(value: datetime, delta: int, unit: str) -> datetime:
    unit = unit.strip().lower()
    unit = UNITS.get(unit.rstrip("s"), unit)
    try:
        if unit in ("months", "years"):
            return add_months(value, delta * (12 if unit == "years" else 1))
        if unit in ("seconds", "minutes", "hours", "days", "weeks"):
            return value + timedelta(**{unit: delta})
    except OverflowError:
        raise ValueProblem("the date falls outside years 1 to 9999") from None
    raise ValueProblem(f"unknown date part {unit!r}: use years, months, days, hours, minutes or seconds")


@function("now", [((), "dateTime"), (("string",), "dateTime")],
          "the current date-time of the step (virtual clock), in UTC or in the given time zone", needs_ctx=True)
def now(ctx: Context, tz: str = "UTC") -> datetime:
    return ctx.clock.astimezone(zone(expect(tz, str, "now", "a time zone id")))


@function("nowWithDelta", [(("integer", "string"), "dateTime"), (("integer", "string", "string"), "dateTime")],
          "now plus delta years, months, days, hours, minutes or seconds", needs_ctx=True)
def now_with_delta(ctx: Context, delta: Any, unit: Any, tz: str = "UTC") -> datetime:
    expect(delta, int, "nowWithDelta", "an integer delta")
    return shift(now(ctx, tz), delta, expect(unit, str, "nowWithDelta", "a date part such as \"hours\""))


@function("currentTimeInMillis", [((), "integer")], "the step's virtual time in milliseconds since 1970",
          needs_ctx=True)
def current_time_in_millis(ctx: Context) -> int:
    return (ctx.clock - datetime(1970, 1, 1, tzinfo=timezone.utc)) // timedelta(milliseconds=1)


def _instant(ctx: Context, value: Any, fn: str) -> datetime:
    """A point in time: a dateTimeOnly or a date is read in the journey's time zone."""
    if type(value) is str:
        return parse_datetime(value, ctx.zone)
    if type(value) is datetime:
        return value if value.tzinfo is not None else value.replace(tzinfo=ctx.zone)
    if type(value) is date:
        return datetime(value.year, value.month, value.day, tzinfo=ctx.zone)
    raise ValueProblem(f"{fn} expects a date or date-time, got {type_name(value)}")


def _window(ctx: Context, value: Any, amount: Any, unit: str, fn: str, past: bool) -> bool:
    expect(amount, int, fn, f"a number of {unit}")
    moment, clock = _instant(ctx, value, fn), ctx.clock
    if type(value) is date or (type(value) is str and len(value.strip()) == 10):
        today = clock.astimezone(ctx.zone).date()  # a date is compared with today's date, not the hour
        day = moment.date()
        span = timedelta(days=amount)
        return today - span <= day <= today if past else today <= day <= today + span
    span = timedelta(**{unit: amount})
    return clock - span <= moment <= clock if past else clock <= moment <= clock + span


_WINDOW = [(("date", "integer"), "boolean")]


@function("inLastDays", _WINDOW, "whether the date falls between N days ago and now", needs_ctx=True)
def in_last_days(ctx: Context, value: Any, days: Any) -> bool:
    return _window(ctx, value, days, "days", "inLastDays", past=True)


@function("inLastHours", _WINDOW, "whether the date-time falls between N hours ago and now", needs_ctx=True)
def in_last_hours(ctx: Context, value: Any, hours: Any) -> bool:
    return _window(ctx, value, hours, "hours", "inLastHours", past=True)


@function("inNextDays", _WINDOW, "whether the date falls between now and N days from now", needs_ctx=True)
def in_next_days(ctx: Context, value: Any, days: Any) -> bool:
    return _window(ctx, value, days, "days", "inNextDays", past=False)


@function("inNextHours", _WINDOW, "whether the date-time falls between now and N hours from now", needs_ctx=True)
def in_next_hours(ctx: Context, value: Any, hours: Any) -> bool:
    return _window(ctx, value, hours, "hours", "inNextHours", past=False)


def _same_kind(value: Any) -> Any:
    """The argument's own type: a date-time stays a date-time, a local one stays local."""
    return value[0] if value and value[0] and value[0].is_date else None


def _temporal(value: Any, fn: str) -> date | datetime:
    value = parse_temporal(value) if type(value) is str else value
    if type(value) not in (date, datetime):
        raise ValueProblem(f"{fn} expects a date-time, got {type_name(value)}")
    return value


def _with_time(value: Any) -> Any:
    kind = _same_kind(value)
    return TypeInfo("dateTimeOnly") if kind == TypeInfo("dateOnly") else kind


@function("setHours", [(("date", "integer"), _with_time)],
          "the date-time with its hour set (0-23); a date becomes a local date-time")
def set_hours(value: Any, hour: Any) -> datetime:
    moment = _temporal(value, "setHours")
    if not isinstance(moment, datetime):  # a date
        moment = datetime(moment.year, moment.month, moment.day)
    if type(hour) is not int or not 0 <= hour <= 23:
        raise ValueProblem(f"setHours: the hour must be an integer from 0 to 23, got {hour!r}")
    return moment.replace(hour=hour)


@function("setDays", [(("date", "integer"), _same_kind)], "the date with its day of the month set")
def set_days(value: Any, day: Any) -> date | datetime:
    moment = _temporal(value, "setDays")
    try:
        return moment.replace(day=expect(day, int, "setDays", "an integer day"))
    except ValueError:
        raise ValueProblem(f"setDays: {moment.year}-{moment.month:02d} has no day {day}") from None


@function("updateTimeZone", [(("date", "string"), "dateTime")],
          "the same instant in another time zone (2019-08-28T08:15:30-07:00 in Europe/Paris is 17:15:30+02:00)",
          needs_ctx=True)
def update_time_zone(ctx: Context, value: Any, tz: Any) -> datetime:
    return _instant(ctx, value, "updateTimeZone").astimezone(zone(expect(tz, str, "updateTimeZone", "a time zone id")))
