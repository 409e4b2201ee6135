"""lint(): what our engine runs but the platform would refuse, as warnings with positions."""
from __future__ import annotations

import pytest

from app.journeys.expr import Context, Schema, evaluate, lint

SCHEMA = Schema.from_examples(events={"purchase": {"value": 150, "customerId": "c-1"}})


@pytest.mark.parametrize("text,message,column", [
    ("true AND false", "the platform refuses 'AND': its keywords are lowercase (and)", 6),
    ("true Or false", "the platform refuses 'Or': its keywords are lowercase (or)", 6),
    ("NOT true", "the platform refuses 'NOT': its keywords are lowercase (not)", 1),
    ("@event{purchase.x} IS null", "the platform refuses 'IS': its keywords are lowercase (is)", 20),
    ('IF (true) then (1) else (2)', "the platform refuses 'IF': its keywords are lowercase (if)", 1),
    ("TRUE", "the platform refuses 'TRUE': its keywords are lowercase (true)", 1),
    ('upper("a") + "b"', 'the platform refuses a function call as an operand of + without parentheses: write (upper("a"))', 1),
    ('"id-" + toString(1)', "write (toString(1))", 9),
    ("@{purchase.value} > 1", "legacy syntax @{...}: the platform's editor now writes @event{...}", 1),
    ("@journey{journeyVersionUID}", "@journey{...} is Action Studio's own notation for journey properties", 1),
])
def test_each_rule(text: str, message: str, column: int) -> None:
    warnings = lint(text, SCHEMA)
    assert [w.severity for w in warnings] == ["warning"]
    assert message in warnings[0].message and warnings[0].column == column
    evaluate(text, Context(events={"purchase": {"value": 150}}))  # our engine still runs it


def test_default_value_of_another_type_needs_the_schema() -> None:
    text = "@event{purchase.customerId, defaultValue: 2}"
    assert lint(text) == []
    [warning] = lint(text, SCHEMA)
    assert warning.message.startswith("the defaultValue is integer but the field is string")
    assert warning.column == text.index("2") + 1
    assert lint("@event{purchase.value, defaultValue: 0}", SCHEMA) == []


def test_clean_expressions_and_unreadable_ones_have_no_warnings() -> None:
    assert lint('(upper("a")) + "b" and @event{purchase.value} is not null or not false', SCHEMA) == []
    assert lint("upper(") == []  # parse() reports that one
    assert lint("1 - upper(\"a\")") == []  # only + is refused


def test_several_warnings_come_in_reading_order() -> None:
    assert [w.column for w in lint('@{e.x} AND upper("a") + "b" == "Ab"')] == [1, 8, 12]
