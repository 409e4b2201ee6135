"""The operators' type rules before running (operators.py applies the same rules to values)."""
from __future__ import annotations

from typing import Optional

from app.journeys.expr.functions import TypeProblem
from app.journeys.expr.types import BOOLEAN, DECIMAL, DURATION, INTEGER, NULL, STRING, TypeInfo

T = Optional[TypeInfo]
ORDERING = frozenset({"<", "<=", ">", ">="})


def binary_type(op: str, a: T, b: T) -> T:
    """The result type of a op b (None: unknown); TypeProblem when the platform refuses the operands."""
    if op in ("and", "or"):
        for side in (a, b):
            if side not in (None, BOOLEAN, NULL):
                raise TypeProblem(f"{op} expects true or false on both sides, got {side}")
        return BOOLEAN
    if op in ("==", "!="):
        return BOOLEAN
    if a is None or b is None or NULL in (a, b):
        return BOOLEAN if op in ORDERING else (STRING if STRING in (a, b) and op == "+" else None)
    if op in ORDERING:
        return _ordering(op, a, b)
    if op == "+":
        return _plus(a, b)
    if a.is_number and b.is_number:
        return INTEGER if a == b == INTEGER else DECIMAL
    if op == "-" and a == b == DURATION:
        return DURATION
    if op == "-" and b == DURATION and a.is_date:
        raise TypeProblem("only + moves a date: add a negative duration, e.g. + toDuration(\"-PT1H\")")
    verb = {"-": "subtract", "*": "multiply", "/": "divide", "%": "take the remainder of"}[op]
    raise TypeProblem(f"cannot {verb} {a} and {b}: both must be numbers")


def _ordering(op: str, a: TypeInfo, b: TypeInfo) -> TypeInfo:
    if (a.is_number and b.is_number) or (a == b == DURATION):
        return BOOLEAN
    if (a.is_date or b.is_date) and all(t.is_date or t == STRING for t in (a, b)):
        return BOOLEAN  # ISO strings are read as dates
    raise TypeProblem(f"{op} compares numbers with numbers and dates with dates, not {a} with {b}")


def _plus(a: TypeInfo, b: TypeInfo) -> TypeInfo:
    if STRING in (a, b):
        return STRING
    if a.is_number and b.is_number:
        return INTEGER if a == b == INTEGER else DECIMAL
    if a.is_date and b == DURATION:
        return a
    if b.is_date and a == DURATION:
        return b
    if a == b == DURATION:
        return DURATION
    raise TypeProblem(f"cannot add {a} and {b}")
