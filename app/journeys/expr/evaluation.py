"""evaluate() and explain(): an expression's value for one profile's context, and why a condition went
the way it did."""
from __future__ import annotations

from typing import Any, NamedTuple, Union

from app.journeys.expr.context import Context
from app.journeys.expr.errors import Span
from app.journeys.expr.expression import Expr
from app.journeys.expr.parser import parse
from app.journeys.expr.types import type_name
from app.journeys.expr.values import Value, to_json


class Operand(NamedTuple):
    text: str
    span: Span
    value: Value


class Comparison(NamedTuple):
    """One comparison or test the evaluation went through: its text, its operands' values, its result."""

    text: str
    span: Span
    operands: tuple[Operand, ...]
    result: bool


def evaluate(expr: Union[Expr, str], ctx: Context) -> Value:
    """The expression's value for ctx (text is parsed once, then cached). EvalError names the failing
    sub-expression's span."""
    parsed = expr if type(expr) is Expr else parse(expr)
    return Value.of(parsed.compiled(ctx))


def explain(expr: Union[Expr, str], ctx: Context) -> tuple[Value, list[Comparison]]:
    """The value, and each comparison or test it evaluated with its operands' values: why a condition
    took its path. Comparisons skipped by and/or short-circuits are not listed."""
    parsed = expr if type(expr) is Expr else parse(expr)
    value, records = _recorded(parsed, ctx)
    out = []
    for shape, a, b, result in records:
        first = Operand(shape.left, shape.left_span, Value(a, type_name(a)))
        if shape.right_span is None:
            operands: tuple[Operand, ...] = (first,)
        else:
            operands = (first, Operand(shape.right, shape.right_span, Value(b, type_name(b))))
        out.append(Comparison(shape.text, shape.span, operands, result is True))
    return Value.of(value), out


def explain_json(expr: Expr, ctx: Context) -> tuple[Any, list[dict[str, Any]]]:
    """explain() as a run's trace records it, made directly (once per profile at every condition): the
    plain value, and each comparison as {"text", "result", "operands": [{"text", "value", "type"}]}
    with the operands' values JSON-ready."""
    value, records = _recorded(expr, ctx)
    out = []
    for shape, a, b, result in records:  # the texts cut once per node (compile.Shape)
        # A plain value (most operands) is its own JSON and its type is named by its class: no call for either.
        kind = _PLAIN_TYPES.get(type(a))
        operands = [{"text": shape.left, "value": a if kind is not None else to_json(a),
                     "type": kind if kind is not None else type_name(a)}]
        if shape.right_span is not None:
            kind = _PLAIN_TYPES.get(type(b))
            operands.append({"text": shape.right, "value": b if kind is not None else to_json(b),
                             "type": kind if kind is not None else type_name(b)})
        out.append({"text": shape.text, "result": result is True, "operands": operands})
    return value, out


# type_name of the values to_json gives back as they are, by their exact class (type_name's own answers).
_PLAIN_TYPES: dict[type, str] = {type(v): type_name(v) for v in ("", True, 0, 0.0, None)}


def _recorded(parsed: Expr, ctx: Context) -> tuple[Any, list[Any]]:
    """The plain value, and the comparisons the evaluation recorded in ctx.trace."""
    saved, ctx.trace = ctx.trace, []
    try:
        value = parsed.compiled(ctx)
        records = ctx.trace
    finally:
        ctx.trace = saved
    return value, records
