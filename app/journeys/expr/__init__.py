"""The platform's journey expression language (the advanced expression editor's syntax), parsed with lark
(grammar.lark, never eval'd), type-checked, linted and evaluated locally. No Qt.

Public API (stable; the journey model, validation, runner and traces are built on it):

- ``parse(text) -> Expr``: raises ``ExprError`` (.message, .line, .column 1-based, .expected: the expected
  tokens in words, .excerpt: the line with a caret, .span: (start, end) offsets) and nothing else for any
  text. Cached by text: parse the same mapping for 100,000 profiles and it is read once.
- ``Expr.references() -> list[Ref]``: ``Ref(kind, name, path, span, has_default, source)``, kind in event,
  profile, action, journey, legacy (``@{E.f}``), current (``currentEventField.f`` in a collection function);
  name: event / action / field group / journey property / loop variable; path: field names after it.
- ``infer_type(expr, schema, problems=None) -> TypeInfo | None``: the type (None: unknown, "any"); type
  errors and warnings are appended to ``problems`` as ``Problem`` with spans. ``check_types(expr, schema)``
  returns just the problems; ``check_field(expr, schema, field_type, field_name)`` adds "this type cannot
  fill the field". ``Schema.from_examples(events=, actions=, profile=, error_responses=)`` gives the field
  types from example payloads; ``fits(type, payload_field_type)`` says whether a type can fill an action
  field; ``JOURNEY_PROPERTIES`` lists the documented journey properties and their types.
- ``lint(text, schema=None) -> list[Problem]``: "the platform would refuse this" warnings: uppercase
  operators, a function call as an unparenthesised ``+`` operand, legacy ``@{...}``, a defaultValue of
  another type than its field (needs the schema), our own ``@journey{...}`` convention.
- ``evaluate(expr, ctx: Context) -> Value``: ``Value(value, type)`` with ``.to_json()``; raises
  ``EvalError`` (.message, .span, .line, .column, .excerpt, .profile: set by the runner).
  ``explain(expr, ctx) -> (Value, [Comparison])`` also gives each comparison's operands (why a condition
  took its path).

Semantics (the platform's where documented; where its docs are silent, the reading is noted at the
function or operator): a missing field, or one that is null, gives null unless the reference has a
defaultValue; null propagates through arithmetic and function calls (isEmpty, isNotEmpty and the
``is null`` tests excepted), is false in <, <=, >, >= and in and/or/not/if, and equals only null.
Integers are 64-bit (overflow is an error, not a wrap); integer / integer truncates like Java's long; /
and % by 0 give 0; + joins text when either side is a string; a date + a duration moves it; ISO 8601
strings are read as dates wherever a date is needed. now() and friends read ``ctx.now``; random() and
uuid() draw from ``ctx.rng``; inAudience() reads ``ctx.audiences``.
"""
from app.journeys.expr.context import Context
from app.journeys.expr.errors import EvalError, ExprError, Problem
from app.journeys.expr.evaluation import Comparison, Operand, evaluate, explain
from app.journeys.expr.expression import Expr
from app.journeys.expr.functions import FUNCTIONS
from app.journeys.expr.infer import check_field, check_types, infer_type
from app.journeys.expr.lint import lint
from app.journeys.expr.nodes import Ref
from app.journeys.expr.parser import parse
from app.journeys.expr.schema import JOURNEY_PROPERTIES, Schema
from app.journeys.expr.types import TypeInfo, fits
from app.journeys.expr.values import Value

__all__ = [
    "Comparison", "Context", "EvalError", "Expr", "ExprError", "FUNCTIONS", "JOURNEY_PROPERTIES", "Operand",
    "Problem", "Ref", "Schema", "TypeInfo", "Value", "check_field", "check_types", "evaluate", "explain", "fits",
    "infer_type", "lint", "parse",
]
