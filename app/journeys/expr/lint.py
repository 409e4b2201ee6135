"""lint(): what our engine runs but the platform would refuse, as warnings with positions."""
from __future__ import annotations

from typing import Iterator, Optional

from app.journeys.expr.errors import ExprError, Problem, Span
from app.journeys.expr.expression import Expr
from app.journeys.expr.infer import Inference
from app.journeys.expr.nodes import Binary, Call, If, Lit, Node, RefNode, Test, Unary
from app.journeys.expr.schema import Missing, Schema, type_of_example
from app.journeys.expr.types import fits


def lint(text: str, schema: Optional[Schema] = None) -> list[Problem]:
    """Warnings for text (none when it does not parse: parse() reports that). With a schema, a
    defaultValue of another type than its field is caught too."""
    from app.journeys.expr.parser import parse

    try:
        expr = parse(text)
    except ExprError:
        return []
    found = [Problem.at("warning", message, text, span) for message, span in _rules(expr, schema)]
    return sorted(found, key=lambda p: p.span)


def _rules(expr: Expr, schema: Optional[Schema]) -> Iterator[tuple[str, Span]]:
    for node in expr.root.walk():
        yield from _uppercase(node, expr.text)
        if isinstance(node, Binary) and node.op == "+":
            for side in (node.left, node.right):
                if isinstance(side, Call) and not side.paren:
                    yield (f"the platform refuses a function call as an operand of + without parentheses: "
                           f"write ({expr.text[side.span[0]:side.span[1]]})", side.span)
        if isinstance(node, RefNode):
            yield from _reference(node, expr, schema)


def _uppercase(node: Node, text: str) -> Iterator[tuple[str, Span]]:
    words: list[tuple[str, Span]] = []
    if isinstance(node, Binary) and node.op in ("and", "or"):
        words = [(node.op_text, node.op_span)]
    elif isinstance(node, Unary) and node.op == "not":
        words = [(node.op_text, (node.span[0], node.span[0] + len(node.op_text)))]
    elif isinstance(node, (Test, If)):
        words = node.words
    elif isinstance(node, Lit) and type(node.value) is bool:
        words = [(text[node.span[0]:node.span[1]], node.span)]
    for word, span in words:
        if word != word.lower():
            yield f"the platform refuses {word!r}: its keywords are lowercase ({word.lower()})", span


def _reference(node: RefNode, expr: Expr, schema: Optional[Schema]) -> Iterator[tuple[str, Span]]:
    ref = node.ref
    if ref.kind == "legacy":
        yield ("legacy syntax @{...}: the platform's editor now writes @event{...}", (ref.span[0], ref.span[0] + 2))
    if ref.kind == "journey":
        yield ("@journey{...} is Action Studio's own notation for journey properties (the platform's docs show "
               "no syntax): pick the property in the platform's editor when you copy this", ref.span)
    if node.default is not None and schema is not None:
        infer = Inference(expr, schema, [])
        field_value = infer.example(RefNode(node.span, ref, node.steps, None))
        default_type = infer.infer(node.default)
        field_type = None if isinstance(field_value, Missing) else type_of_example(field_value)
        if field_type is not None and default_type is not None and not fits(default_type, field_type.name):
            yield (f"the defaultValue is {default_type} but the field is {field_type}: the platform refuses a "
                   "default of another type", node.default.span)
