"""Evaluation: operators and their type rules, null semantics, errors with the failing sub-expression's
span, the virtual clock and time zone, explain()."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from app.journeys.expr import Context, EvalError, evaluate, explain, parse
from app.journeys.expr.evaluation import explain_json
from tests.app.journeys.expr.conftest import make_context


def value(text: str, ctx: Context | None = None) -> object:
    return evaluate(text, ctx or make_context()).to_json()


def failure(text: str, ctx: Context | None = None) -> EvalError:
    with pytest.raises(EvalError) as info:
        evaluate(text, ctx or make_context())
    return info.value


@pytest.mark.parametrize("text,expected", [
    ("1 + 2 * 3", 7), ("(1 + 2) * 3", 9), ("10 - 2 - 3", 5), ("2 * 3 % 4", 2), ("-2 * -3", 6),
    ("7 / 2", 3), ("-7 / 2", -3), ("1 / 0", 0), ("1.5 / 0", 0.0), ("5 % 0", 0), ("5.5 % 2", 1.5),
    ('"a" + "b"', "ab"), ('"n=" + 1.5', "n=1.5"), ('true + "!"', "true!"), ('"d: " + date("2024-01-02")', "d: 2024-01-02"),
    ("1 == 1.0", True), ('1 == "1"', False), ("true == 1", False), ("[1, 2] == [1, 2]", True),
    ('toDateTime("2024-01-01T01:00:00+01:00") == toDateTime("2024-01-01T00:00:00Z")', True),
    ('@event{purchase.ts} < now()', True), ('@event{purchase.ts} == toDateTime("2024-03-09T08:30:00Z")', True),
    ('date("2024-01-01") < date("2024-01-02")', True), ('toDuration("PT1H") > toDuration("PT59M")', True),
    ("1 < 2 and 2 < 3 or false", True), ("not true or true", True), ("not (true or true)", False),
    ('toDuration("PT1H") + toDuration("PT30M")', "PT1H30M"), ('-toDuration("PT1H")', "-PT1H"),
])
def test_operators(text: str, expected: object) -> None:
    assert value(text) == expected


def test_integers_are_64_bit() -> None:
    assert value("9223372036854775807") == 2 ** 63 - 1
    err = failure("9223372036854775807 + 1")
    assert "integer overflow" in err.message and err.span == (0, 23)
    assert value("9223372036854775807 + 1.0") == pytest.approx(2.0 ** 63)


@pytest.mark.parametrize("text,result", [
    ("@event{purchase.nothing} + 1", None), ('upper(@event{purchase.nothing})', None),
    ("@event{purchase.nothing} > 1", False), ("@event{purchase.nothing} < 1", False),
    ("@event{purchase.nothing} == 1", False), ("@event{purchase.nothing} != 1", True),
    ("@event{purchase.nothing} and true", False), ("not @event{purchase.nothing}", True),
    ("@event{nosuchevent.x}", None), ("@event{purchase.value.deeper}", None),
    ('if (@event{purchase.nothing}) then ("yes") else ("no")', "no"),
    ("@event{purchase.nothing, defaultValue: 3} + 1", 4), ("@event{purchase.value, defaultValue: 3}", 150),
])
def test_null_semantics(text: str, result: object) -> None:
    assert value(text) == result


@pytest.mark.parametrize("text,message,sub", [
    ('"abc" > 1', "> compares numbers with numbers and dates with dates, not string with integer", '"abc" > 1'),
    ('1 + (true * 2)', "cannot multiply boolean and integer: both must be numbers", "true * 2"),
    ('@event{purchase.value} and true', "'and' expects true or false, got integer", "@event{purchase.value}"),
    ('upper(@event{purchase.value})', "upper expects a string, got integer", "upper(@event{purchase.value})"),
    ('toDateTime("yesterday")', "'yesterday' is not an ISO 8601 date or date-time", 'toDateTime("yesterday")'),
    ('toDuration("P1M")', "months and years vary in length", 'toDuration("P1M")'),
    ('1 + toDecimal("NaN")', "toDecimal: 'NaN' is not a number", 'toDecimal("NaN")'),
    ('substr("abc", 1, 9)', "substr: 1 to 9 is outside the string (length 3)", 'substr("abc", 1, 9)'),
    ('now("Mars/Olympus")', "unknown time zone 'Mars/Olympus'", 'now("Mars/Olympus")'),
    ('toDateTime("2024-01-01T00:00:00Z") - toDuration("PT1H")', "only + moves a date",
     'toDateTime("2024-01-01T00:00:00Z") - toDuration("PT1H")'),
    ('@event{purchase.value.all(currentEventField > 1)}', ".all() works on a list, got integer", "all(currentEventField > 1)"),
    ('matchRegExp("a", "(")', "invalid regular expression", 'matchRegExp("a", "(")'),
    ('setDays(date("2023-02-01"), 30)', "2023-02 has no day 30", 'setDays(date("2023-02-01"), 30)'),
    ('if (1) then (2) else (3)', "if expects true or false, got integer", "1"),
])
def test_errors_name_the_failing_sub_expression(text: str, message: str, sub: str) -> None:
    err = failure(text)
    assert message in err.message
    assert text[err.span[0]:err.span[1]] == sub
    assert err.line == 1 and err.column == err.span[0] + 1 and "^" in err.excerpt


def test_error_positions_on_later_lines_and_the_runner_sets_the_profile() -> None:
    err = failure('@event{purchase.value} > 1\n  and upper(1) == "1"')
    assert (err.line, err.column) == (2, 7)
    err.profile = "p-17"
    assert str(err).endswith("(profile p-17)")


def test_current_item_outside_a_collection_is_an_error() -> None:
    err = failure("currentEventField.x == 1")
    assert "only" in err.message or "no value outside" in err.message
    assert err.span == (0, 19)


def test_nested_collections_and_defaults_inside_conditions() -> None:
    ctx = make_context(events={"o": {"orders": [{"lines": [{"p": 5}, {"p": 50}]}, {"lines": [{"p": 1}]}]}})
    assert value("count(@event{o.orders.all(count(currentEventField.lines.p) > 1).lines})", ctx) == 1
    assert value("@event{o.orders.first(currentEventField.missing == 1)}", ctx) is None


def test_the_virtual_clock_and_the_journeys_time_zone() -> None:
    ctx = make_context(now=datetime(2024, 6, 1, 22, 30, tzinfo=timezone.utc), tz="Asia/Tokyo")
    assert value("now()", ctx) == "2024-06-01T22:30:00Z"
    assert value('toDateTime("2024-06-02T08:00")', ctx) == "2024-06-02T08:00:00+09:00"  # no offset: journey's zone
    assert value('toDateTimeOnly("2024-06-02T08:00") > now()', ctx) is True  # 08:00 in Tokyo is 23:00Z
    assert value('toDateTimeOnly("2024-06-02T07:00") > now()', ctx) is False
    assert value('inLastDays(date("2024-06-01"), 0)', ctx) is False  # it is already June 2nd in Tokyo
    assert value('inLastDays(date("2024-06-02"), 0)', ctx) is True


def test_action_responses_and_the_error_response_on_an_error_path() -> None:
    ctx = make_context(actions={"A": {"jo_status_code": "http_503"}}, error_response={"code": "E42"})
    assert value('@action{A.jo_status_code} == "http_503" and @action{A.errorResponse.code} == "E42"', ctx) is True
    assert value("@action{A.errorResponse.code}", make_context(actions={"A": {"jo_status_code": "timedout"}})) is None


def test_explain_gives_each_comparison_with_its_operands() -> None:
    ctx = make_context()
    result, comparisons = explain('@event{purchase.value} > 100 and @event{purchase.nothing} is null', ctx)
    assert result.value is True
    assert [(c.text, [(o.text, o.value.to_json()) for o in c.operands], c.result) for c in comparisons] == [
        ("@event{purchase.value} > 100", [("@event{purchase.value}", 150), ("100", 100)], True),
        ("@event{purchase.nothing} is null", [("@event{purchase.nothing}", None)], True),
    ]
    assert ctx.trace is None
    _, short = explain("1 > 2 and 3 > 2", ctx)
    assert [c.text for c in short] == ["1 > 2"]  # the right side was never evaluated


@pytest.mark.parametrize("text", ['@event{purchase.value} > 100 and @event{purchase.nothing} is null',
                                  '@event{purchase.value} == 150.0 or toDateTime("2026-01-01T00:00:00Z") < now()',
                                  'not (@event{purchase.value} < 100)', "1 > 2 and 3 > 2", "true",
                                  '"abc" == "abc" and (1 > 2) == false', 'toDateOnly("2026-01-01") is not null'])
def test_explain_json_is_explain_as_a_trace_records_it(text: str) -> None:
    # What a condition step's `why` holds (app.journeys.steps), made without explain()'s tuples.
    expr = parse(text)
    result, comparisons = explain(expr, make_context())
    value, records = explain_json(expr, make_context())
    assert value == result.value and type(value) is type(result.value)
    assert records == [{"text": c.text, "result": c.result,
                        "operands": [{"text": o.text, "value": o.value.to_json(), "type": o.value.type}
                                     for o in c.operands]} for c in comparisons]


def test_an_expression_is_compiled_once_and_reused_across_contexts() -> None:
    expr = parse("@event{purchase.value} * 2")
    first = expr.compiled
    assert [expr.evaluate(make_context(events={"purchase": {"value": n}})).value for n in (1, 2, 3)] == [2, 4, 6]
    assert expr.compiled is first
