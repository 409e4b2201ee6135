"""Math functions: round and random (random() draws from the run's seeded generator)."""
from __future__ import annotations

import math
from typing import Any

from app.journeys.expr.context import Context
from app.journeys.expr.functions.registry import function
from app.journeys.expr.types import INT_MAX, INT_MIN, type_name
from app.journeys.expr.values import ValueProblem


@function("round", [(("decimal",), "integer")], "the nearest integer, halves rounded up (Java's Math.round)")
def round_half_up(value: Any) -> int:
    if type(value) is int:
        return value
    if type(value) is not float:
        raise ValueProblem(f"round expects a number, got {type_name(value)}")
    if not math.isfinite(value):
        raise ValueProblem(f"round: {value} has no integer value")
    return max(INT_MIN, min(INT_MAX, math.floor(value + 0.5)))  # Java saturates at the long range


@function("random", [((), "decimal")], "a decimal from 0 (included) to 1 (excluded)", needs_ctx=True)
def random(ctx: Context) -> float:
    return ctx.rng.random()
