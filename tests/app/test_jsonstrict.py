"""Strict JSON reading: NaN, Infinity and overflowing numbers refused with their path and position."""
from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.jsonstrict import loads
from app.model.payload import type_problem


@pytest.mark.parametrize("text, path, line, column", [
    ('{"a": NaN}', "a", 1, 7),
    ('{\n  "items": [\n    {"price": -Infinity}]}', "items[0].price", 3, 15),
    ('[1, 2, Infinity]', "[2]", 1, 8),
    ('{"x": {"y": 1e400}}', "x.y", 1, 13),
    ("NaN", "", 1, 1),
])
def test_refused_with_path_and_position(text: str, path: str, line: int, column: int) -> None:
    with pytest.raises(json.JSONDecodeError) as info:
        loads(text)
    assert (info.value.lineno, info.value.colno) == (line, column)
    assert (f" at {path} " if path else "") in info.value.msg + " "


def test_json_text_that_only_mentions_them_is_fine() -> None:
    assert loads('{"NaN": "Infinity", "n": 1e300, "big": 123456789012345678901234567890}') == {
        "NaN": "Infinity", "n": 1e300, "big": 123456789012345678901234567890}
    assert loads(b'[1.5]') == [1.5]
    with pytest.raises(json.JSONDecodeError, match="Expecting value"):
        loads("[")


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                    | st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=20))
def test_same_as_json_for_real_json(value: object) -> None:
    text = json.dumps(value)
    assert loads(text) == json.loads(text)


def test_values_that_are_not_json_numbers_fail_every_number_type() -> None:
    for ftype in ("decimal", "integer", "listDecimal"):
        for value in (float("nan"), float("inf"), [float("-inf")]):
            assert type_problem(ftype, value)  # type: ignore[arg-type]
    assert "not a JSON number" in (type_problem("decimal", float("nan")) or "")
