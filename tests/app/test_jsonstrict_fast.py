"""jsonstrict reads through orjson first: the same values (types, -0.0, big integers) and, for what
it refuses, the same errors as the json path it replaced (property tests)."""
from __future__ import annotations

import json
from typing import Any, Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from app import jsonstrict


def outcome(read: Callable[[Any], Any], text: Any) -> str:
    try:
        return "value " + repr(read(text))  # repr tells 1 from 1.0 and -0.0 from 0.0
    except ValueError as exc:
        return f"error {type(exc).__name__} {exc}"


def json_path(text: Any) -> str:
    fast, jsonstrict._fast = jsonstrict._fast, lambda _text: jsonstrict._MISS
    try:
        return outcome(jsonstrict.loads, text)
    finally:
        jsonstrict._fast = fast


SCALARS = (st.none() | st.booleans() | st.integers() | st.integers(min_value=-10**40, max_value=10**40)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=8))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(value=VALUES, ascii_only=st.booleans(), indent=st.sampled_from([None, 2]), as_bytes=st.booleans())
def test_documents_read_the_same(value: Any, ascii_only: bool, indent: Any, as_bytes: bool) -> None:
    text: Any = json.dumps(value, ensure_ascii=ascii_only, indent=indent)  # NaN and Infinity written as such
    if as_bytes:
        text = text.encode("utf-8", "surrogatepass")
    assert outcome(jsonstrict.loads, text) == json_path(text)


@settings(max_examples=400, deadline=None)
@given(text=st.text(st.sampled_from(list('{}[]",:0123456789.eE-+ntrufalsNIy \\\n') + ["\ufeff", "\ud800", "é"]),
                    max_size=24))
def test_any_text_reads_or_fails_the_same(text: str) -> None:
    assert outcome(jsonstrict.loads, text) == json_path(text)


def test_the_edges_orjson_reads_differently_take_the_json_path() -> None:
    for text in ("123456789012345678901234567890", '{"a": 1e400}', "NaN", '"\\ud800"', "\ufeff{}", '{"a":1,"a":2}',
                 "-0", "[1,]"):
        assert outcome(jsonstrict.loads, text) == json_path(text), text
    assert jsonstrict.loads("123456789012345678901234567890") == 123456789012345678901234567890
