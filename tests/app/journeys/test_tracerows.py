"""The trace's JSON of a step's values and why: orjson's speed, json_text's text."""
from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.journeys.tracerecords import AttemptTrace, ProfileTrace, StepTrace
from app.journeys.tracerows import RowEncoder, json_text, value_json
from app.masking import MASK, Masker

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


# -- masking: what the call engine masked with the run's masker is not masked twice -------------------
SECRET = "s3cr3t-token-value-0123456789"


def _attempt(body: str, masked: Any = None) -> Any:
    return AttemptTrace(1, "sandbox", "POST", "http://127.0.0.1/x", [("Accept", "*/*")], body, 200, [], body,
                        outcome="http_200", masked=masked)


def _bodies(encoder: Any, attempt: Any) -> tuple[str, str]:
    _, steps = encoder.encode(ProfileTrace(1, "p1", "finished", [StepTrace("call", attempts=[attempt])]))
    after = steps[0][1][0][2]
    return after[0], after[3]


def test_a_record_masked_by_the_runs_masker_as_it_is_now_is_written_as_recorded() -> None:
    masker = Masker([SECRET])
    # The stamp says: masked by this very masker at this version; the text is not scanned again.
    assert _bodies(RowEncoder(masker), _attempt(f"as recorded {SECRET}", (masker, masker.version))) == \
        (f"as recorded {SECRET}", f"as recorded {SECRET}")


def test_a_record_masked_before_the_masker_learnt_a_secret_is_masked_again() -> None:
    masker = Masker()
    stamp = (masker, masker.version)
    masker.add([SECRET])  # a token fetched while the call was under way
    assert _bodies(RowEncoder(masker), _attempt(f"echo {SECRET}", stamp)) == (f"echo {MASK}", f"echo {MASK}")


def test_a_record_of_another_masker_or_unstamped_is_masked() -> None:
    masker, other = Masker([SECRET]), Masker()
    encoder = RowEncoder(masker)
    for attempt in (_attempt(SECRET), _attempt(SECRET, (other, masker.version))):
        assert _bodies(encoder, attempt) == (MASK, MASK)
