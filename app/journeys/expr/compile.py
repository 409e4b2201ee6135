"""Nodes compiled once into plain Python closures (fn(ctx) -> value): no tree walking, no allocation
beyond the values themselves, so a condition costs a few function calls per profile."""
from __future__ import annotations

import operator
from typing import Any, Callable, NamedTuple, Optional

from app.journeys.expr.collections import METHODS
from app.journeys.expr.context import Context
from app.journeys.expr.errors import EvalError, Span
from app.journeys.expr.functions import FUNCTIONS
from app.journeys.expr.nodes import Binary, Call, If, ListLit, Lit, Node, RefNode, Step, Test, Unary
from app.journeys.expr.operators import BINARY, COMPARISONS, TESTS, neg, truth
from app.journeys.expr.references import make_root, profile_fields, project
from app.journeys.expr.types import type_name
from app.journeys.expr.values import ValueProblem

Compiled = Callable[[Context], Any]


class Shape(NamedTuple):
    """What ctx.trace records of a comparison or a test besides its values, made once per node: its text
    and span, its operands' (right: None for a test). A record is (shape, left value, right value, result)."""

    text: str
    span: Span
    left: str
    left_span: Span
    right: Optional[str]
    right_span: Optional[Span]


_PYTHON_OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
               ">=": operator.ge}
_PLAIN = (str, bool, int, float)  # types whose == is Python's (dates need the zone, lists the item rules)
# Python errors a function may hit on odd input; reported as evaluation errors, never as tracebacks.
_FAILURES = (ValueProblem, TypeError, ValueError, OverflowError, ArithmeticError, IndexError, KeyError)


class Compiler:
    def __init__(self, text: str) -> None:
        self.text = text

    def error(self, exc: BaseException, span: Span, prefix: str = "") -> EvalError:
        message = str(exc) if isinstance(exc, ValueProblem) else f"{type(exc).__name__}: {exc}"
        return EvalError(prefix + message, span, self.text)

    def shape(self, span: Span, left: Span, right: Optional[Span]) -> Shape:
        """A comparison's or test's texts and spans, cut from the expression once (explain reads them)."""
        text = self.text
        return Shape(text[span[0]:span[1]], span, text[left[0]:left[1]], left,
                     None if right is None else text[right[0]:right[1]], right)

    def compile(self, node: Node) -> Compiled:
        kind = type(node)
        if kind is Lit:
            value = node.value  # type: ignore[attr-defined]
            return lambda ctx: value
        method = getattr(self, "c_" + kind.__name__.lower())
        return method(node)

    def c_listlit(self, node: ListLit) -> Compiled:
        if all(type(i) is Lit for i in node.items):
            items = [i.value for i in node.items]  # type: ignore[attr-defined]
            return lambda ctx: items  # functions never change their arguments
        parts = [self.compile(i) for i in node.items]
        return lambda ctx: [p(ctx) for p in parts]

    def c_binary(self, node: Binary) -> Compiled:
        if node.op == "and" or node.op == "or":
            return self.logic(node)
        if node.op in COMPARISONS:
            return self.comparison(node)
        left, right, op, span = self.compile(node.left), self.compile(node.right), BINARY[node.op], node.span

        def run(ctx: Context) -> Any:
            try:
                return op(left(ctx), right(ctx), ctx)
            except _FAILURES as exc:
                raise self.error(exc, span) from None
        return run

    def comparison(self, node: Binary) -> Compiled:
        """Numbers (and, for == and !=, two values of one plain type) are compared inline; the rest goes
        through the operator's rules. When ctx.trace is a list, the operands are recorded there."""
        left, right, slow, span = self.compile(node.left), self.compile(node.right), BINARY[node.op], node.span
        fast, plain = _PYTHON_OPS[node.op], _PLAIN if node.op in ("==", "!=") else ()
        shape = self.shape(span, node.left.span, node.right.span)

        def run(ctx: Context) -> Any:
            a, b = left(ctx), right(ctx)
            ta, tb = type(a), type(b)
            if ((ta is int or ta is float) and (tb is int or tb is float)) or (ta is tb and ta in plain):
                result = fast(a, b)
            else:
                try:
                    result = slow(a, b, ctx)
                except _FAILURES as exc:
                    raise self.error(exc, span) from None
            if ctx.trace is not None:
                ctx.trace.append((shape, a, b, result))
            return result
        return run

    def logic(self, node: Binary) -> Compiled:
        """and / or, short-circuited; each side must be true, false or null (null counts as false)."""
        left, right, where = self.compile(node.left), self.compile(node.right), f"'{node.op}'"
        lspan, rspan = node.left.span, node.right.span

        def side(value: Any, span: Span) -> bool:
            if value is True:
                return True
            if value is False or value is None:
                return False
            raise self.error(ValueProblem(f"{where} expects true or false, got {type_name(value)}"), span)
        if node.op == "and":
            def conj(ctx: Context) -> bool:
                a = left(ctx)
                if a is not True and not side(a, lspan):
                    return False
                b = right(ctx)
                return b is True or side(b, rspan)
            return conj

        def disj(ctx: Context) -> bool:
            a = left(ctx)
            if a is True or side(a, lspan):
                return True
            b = right(ctx)
            return b is True or side(b, rspan)
        return disj

    def c_unary(self, node: Unary) -> Compiled:
        operand, span = self.compile(node.operand), node.span
        if node.op == "not":
            def negate(ctx: Context) -> bool:
                try:
                    return not truth(operand(ctx), "'not'")
                except ValueProblem as exc:
                    raise self.error(exc, span) from None
            return negate

        def minus(ctx: Context) -> Any:
            try:
                return neg(operand(ctx))
            except ValueProblem as exc:
                raise self.error(exc, span) from None
        return minus

    def c_test(self, node: Test) -> Compiled:
        operand, test, span = self.compile(node.operand), TESTS[node.op], node.span
        shape = self.shape(span, node.operand.span, None)

        def run(ctx: Context) -> bool:
            value = operand(ctx)
            result = test(value)
            if ctx.trace is not None:
                ctx.trace.append((shape, value, None, result))
            return result
        return run

    def c_if(self, node: If) -> Compiled:
        cond, then, other = self.compile(node.cond), self.compile(node.then), self.compile(node.other)
        span = node.cond.span

        def run(ctx: Context) -> Any:
            try:
                chosen = truth(cond(ctx), "if")
            except ValueProblem as exc:
                raise self.error(exc, span) from None
            return then(ctx) if chosen else other(ctx)
        return run

    def c_call(self, node: Call) -> Compiled:
        fn = FUNCTIONS[node.name]
        args, impl, span, name = [self.compile(a) for a in node.args], fn.impl, node.span, fn.name
        needs_ctx, takes_null = fn.needs_ctx, fn.takes_null

        def run(ctx: Context) -> Any:
            values = [a(ctx) for a in args]
            if not takes_null and None in values:
                return None  # a null argument gives null, as a missing field does
            try:
                return impl(ctx, *values) if needs_ctx else impl(*values)
            except _FAILURES as exc:
                raise self.error(exc, span, "" if isinstance(exc, ValueProblem) else f"{name}: ") from None
        return run

    def c_refnode(self, node: RefNode) -> Compiled:
        root = make_root(node.ref, node.steps, self.error)
        error_response = node.ref.kind == "action" and node.steps[:1] and node.steps[0].name == "errorResponse"
        steps = node.steps[1:] if error_response else node.steps
        default = self.compile(node.default) if node.default is not None else None
        if all(not s.is_method for s in steps):
            names = tuple(s.name for s in steps)
            if node.ref.kind == "profile":
                return profile_fields(node.ref.name, names, default)
            if default is None and not names:
                return root  # `@journey{journeyVersionUID}`: the root's own value, as `fields` gives it
            if default is None and len(names) == 1 and node.ref.kind in ("event", "legacy", "journey"):
                return _one_field(node.ref.kind, node.ref.name, names[0])

            def fields(ctx: Context) -> Any:
                value = root(ctx)
                for name in names:
                    if type(value) is dict:
                        value = value.get(name)
                    elif value is None:
                        break
                    else:
                        value = project(value, name)
                if value is None and default is not None:
                    return default(ctx)
                return value
            return fields
        walkers = [self.step(s) for s in steps]

        def walk(ctx: Context) -> Any:
            value = root(ctx)
            for step in walkers:
                if value is None:
                    break
                value = step(value, ctx)
            if value is None and default is not None:
                return default(ctx)
            return value
        return walk

    def step(self, step: Step) -> Callable[[Any, Context], Any]:
        name, span = step.name, step.span
        if not step.is_method:
            return lambda value, ctx: value.get(name) if type(value) is dict else project(value, name)
        args, impl = [self.compile(a) for a in step.args or ()], METHODS[name]

        def run(value: Any, ctx: Context) -> Any:
            try:
                return impl(value, args, ctx)
            except _FAILURES as exc:
                raise self.error(exc, span) from None
        return run


def _one_field(kind: str, name: str, field: str) -> Compiled:
    """`@event{E.field}` and `@journey{P.field}` (most of a mapping's references) as `fields` reads them,
    without a call to the root's function."""
    if kind != "journey":  # an event's (legacy references too)
        def event_field(ctx: Context) -> Any:
            value = ctx.events.get(name)
            if type(value) is dict:
                return value.get(field)
            return None if value is None else project(value, field)
        return event_field

    def journey_field(ctx: Context) -> Any:
        value = ctx.journey.get(name)
        if type(value) is dict:
            return value.get(field)
        return None if value is None else project(value, field)
    return journey_field


def compile_node(root: Node, text: str) -> Compiled:
    return Compiler(text).compile(root)

