"""compact_encoder gives json.dumps's compact text for every JSON value (and its `default` for others)."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.jsontext import compact_encoder

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=30)


def _dumps(value: object, default: object = None) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=default)  # type: ignore[arg-type]


@given(VALUES)
def test_the_same_text_as_json_dumps(value: object) -> None:
    assert compact_encoder()(value) == _dumps(value)


def test_default_and_errors_as_json_dumps() -> None:
    when = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
    assert compact_encoder(default=str)({"at": when, "n": [1, 2.5]}) == _dumps({"at": when, "n": [1, 2.5]}, str)
    assert compact_encoder()({1: "a", None: "b", 2.5: "c"}) == _dumps({1: "a", None: "b", 2.5: "c"})
    with pytest.raises(TypeError, match="not JSON serializable"):
        compact_encoder()({"at": when})


def test_spaced_separators_give_json_dumps_own_text() -> None:
    """The JSON lines export's encoder: json.dumps's default `, ` and `: `, made once."""
    when = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
    value = {"a": [1, 2.5, -0.0, None, True, {"é": "x\"y\n", "": []}], "at": when, "big": 10**30, "n": {}}
    spaced = compact_encoder(default=str, separators=(", ", ": "))
    assert spaced(value) == json.dumps(value, ensure_ascii=False, default=str)
    assert spaced("\ud800 ü") == json.dumps("\ud800 ü", ensure_ascii=False)
