"""The trace's JSON of a step's values and why: orjson's speed, json_text's text."""
from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.journeys.tracerows import json_text, value_json

# Floats whose repr has no negative exponent: the text is then the same, not only the value.
_FLOATS = st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: "e-" not in repr(f))
_SCALARS = st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | _FLOATS | st.text()
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner,
                                                                                             max_size=4), max_leaves=20)


@given(_VALUES)
def test_the_text_is_json_texts(value: Any) -> None:
    assert value_json(value) == json_text(value)


def test_what_orjson_would_write_its_own_way_is_json_texts() -> None:
    when = datetime(2026, 11, 28, 3, 44, 12, tzinfo=timezone.utc)
    for value in ({"at": when}, {"n": Decimal("1.10")}, {"big": 2**70}, {1: "int key"}, {"x": math.nan},
                  {"x": [math.inf, -math.inf]}, {"surrogate": "\udc80"}, {"null": None}):
        assert value_json(value) == json_text(value), value


def test_tiny_floats_read_back_the_same() -> None:
    value = {"small": 1e-05, "smaller": 2.5e-07, "list": [5e-324]}
    assert json.loads(value_json(value)) == value
