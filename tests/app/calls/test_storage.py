"""The history's stored row of a call: the text json would write, made faster, and read back whole."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from app.calls.record import CallResult, RecordedExchange, RecordedRequest, RecordedResponse
from app.calls.storage import iso_text, milliseconds, row, text_of, unpack

JSON = st.recursive(st.none() | st.booleans() | st.integers(-2**63, 2**64 - 1) | st.text()
                    | st.floats(allow_nan=False, allow_infinity=False),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                    max_leaves=12)


def json_text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


@given(JSON)
def test_the_text_reads_back_as_json_writes_it(value: object) -> None:
    assert json.loads(text_of(value)) == json.loads(json_text(value))


def test_what_orjson_refuses_is_written_by_json() -> None:
    for value in ({"n": 2**70}, {1: "a", None: "b"}, ["lone \ud800 surrogate"]):
        assert text_of(value) == json_text(value)


def test_dates_and_strings_as_json_writes_them() -> None:
    when = datetime(2026, 11, 23, 12, 0, 5, 120000, tzinfo=timezone.utc)
    value = {"at": when, "name": "café ☕", "quote": 'say "hi"\n', "n": [1, 2.5, -0.0, 1e16]}
    assert text_of(value) == json_text(value)


@given(st.datetimes(timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=-3, minutes=-30))])))
def test_milliseconds_as_isoformat_gives_them(when: datetime) -> None:
    assert milliseconds(when.isoformat(), when.microsecond) == when.isoformat(timespec="milliseconds")


def test_a_row_holds_the_columns_and_the_whole_call() -> None:
    request = RecordedRequest("POST", "http://x/orders", [("Content-Type", "application/json")], '{"id": "é"}')
    response = RecordedResponse(503, "Service Unavailable", [("retry-after", "1")], '{"error": "busy"}', 4.25, True,
                                4096)
    result = CallResult("notify", "http_503", datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc), 12.345,
                        [RecordedExchange(request, None, "connection failed", 1.5),
                         RecordedExchange(request, response, None, 4.25)],
                        None, "batch", {"customerId": "c-1"}, "/42", {"raw": True})
    stored = row(result)
    assert stored[:9] == ("2026-11-23T12:00:00.000+00:00", "notify", "batch", "http_503", 503, 12.345, "POST",
                          "http://x/orders", None)
    back = unpack(stored[9])
    assert back.to_dict() == {**result.to_dict(), "durationMs": 12.35}


@given(st.datetimes(timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=5, minutes=30))])))
def test_the_iso_text_is_isoformat_s(when: datetime) -> None:
    assert iso_text(when) == when.isoformat()
    assert iso_text(when) == when.isoformat()  # its second's text known now


def test_a_response_timed_apart_from_its_attempt_keeps_its_own_time() -> None:
    request = RecordedRequest("GET", "http://x/", [])
    exchanges = [RecordedExchange(request, RecordedResponse(200, "OK", [], "", 4.256), None, 4.256),
                 RecordedExchange(request, RecordedResponse(200, "OK", [], "", 3.001), None, 9.999)]
    result = CallResult("a", "http_200", datetime(2026, 11, 23, tzinfo=timezone.utc), 1.0, exchanges)
    back = unpack(row(result)[9])
    assert [(ex.elapsed_ms, ex.response.elapsed_ms) for ex in back.exchanges] == [(4.26, 4.26), (10.0, 3.0)]
