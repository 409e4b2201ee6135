"""A cell's typing takes short ways for the common cells (digits, one audience name, a plain text): the
same verdict and value as the rules they shortcut (the cell patterns, the audience split), for any text."""
from __future__ import annotations

import re
from typing import Any, Callable

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.journeys import cells
from app.journeys.profiles import _AUDIENCE_SPLIT, _audiences, _Rejected

# Digits of several scripts, signs, points, exponents, spaces and separators: where the short ways end.
TEXTS = st.one_of(st.text(alphabet="0123456789٣٤.+-eE _|;[]ab \t", max_size=8), st.text(max_size=6),
                  st.sampled_from(["4021", " 12 ", "53.11", "53.", ".5", "1e5", "٣٤", "١.٥", "+1", "-0.5", "1_0",
                                   "nan", "inf", "0012", "vip", " vip ", "a|b", "a;b", '["x"]', " [", ""]))


def _outcome(convert: Callable[[str], Any], text: str) -> tuple[str, Any]:
    try:
        value = convert(text)
    except cells.CellError as exc:
        return "refused", str(exc)
    return type(value).__name__, value


def _by_pattern(pattern: re.Pattern[str], make: Callable[[str], Any], what: str) -> Callable[[str], Any]:
    """The rule: the pattern on the stripped text, then the value of that text."""
    def convert(text: str) -> Any:
        if not pattern.fullmatch(text.strip()):
            raise cells.CellError(f"expected {what}, got {text[:40]!r}")
        value = make(text.strip())
        if type(value) is int and not -cells._INT64 <= value < cells._INT64:
            raise cells.CellError(f"the integer {value} does not fit in 64 bits")
        return value
    return convert


@settings(max_examples=500, deadline=None)
@given(TEXTS)
@example("0\x1f")  # str.strip() takes \x1c-\x1f off, int() and float() do not: a ValueError, not a CellError
@example("\x1e1.5")
def test_integers_and_decimals_are_typed_as_their_patterns_say(text: str) -> None:
    assert _outcome(cells._integer, text) == _outcome(_by_pattern(cells._INT, int, "an integer"), text)
    assert _outcome(cells._decimal, text) == _outcome(_by_pattern(cells._DECIMAL, float, "a number"), text)


@settings(max_examples=500, deadline=None)
@given(TEXTS)
def test_audiences_are_split_as_the_rule_says(text: str) -> None:
    def by_rule(value: str) -> Any:
        if value.lstrip().startswith("["):
            return "json"  # a JSON list: read by json.loads, not split
        return [a.strip() for a in _AUDIENCE_SPLIT.split(value) if a.strip()]
    try:
        got: Any = _audiences(text)
    except _Rejected:
        got = "json"
    expected = by_rule(text)
    assert got == expected or (expected == "json" and isinstance(got, list) and text.lstrip().startswith("["))


@settings(max_examples=500, deadline=None)
@given(TEXTS)
def test_a_text_guess_leaves_as_it_is_starts_with_none_of_what_it_types(text: str) -> None:
    if text and text[0] not in cells.GUESSED_FIRST and not text[0].isdecimal():
        assert cells.guess(text) is text


@pytest.mark.parametrize("text, value", [("4021", 4021), (" 12 ", 12), ("٣٤", 34), ("0\x1f", 0), ("\x1c7", 7)])
def test_digits_alone_are_integers(text: str, value: int) -> None:
    assert cells._integer(text) == value
