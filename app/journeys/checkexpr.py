"""Checks of one expression in its place in a journey: syntax, references, type, platform lint.

- syntax: the parse error with its line, column, expected tokens and caret excerpt;
- references: `@event{E...}` where E is not the journey's event; `@action{X...}` where X has not
  run on every path to the node; `@action{X.errorResponse...}` off X's "timeout or error" path;
- type: what the expression gives against what the place needs (an action field's type, a
  condition's boolean, a wait's date-time), with the expr package's own type problems;
- platform: the expr package's `lint` warnings (the platform would refuse this).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

from app.journeys.expr import ExprError, Problem, Ref, Schema, check_field, infer_type, lint, parse
from app.journeys.expr.errors import excerpt
from app.journeys.findings import Finding, Severity
from app.journeys.model import NodeBase


@dataclass(frozen=True)
class Place:
    """Where an expression sits: its node, the field, and what holds on every path to the node."""

    node: NodeBase
    field: str
    facts: frozenset[str]  # ran:<action> / error:<action>, from graph.on_every_path
    event: Optional[str]  # the journey's entry event name


def check(text: str, place: Place, schema: Schema, want: Optional[str] = None, want_words: str = "") -> list[Finding]:
    """Every finding for one expression. want: a payload field type the value must fit ("string",
    "decimal"...), or "boolean"/"date" for conditions and waits; want_words names it in messages."""
    try:
        expr = parse(text)
    except ExprError as exc:
        return [_finding(place, "error", "syntax", exc.message, text, exc.span, tuple(exc.expected))]
    out = [_finding(place, "error", code, message, text, ref.span)
           for code, message, ref in _references(expr.references(), place)]
    problems: list[Problem] = []
    if want in ("boolean", "date"):
        kind = infer_type(expr, schema, problems)
        if kind is not None and kind.name != "null" and not _fits_place(kind.name, want):
            needed = "true or false" if want == "boolean" else "a date-time"
            problems.append(Problem.at("error", f"{want_words or 'this place'} needs {needed}; this expression gives "
                                       f"{kind}", text, (0, len(text))))
    elif want is not None:
        problems = check_field(expr, schema, want, want_words or place.field)
    else:
        infer_type(expr, schema, problems)
    out += [_finding(place, p.severity, "type", p.message, text, p.span) for p in problems]
    out += [_finding(place, "warning", "platform", p.message, text, p.span, platform=True) for p in lint(text, schema)]
    return out


def _fits_place(kind: str, want: str) -> bool:
    if want == "boolean":
        return kind == "boolean"
    return kind in ("dateTime", "dateTimeOnly", "dateOnly", "string")  # ISO 8601 strings are read as dates


def _references(refs: list[Ref], place: Place) -> Iterator[tuple[str, str, Ref]]:
    for ref in refs:
        if ref.kind in ("event", "legacy") and place.event is not None and ref.name != place.event:
            yield "unknown-event", f"the journey's event is {place.event!r}, not {ref.name!r}", ref
        elif ref.kind == "action":
            if f"ran:{ref.name}" not in place.facts:
                yield ("not-upstream", f"@action{{{ref.name}...}} reads the response of {ref.name!r}, which is not "
                       "called before this node on every path to it", ref)
            elif ref.path[:1] == ("errorResponse",) and f"error:{ref.name}" not in place.facts:
                yield ("error-response", f"errorResponse of {ref.name!r} is only there on its \"timeout or error\" "
                       "path; this node can be reached without that path", ref)


def _finding(place: Place, severity: Severity, code: str, message: str, text: str, span: tuple[int, int],
             expected: tuple[str, ...] = (), platform: bool = False) -> Finding:
    from app.journeys.expr.errors import line_col

    line, column = line_col(text, span[0])
    return Finding(severity, code, message, place.node.id, place.node.label, place.field, line, column, expected,
                   excerpt(text, span), platform)
