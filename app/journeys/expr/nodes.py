"""The syntax tree of an expression: small nodes with their source spans, and the references they hold."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Literal, Optional

from app.journeys.expr.errors import Span

RefKind = Literal["event", "profile", "action", "journey", "legacy", "current"]


@dataclass(frozen=True)
class Ref:
    """A field reference. kind: event (@event{E.path}), profile (#{Source.FieldGroup.path}), action
    (@action{A.path}), journey (@journey{property}), legacy (@{E.path}), current (currentEventField.path
    inside a collection function). name: the event, action, field group, journey property or loop
    variable; path: the field names after it (for profile refs without the leading "profile"; collection
    functions such as .all() left out); source: the data source of a profile ref ("ExperiencePlatform")."""

    kind: RefKind
    name: str
    path: tuple[str, ...]
    span: Span
    has_default: bool
    source: str = ""


@dataclass(eq=False)
class Node:
    span: Span
    paren: bool = field(default=False, init=False)  # written inside parentheses

    def children(self) -> Iterator["Node"]:
        return iter(())

    def walk(self) -> Iterator["Node"]:
        yield self
        for child in self.children():
            yield from child.walk()


@dataclass(eq=False)
class Lit(Node):
    value: Any


@dataclass(eq=False)
class ListLit(Node):
    items: list[Node]

    def children(self) -> Iterator[Node]:
        return iter(self.items)


@dataclass(eq=False)
class Step:
    """One step of a reference path: a field name, or a collection function (.all(cond), .at(0), ...)."""

    name: str
    span: Span
    args: Optional[list[Node]] = None  # None for a field

    @property
    def is_method(self) -> bool:
        return self.args is not None


@dataclass(eq=False)
class RefNode(Node):
    ref: Ref
    steps: list[Step]  # the path after the root (event, action, field group...), methods included
    default: Optional[Node] = None

    def children(self) -> Iterator[Node]:
        for step in self.steps:
            yield from step.args or ()
        if self.default is not None:
            yield self.default


@dataclass(eq=False)
class Unary(Node):
    op: str  # "not" or "-"
    op_text: str
    operand: Node

    def children(self) -> Iterator[Node]:
        yield self.operand


@dataclass(eq=False)
class Binary(Node):
    op: str  # lowercase: "or", "and", "==", "<", "+", ...
    op_text: str
    op_span: Span
    left: Node
    right: Node

    def children(self) -> Iterator[Node]:
        yield self.left
        yield self.right


@dataclass(eq=False)
class Test(Node):
    op: str  # "is null", "is not null", "has null", "is numeric", "is integer", "is decimal"
    words: list[tuple[str, Span]]  # the keywords as written
    operand: Node

    def children(self) -> Iterator[Node]:
        yield self.operand


@dataclass(eq=False)
class If(Node):
    cond: Node
    then: Node
    other: Node
    words: list[tuple[str, Span]]

    def children(self) -> Iterator[Node]:
        return iter((self.cond, self.then, self.other))


@dataclass(eq=False)
class Call(Node):
    name: str
    name_span: Span
    args: list[Node]

    def children(self) -> Iterator[Node]:
        return iter(self.args)
