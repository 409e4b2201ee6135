"""A header's unrolled row function (app.journeys.csvrow) gives what the loop (ProfileSource._csv_row) gives,
row for row and rejection for rejection, on random headers and cells; the headers it does not take are
read by the loop."""
from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from app.journeys.csvrow import compiled_row
from app.journeys.model import EventNode
from app.journeys.profiles import ProfileSource

EXAMPLE = {"customerId": "c-1", "value": 1.5, "when": "2026-01-01T00:00:00Z", "props": {"brand": "x"}}
COLUMNS = ["profileId", "audiences", "event.customerId", "event.value", "event.when", "event.props.brand",
           "event.extra", "person.name.first", "person.name.last", "person.age:integer", "loyalty", "loyalty.tier",
           "profile.tier", "tier", "flag:boolean", "score:decimal", "born:dateOnly", "doc:object", "a..b"]
CELLS = st.one_of(st.sampled_from(["", "p-1", "12", "0012", "1.5", "-3", "true", "abc", "2026-02-03",
                                   "2026-02-03T04:05:06Z", "1,299", '{"k": 1}', "null", "a|b", '["x"]', '["x", ',
                                   "\udcff", "NaN", "99999999999999999999", " 7 "]),
                  st.text(max_size=6))


def _source() -> ProfileSource:
    event = EventNode.model_construct(id="in", event="purchase", example=EXAMPLE)
    return ProfileSource(io.BytesIO(b""), event, fmt="csv")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=7, unique=True).flatmap(
    lambda header: st.tuples(st.just(header), st.lists(st.lists(CELLS, min_size=len(header) - 1,
                                                                max_size=len(header) + 1), min_size=1, max_size=4))))
def test_the_unrolled_row_gives_what_the_loop_gives(case: tuple[list[str], list[list[str]]]) -> None:
    header, rows = case
    source = _source()
    plan = source._csv_plan(header)
    row_of = compiled_row(plan, source._example_copy)
    for n, cells in enumerate(rows, 1):
        expected = source._csv_row(n, n + 1, plan, cells)
        got = row_of(n, n + 1, cells) if row_of is not None else expected
        assert got == expected
        assert type(got) is type(expected)


def test_the_sample_header_is_unrolled_and_a_header_with_a_path_inside_another_is_not() -> None:
    sample = ["profileId", "event.customerId", "event.value", "person.name.first", "person.name.last",
              "loyalty.points:integer", "audiences"]
    source = _source()
    assert compiled_row(source._csv_plan(sample), source._example_copy) is not None
    for header in (["loyalty", "loyalty.tier"], ["tier", "profile.tier"], ["event.props.brand"], ["a..b"]):
        assert compiled_row(source._csv_plan(header), source._example_copy) is None, header
