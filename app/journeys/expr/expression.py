"""Expr: one parsed expression, its references and its compiled form."""
from __future__ import annotations

from typing import Any, Optional

from app.journeys.expr.context import Context
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
