"""Typing one input value (a CSV cell's text, or a JSON value) against a field type.

The types are the payload field types of app.model.payload (`string`, `integer`, `decimal`,
`boolean`, `dateTime`, `dateOnly`, `object`, `list...`); the checks are that module's `type_problem`.
"""
from __future__ import annotations

import functools
import json
import re
from typing import Any, Callable, Optional, get_args

from app.datetexts import fits_date, fits_datetime
from app.model.payload import FieldType, infer_type, type_problem

TYPES: tuple[str, ...] = get_args(FieldType)
_INT = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_INT64 = 2**63
_LEADING_ZERO = re.compile(r"[+-]?0\d")
_PLAIN_DECIMAL = re.compile(r"[+-]?\d+\.\d+")


class CellError(ValueError):
    """A value that does not fit its type; the message says what was expected and what was found."""


def from_text(text: str, ftype: Optional[str]) -> Any:
    """A CSV cell typed as ftype; without a type, a cautious guess (see `guess`)."""
    convert = converter(ftype)
    return text if convert is None else convert(text)


def converter(ftype: Optional[str]) -> Optional[Callable[[str], Any]]:
    """How a cell's text is typed as ftype, chosen once for a column's every cell (None: the text as
    it is); the function raises CellError saying what was expected."""
    if ftype == "string":
        return None
    if ftype is None:
        return guess
    found = _CONVERTERS.get(ftype)
    return found if found is not None else functools.partial(_json_text, ftype=ftype)


def _integer(text: str) -> int:
    stripped = text.strip()
    if not stripped.isdecimal() and not _INT.fullmatch(stripped):  # digits alone (most cells): no pattern
        raise CellError(f"expected an integer, got {text[:40]!r}")
    # Of the stripped text: int() strips less than str.strip() (not \x1c-\x1f), which the pattern was asked of.
    value = int(stripped)  # an int by the pattern: only its range is left to check
    if not -_INT64 <= value < _INT64:
        raise CellError(f"the integer {value} does not fit in 64 bits")
    return value


def _decimal(text: str) -> float:
    stripped = text.strip()
    whole, _, fraction = stripped.partition(".")  # digits, a point and digits (most cells): no pattern
    if not (whole.isdecimal() and (not fraction or fraction.isdecimal())) and not _DECIMAL.fullmatch(stripped):
        raise CellError(f"expected a number, got {text[:40]!r}")
    return float(stripped)  # as int() above: the text the pattern was asked of


def _boolean(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered not in ("true", "false"):
        raise CellError(f"expected true or false, got {text[:40]!r}")
    return lowered == "true"


def _date_time(text: str) -> str:
    stripped = text.strip()
    return stripped if fits_datetime(stripped) else check(stripped, "dateTime")  # type_problem's own test


def _date_only(text: str) -> str:
    stripped = text.strip()
    return stripped if fits_date(stripped) else check(stripped, "dateOnly")


def _json_text(text: str, ftype: str) -> Any:
    try:
        value = json.loads(text)
    except ValueError:
        raise CellError(f"expected JSON ({ftype}), got {text[:40]!r}") from None
    return check(value, ftype)


_CONVERTERS: dict[str, Callable[[str], Any]] = {
    "integer": _integer, "decimal": _decimal, "boolean": _boolean, "dateTime": _date_time, "dateOnly": _date_only}


def check(value: Any, ftype: str) -> Any:
    """The value if it fits ftype (a 64-bit integer for integers), else CellError."""
    problem = type_problem(ftype, value)  # type: ignore[arg-type]
    if problem:
        raise CellError(problem)
    if ftype == "integer" and not -_INT64 <= value < _INT64:
        raise CellError(f"the integer {value} does not fit in 64 bits")
    return value


GUESSED_FIRST = "+-tf"  # besides a digit, how a text guess() may type starts (a number, true, false)


def guess(text: str) -> Any:
    """An untyped cell: integers without a leading zero, decimals, true/false; else the text (as it is for
    any text starting with neither a digit nor one of GUESSED_FIRST).

    Cautious on purpose: "02134" (a zip code) and "1e5" stay strings."""
    if text in ("true", "false"):
        return text == "true"
    first = text[:1]
    if not first.isdecimal() and first not in ("+", "-"):  # what both patterns start with: most text is no number
        return text
    if _INT.fullmatch(text) and not _LEADING_ZERO.match(text) and -_INT64 <= int(text) < _INT64:
        return int(text)
    if _PLAIN_DECIMAL.fullmatch(text) and not _LEADING_ZERO.match(text):
        return float(text)
    return text


def example_types(example: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """The field types of an example payload by dotted path (objects walked, lists as a whole)."""
    out: dict[str, str] = {}
    for key, value in example.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out.update(example_types(value, path))
        elif value is not None:
            out[path] = infer_type(value)
    return out
