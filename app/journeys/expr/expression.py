"""Expr: one parsed expression, its references, its compiled form; evaluate() and explain()."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Union

from app.journeys.expr.context import Context
from app.journeys.expr.errors import Span
from app.journeys.expr.nodes import Node, Ref, RefNode
from app.journeys.expr.values import Value


class Expr:
    """A parsed expression (immutable; shared by every caller that parses the same text)."""

    __slots__ = ("text", "root", "_compiled", "_refs")

    def __init__(self, text: str, root: Node) -> None:
        self.text = text
        self.root = root
        self._compiled: Any = None
        self._refs: Optional[list[Ref]] = None

    def references(self) -> list[Ref]:
        """Every field reference, in reading order (those inside defaults and collection functions too)."""
        if self._refs is None:
            refs = [n.ref for n in self.root.walk() if isinstance(n, RefNode)]
            self._refs = sorted(refs, key=lambda r: r.span)
        return list(self._refs)

    @property
    def compiled(self) -> Any:
        if self._compiled is None:
            from app.journeys.expr.compile import compile_node

            self._compiled = compile_node(self.root, self.text)
        return self._compiled

    def evaluate(self, ctx: Context) -> Value:
        return Value.of(self.compiled(ctx))

    def __repr__(self) -> str:
        return f"Expr({self.text!r})"


@dataclass(frozen=True)
class Operand:
    text: str
    span: Span
    value: Value


@dataclass(frozen=True)
class Comparison:
    """One comparison or test the evaluation went through: its text, its operands' values, its result."""

    text: str
    span: Span
    operands: tuple[Operand, ...]
    result: bool


def _expr(expr: Union[Expr, str]) -> Expr:
    if isinstance(expr, Expr):
        return expr
    from app.journeys.expr.parser import parse

    return parse(expr)


def evaluate(expr: Union[Expr, str], ctx: Context) -> Value:
    """The expression's value for ctx. EvalError names the failing sub-expression's span."""
    return Value.of(_expr(expr).compiled(ctx))


def explain(expr: Union[Expr, str], ctx: Context) -> tuple[Value, list[Comparison]]:
    """The value, and each comparison or test it evaluated with its operands' values: why a condition
    took its path. Comparisons skipped by and/or short-circuits are not listed."""
    parsed = _expr(expr)
    saved, ctx.trace = ctx.trace, []
    try:
        value = Value.of(parsed.compiled(ctx))
        records = ctx.trace
    finally:
        ctx.trace = saved
    text = parsed.text
    out = []
    for span, left, right, result in records:
        pairs = (left,) if right is None else (left, right)
        operands = tuple(Operand(text[s[0]:s[1]], s, Value.of(v)) for s, v in pairs)
        out.append(Comparison(text[span[0]:span[1]], span, operands, bool(result)))
    return value, out
