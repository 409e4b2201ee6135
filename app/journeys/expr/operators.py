"""The operators at run time, with the platform's type rules: / and % by 0 give 0, + joins text when one
side is a string, a date moves by a duration, <-comparisons take numbers with numbers and dates with dates,
== compares anything (different types are simply not equal). A null operand gives null in arithmetic and
false in an ordering comparison."""
from __future__ import annotations

import math
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Callable

from app.journeys.expr.types import INT_MAX, INT_MIN, type_name
from app.journeys.expr.values import ValueProblem, parse_temporal, to_text

_NUM = (int, float)


def _int(value: int) -> int:
    if not INT_MIN <= value <= INT_MAX:
        raise ValueProblem("integer overflow: the result does not fit in 64 bits")
    return value


def _numbers(a: Any, b: Any, verb: str) -> None:
    if type(a) not in _NUM or type(b) not in _NUM:
        raise ValueProblem(f"cannot {verb} {type_name(a)} and {type_name(b)}: both must be numbers")


def add(a: Any, b: Any, ctx: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return _int(a + b)
    if ta in _NUM and tb in _NUM:
        return a + b
    if a is None or b is None:
        return None
    if ta is str or tb is str:
        return to_text(a) + to_text(b)
    if tb is timedelta and ta in (datetime, date):
        return _move(a, b)
    if ta is timedelta and tb in (datetime, date):
        return _move(b, a)
    if ta is timedelta and tb is timedelta:
        return a + b
    raise ValueProblem(f"cannot add {type_name(a)} and {type_name(b)}")


def _move(moment: date | datetime, by: timedelta) -> date | datetime:
    if type(moment) is date and by % timedelta(days=1):
        raise ValueProblem("a dateOnly moves by whole days only (convert it with toDateTimeOnly first)")
    try:
        return moment + (by if type(moment) is datetime else timedelta(days=by.days))
    except OverflowError:
        raise ValueProblem("the date falls outside years 1 to 9999") from None


def sub(a: Any, b: Any, ctx: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return _int(a - b)
    if ta in _NUM and tb in _NUM:
        return a - b
    if a is None or b is None:
        return None
    if ta is timedelta and tb is timedelta:
        return a - b
    if tb is timedelta:
        raise ValueProblem("only + moves a date: add a negative duration, e.g. + toDuration(\"-PT1H\")")
    _numbers(a, b, "subtract")


def mul(a: Any, b: Any, ctx: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return _int(a * b)
    if ta in _NUM and tb in _NUM:
        return a * b
    if a is None or b is None:
        return None
    _numbers(a, b, "multiply")


def div(a: Any, b: Any, ctx: Any) -> Any:
    """Integers divide as Java's long (truncated toward 0); dividing by 0 gives 0."""
    if a is None or b is None:
        return None
    _numbers(a, b, "divide")
    if type(a) is int and type(b) is int:
        if b == 0:
            return 0
        q = abs(a) // abs(b)
        return _int(q if (a < 0) == (b < 0) else -q)
    return 0.0 if b == 0 else a / b


def mod(a: Any, b: Any, ctx: Any) -> Any:
    """Java's remainder: its sign is the dividend's; by 0 gives 0."""
    if a is None or b is None:
        return None
    _numbers(a, b, "take the remainder of")
    if type(a) is int and type(b) is int:
        return 0 if b == 0 else (abs(a) % abs(b)) * (1 if a >= 0 else -1)
    return 0.0 if b == 0 else math.fmod(a, b)


def neg(a: Any) -> Any:
    if type(a) is int:
        return _int(-a)
    if type(a) is float or type(a) is timedelta:
        return -a
    if a is None:
        return None
    raise ValueProblem(f"cannot negate {type_name(a)}")


def equal(a: Any, b: Any, ctx: Any) -> bool:
    ta, tb = type(a), type(b)
    if ta is tb and ta is not datetime:
        return bool(a == b)
    if ta in _NUM and tb in _NUM:
        return bool(a == b)
    if a is None or b is None:
        return False
    try:
        pair = _temporal_pair(a, b, ctx.zone)
    except ValueProblem:
        return False
    return pair is not None and pair[0] == pair[1]


def not_equal(a: Any, b: Any, ctx: Any) -> bool:
    return not equal(a, b, ctx)


def _temporal_pair(a: Any, b: Any, zone: tzinfo) -> tuple[Any, Any] | None:
    """Two dates made comparable: ISO strings read, a local date-time or a date put in the journey's zone
    when the other side has one. None when they are not both date-like."""
    kinds = (datetime, date)
    if type(a) not in kinds and type(b) not in kinds and not (type(a) is str and type(b) is str):
        return None
    if type(a) is str:
        a = parse_temporal(a)
    if type(b) is str:
        b = parse_temporal(b)
    if type(a) not in kinds or type(b) not in kinds:
        return None
    if type(a) is date and type(b) is date:
        return a, b
    a, b = _as_datetime(a), _as_datetime(b)
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a if a.tzinfo else a.replace(tzinfo=zone), b if b.tzinfo else b.replace(tzinfo=zone)
    return a, b


def _as_datetime(value: date | datetime) -> datetime:
    return value if type(value) is datetime else datetime(value.year, value.month, value.day)


def _ordered(compare: Callable[[Any, Any], bool], symbol: str) -> Callable[[Any, Any, Any], bool]:
    def op(a: Any, b: Any, ctx: Any) -> bool:
        ta, tb = type(a), type(b)
        if ta in _NUM and tb in _NUM:
            return compare(a, b)
        if a is None or b is None:
            return False
        if ta is timedelta and tb is timedelta:
            return compare(a, b)
        general = ValueProblem(f"{symbol} compares numbers with numbers and dates with dates, "
                               f"not {type_name(a)} with {type_name(b)}")
        try:
            pair = _temporal_pair(a, b, ctx.zone)
        except ValueProblem as exc:
            raise general if ta is str and tb is str else ValueProblem(f"{symbol}: {exc}") from None
        if pair is None:
            raise general
        return compare(*pair)
    return op


BINARY: dict[str, Callable[[Any, Any, Any], Any]] = {  # op(a, b, ctx): ctx gives the journey's zone
    "+": add, "-": sub, "*": mul, "/": div, "%": mod, "==": equal, "!=": not_equal,
    "<": _ordered(lambda x, y: x < y, "<"), "<=": _ordered(lambda x, y: x <= y, "<="),
    ">": _ordered(lambda x, y: x > y, ">"), ">=": _ordered(lambda x, y: x >= y, ">="),
}
COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})


def truth(value: Any, where: str) -> bool:
    """A condition's value: true or false; null counts as false."""
    if value is True or value is False:
        return value
    if value is None:
        return False
    raise ValueProblem(f"{where} expects true or false, got {type_name(value)}")


def is_numeric(value: Any) -> bool:
    if type(value) in _NUM:
        return True
    if type(value) is str:
        try:
            float(value)
            return value.strip().lower() not in ("nan", "inf", "-inf", "+inf", "infinity", "-infinity")
        except ValueError:
            return False
    return False


def is_integer(value: Any) -> bool:
    if type(value) is int:
        return True
    return type(value) is str and value.strip().lstrip("+-").isdigit()


def is_decimal(value: Any) -> bool:
    return type(value) is float or (type(value) is str and is_numeric(value) and not is_integer(value))


# is numeric / is integer / is decimal: a value of that type, or a string that reads as one (our reading:
# the platform's own example applies `is numeric` to a string field, an e-mail id).
TESTS: dict[str, Callable[[Any], bool]] = {
    "is null": lambda v: v is None,
    "is not null": lambda v: v is not None,
    "has null": lambda v: type(v) is list and any(x is None for x in v),
    "is numeric": is_numeric,
    "is integer": is_integer,
    "is decimal": is_decimal,
}
