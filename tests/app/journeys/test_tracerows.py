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
from app.journeys.tracerows import RowEncoder, Rows, json_text, value_json
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
    rows = Rows()
    encoder.encode([ProfileTrace(1, "p1", "finished", [StepTrace("call", attempts=[attempt])])], rows)
    return rows.attempts[12], rows.attempts[15]  # request_body, response_body


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


# -- a step's values and why: masked together for the profiles encoded at once -------------------------
def _with_values(row: int, values: Any, why: Any = None) -> ProfileTrace:
    return ProfileTrace(row, f"p{row}", "finished", [StepTrace("in", "next", "end", values=values, why=why),
                                                     StepTrace("end")])


def _values_and_whys(rows: Rows) -> list[Any]:
    return [rows.steps[i:i + 13][9:11] for i in range(0, len(rows.steps), 13)]


def test_values_holding_a_secret_are_masked_among_many_that_hold_none() -> None:
    masker = Masker([SECRET, "abc"])
    rows = Rows()
    RowEncoder(masker).encode([_with_values(1, {"a": 1}), _with_values(2, {"token": SECRET}, {"why": "abc-x"}),
                               _with_values(3, {"b": "ab"}, {"c": "c"})], rows)
    assert [v for pair in _values_and_whys(rows) for v in pair if isinstance(v, str)] == \
        ['{"a":1}', '{"token":"********"}', '{"why":"********-x"}', '{"b":"ab"}', '{"c":"c"}']


def test_a_secret_only_made_by_two_texts_side_by_side_masks_neither() -> None:
    """The texts are searched joined: a secret spanning two of them (never in either) changes nothing."""
    masker = Masker(['"}\x00{"'])
    rows = Rows()
    RowEncoder(masker).encode([_with_values(1, {"a": "b"}), _with_values(2, {"c": "d"})], rows)
    assert [pair[0] for pair in _values_and_whys(rows)[::2]] == ['{"a":"b"}', '{"c":"d"}']


def test_a_profile_failing_half_way_leaves_nothing_and_those_before_are_masked() -> None:
    masker = Masker([SECRET])
    encoder, rows = RowEncoder(masker), Rows()
    bad = ProfileTrace(3, "p3", "finished", [StepTrace("in", values={"x": SECRET}, attempts=[
        AttemptTrace(1, "sandbox", "GET", "http://127.0.0.1/x", [("X-New", "set")], outcome="http_200")])])
    bad.error = 404  # type: ignore[assignment]  # not a text: the masker cannot read it, after its steps
    try:
        encoder.encode([_with_values(1, {"a": 1}), _with_values(2, {"s": SECRET}), bad], rows)
    except TypeError:
        pass
    assert rows.count == 2 and len(rows.profiles) == 2 * 11 and len(rows.steps) == 4 * 13 and not rows.attempts
    assert not rows.parts and encoder.parts == {} and (encoder.seq, encoder.step_id, encoder.attempt_id) == (2, 4, 0)
    assert rows.steps[2 * 13 + 9] == '{"s":"********"}'


def test_holds_secret_says_whether_masking_changes_a_text() -> None:
    masker = Masker([SECRET, "Bearer abcdef123"])
    for text in ("", "nothing here", f"x{SECRET}y", "abcdef123", "Bearer abcdef12"):
        assert masker.holds_secret(text) == (masker.text(text) != text), text
    assert not Masker().holds_secret(SECRET)


@given(st.lists(st.tuples(st.text(), st.text()), max_size=6))
def test_a_header_set_is_json_texts_pairs(headers: list[tuple[str, str]]) -> None:
    """Request and response header sets are stored as json_text writes their pairs (lists of two), the
    value of a secret-named header masked (hypothesis draws names such as "SECRET" from the sources)."""
    shown = Masker().headers(headers)
    assert [name for name, _ in shown] == [name for name, _ in headers]
    assert RowEncoder(Masker())._headers_json(headers) == json_text([list(pair) for pair in shown])
