"""parse(): positions, expected tokens and carets for bad input; references; and, fuzzed, never anything
but ExprError (and evaluation never anything but EvalError)."""
from __future__ import annotations

import tomllib
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.journeys.expr import Context, EvalError, ExprError, Ref, evaluate, parse


def error_of(text: str) -> ExprError:
    with pytest.raises(ExprError) as info:
        parse(text)
    return info.value


def test_syntax_error_has_line_column_expected_and_caret() -> None:
    err = error_of('@event{purchase.value} >\n  100 + "x" )')
    assert (err.line, err.column) == (2, 13)
    assert err.excerpt == '  100 + "x" )\n            ^'
    assert err.message == "unexpected ')'" and "the end of the expression" in err.expected
    assert err.span == (37, 38)


def test_end_of_input_says_what_could_come() -> None:
    err = error_of("1 +")
    assert err.message == "the expression ends too early"
    assert (err.line, err.column) == (1, 4)
    assert {"a number", "a string", "(", "a function name"} <= set(err.expected)


@pytest.mark.parametrize("text,needle", [
    ('@event{a.b} = 1', "compare with =="),
    ("@event{a.b} == 1 && true", "write and"),
    ('if 1 > 2 then "a" else "b"', "parentheses required"),
    ("", "empty"),
    ("   ", "empty"),
    ("'unterminated", "unexpected character"),
    ("@profile{a.b}", "unknown reference @profile{"),
    ("#{ExperiencePlatform}", "#{ExperiencePlatform.<FieldGroup>.profile.<path>}"),
    ("@event{a.items.each(1)}", "unknown collection function .each()"),
    ("@event{a.items.at()}", ".at() takes 1 argument, got 0"),
    ('"bad \\q escape"', "unknown escape \\q"),
    ("9223372036854775808", "out of the integer range"),
    ("1 < 2 < 3", "unexpected"),
])
def test_messages_say_what_is_wrong(text: str, needle: str) -> None:
    assert needle in error_of(text).message


def test_the_smallest_integer_literal_fits() -> None:
    assert evaluate("-9223372036854775808", Context()).value == -(2 ** 63)


@pytest.mark.parametrize("name,platform", [
    ("toUpperCase", "upper"), ("toLowerCase", "lower"), ("contains", "contain"), ("startsWith", "startWith"),
    ("Upper", "upper"), ("listsize", "listSize"), ("inSegment", "inAudience"),
])
def test_unknown_function_names_the_platforms_one(name: str, platform: str) -> None:
    err = error_of(f'{name}("abc")')
    assert err.message == f"unknown function {name!r}: the platform's name is {platform}"
    assert err.span == (0, len(name)) and err.excerpt.endswith("^" * len(name))


def test_unknown_function_without_a_likely_name() -> None:
    assert error_of("frobnicate(1)").message == "unknown function 'frobnicate'"
    assert "is null" in error_of("isNull(1)").message


def test_wrong_argument_count_names_the_function() -> None:
    err = error_of('upper("a", "b")')
    assert err.message == "upper takes 1 argument, got 2" and err.span == (0, 15)
    assert error_of("limit([1])").message == "limit takes 2 to 3 arguments, got 1"


def test_keywords_parse_in_any_case_and_names_that_start_like_keywords_are_names() -> None:
    assert evaluate("TRUE AND NOT false", Context()).value is True
    assert evaluate('isEmpty("") or false', Context()).value is True
    assert error_of("android(1)").message == "unknown function 'android'"
    assert evaluate("@event{e.and} is null", Context(events={"e": {"and": 1}})).value is False


def test_references_in_reading_order() -> None:
    text = ('@event{purchase.items.all(currentEventField.price > 2).sku} + #{ExperiencePlatform.G.profile.person.age, '
            'defaultValue: @action{A.errorResponse.code}} + @journey{journeyVersionUID} + @{legacyEvent.x}')
    refs = parse(text).references()
    assert [(r.kind, r.name, r.path, r.has_default) for r in refs] == [
        ("event", "purchase", ("items", "sku"), False),
        ("current", "currentEventField", ("price",), False),
        ("profile", "G", ("person", "age"), True),
        ("action", "A", ("errorResponse", "code"), False),
        ("journey", "journeyVersionUID", (), False),
        ("legacy", "legacyEvent", ("x",), False),
    ]
    assert refs[2].source == "ExperiencePlatform"
    assert text[refs[0].span[0]:refs[0].span[1]].startswith("@event{purchase")
    assert isinstance(refs[0], Ref)


def test_quoted_segments() -> None:
    ref = parse("#{OpenWeather.weatherData.rain.'3h'} > 0").references()[0]
    assert (ref.source, ref.name, ref.path) == ("OpenWeather", "weatherData", ("rain", "3h"))
    ctx = Context(profile={"weatherData": {"rain": {"3h": 2}}})
    assert evaluate("#{OpenWeather.weatherData.rain.'3h'} > 0", ctx).value is True


def test_parse_is_cached_by_text() -> None:
    assert parse("1 + 1") is parse("1 + 1")


ALPHABET = list("@#{}()[].,:'\" +-*/%<>=!\n") + ["and", "or", "not", "is", "null", "if", "then", "else", "true",
                                                   "event", "defaultValue", "upper", "count", "1", "2.5", "x", "AND"]
FRAGMENTS = st.lists(st.sampled_from(ALPHABET + ["@event{e.", "#{ExperiencePlatform.G.profile.", "currentEventField.",
                                                 "toDateTime(", '"2024-01-01"', ".all(", "toDuration("]),
                     max_size=25).map("".join)


def _clock() -> Context:
    return Context(events={"e": {"x": 1, "items": [{"x": 2}]}}, now=datetime(2024, 1, 1, tzinfo=timezone.utc))


def _check(text: str) -> None:
    try:
        expr = parse(text)
    except ExprError as err:
        assert err.line >= 1 and err.column >= 1 and "^" in err.excerpt
        assert 0 <= err.span[0] <= err.span[1] <= len(text)
        return
    try:
        evaluate(expr, _clock())
    except EvalError as err:
        assert 0 <= err.span[0] <= err.span[1] <= len(text) and err.message


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(max_size=40))
def test_any_text_parses_or_raises_expr_error(text: str) -> None:
    _check(text)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(FRAGMENTS)
def test_expression_like_text_parses_or_raises_expr_error_and_evaluates_or_raises_eval_error(text: str) -> None:
    _check(text)


@pytest.mark.parametrize("text", ["(" * 5000 + "1" + ")" * 5000, "-" * 5000 + "1", "not " * 3000 + "true",
                                  "upper(" * 150 + '"a"' + ")" * 150, "[" * 300 + "]" * 300])
def test_deep_nesting_is_an_expr_error_not_a_crash(text: str) -> None:
    assert "nested too deeply" in error_of(text).message


def test_reasonable_nesting_evaluates() -> None:
    assert evaluate("(" * 60 + "1" + ")" * 60 + " + 1", Context()).value == 2


def test_the_grammar_ships_as_package_data() -> None:
    pyproject = tomllib.loads((Path(__file__).resolve().parents[4] / "pyproject.toml").read_text("utf-8"))
    assert "*.lark" in pyproject["tool"]["setuptools"]["package-data"]["*"]
