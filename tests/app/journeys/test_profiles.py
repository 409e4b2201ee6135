"""Profile input: CSV, JSON lines and JSON arrays streamed; bad rows rejected with row and column."""
from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.journeys.model import EventNode
from app.journeys.profiles import ProfileRow, ProfilesError, ProfileSource, Rejection
from tests.helpers.forks import ForkServer

REPO = Path(__file__).resolve().parents[3]
EVENT = EventNode(id="in", event="purchase", example={
    "value": 239.85, "currency": "USD", "at": "2026-01-01T00:00:00Z", "items": [{"sku": "a"}], "qty": 1})


def _read(data: bytes | str, fmt: str | None = None) -> list:
    raw = data.encode() if isinstance(data, str) else data
    with ProfileSource(io.BytesIO(raw), EVENT, fmt) as source:
        items = list(source)
        assert source.rows == len(items) and source.rejected == sum(isinstance(i, Rejection) for i in items)
    return items


def test_csv_rows_give_profile_event_and_audiences() -> None:
    text = ("profileId,event.value,event.qty,age:integer,person.name.first,profile.zip,audiences,event.items\n"
            'p1,120,2,33,Ann,02134,vip|gold,"[{""sku"": ""b""}]"\n'
            "p2,,,,,,,\n")
    first, second = _read(text)
    assert first == ProfileRow(1, 2, "p1", {"age": 33, "person": {"name": {"first": "Ann"}}, "zip": "02134"},
                               ["vip", "gold"], {**EVENT.example, "value": 120.0, "qty": 2, "items": [{"sku": "b"}]})
    assert second.profile_id == "p2" and second.event == EVENT.example and second.attributes == {}
    second.event["items"].append("x")
    assert EVENT.example["items"] == [{"sku": "a"}]  # each row has its own copy of the example


def test_csv_bad_cells_are_rejected_with_row_line_and_column_and_reading_goes_on() -> None:
    text = ("profileId,event.value,age:integer,event.at,flag:boolean\n"
            "a,abc,1,,\n"
            "b,1,1.5,,\n"
            "\n"
            "c,1,1,yesterday,\n"
            "d,1,1\n"
            "e,1,1,,maybe\n"
            'f,"1\n2",1,,\n'
            "g,2,99999999999999999999,,\n"
            "h,3,4,2026-02-02T10:00:00+01:00,TRUE\n")
    items = _read(text)
    assert [str(i) for i in items if isinstance(i, Rejection)] == [
        "row 1 (line 2), column event.value: expected a number, got 'abc'",
        "row 2 (line 3), column age: expected an integer, got '1.5'",
        "row 3 (line 5), column event.at: expected a date-time (ISO 8601), got the string 'yesterday'",
        "row 4 (line 6): 3 cells where the header has 5",
        "row 5 (line 7), column flag: expected true or false, got 'maybe'",
        "row 6 (line 8), column event.value: expected a number, got '1\\n2'",
        "row 7 (line 10), column age: the integer 99999999999999999999 does not fit in 64 bits",
    ]
    last = items[-1]
    assert isinstance(last, ProfileRow) and last.row == 8 and last.line == 11 and last.attributes["flag"] is True


def test_untyped_cells_are_guessed_cautiously() -> None:
    (row,) = _read("n,d,zip,t,big,s\n42,1.5,007,true,1e5,hello\n")
    assert row.attributes == {"n": 42, "d": 1.5, "zip": "007", "t": True, "big": "1e5", "s": "hello"}


def test_a_byte_order_mark_and_bad_utf8_in_one_row() -> None:
    items = _read(b"\xef\xbb\xbfprofileId,name\np1,Ann\np2,\xff\xfe\np3,Zo\xc3\xa9\n")
    assert [i.profile_id for i in items if isinstance(i, ProfileRow)] == ["p1", "p3"]
    assert items[2].attributes == {"name": "Zoé"}
    assert str(items[1]) == "row 2 (line 3), column name: not UTF-8 text"


def test_header_problems_refuse_the_file() -> None:
    with pytest.raises(ProfilesError, match="unknown type 'int'"):
        _read("age:int\n1\n")
    with pytest.raises(ProfilesError, match="'a' appears twice"):
        _read("a,b,a\n1,2,3\n")


def test_json_lines_and_nesting() -> None:
    text = ('{"profileId": 7, "profile": {"person": {"age": 40}}, "event": {"value": 99}, "audiences": ["x"]}\n'
            "\n"
            '{"event.value": "cheap"}\n'
            "[1]\n"
            '{"broken": \n'
            '{"audiences": "a;b", "loyalty.tier": "gold", "event": {"extra": {"n": 1}}}\n')
    items = _read(text)
    assert items[0] == ProfileRow(1, 1, "7", {"person": {"age": 40}}, ["x"], {**EVENT.example, "value": 99})
    assert str(items[1]) == "row 2 (line 3), column event.value: expected a number, got the string 'cheap'"
    assert str(items[2]) == "row 3 (line 4): a row must be a JSON object"
    assert str(items[3]).startswith("row 4 (line 5): not valid JSON: Expecting value")
    assert items[4].attributes == {"loyalty": {"tier": "gold"}} and items[4].audiences == ["a", "b"]
    assert items[4].event["extra"] == {"n": 1}


def test_json_array_items_and_errors() -> None:
    rows = [{"profileId": f"p{i}", "event": {"value": i}} for i in range(3)]
    items = _read(json.dumps(rows, indent=2))
    assert [i.profile_id for i in items] == ["p0", "p1", "p2"] and [i.line for i in items] == [2, 8, 14]
    assert _read("[]") == [] and _read("  \n") == []
    bad = _read('[{"profileId": "a"},\n {"b": },\n {"c": 1}]')
    assert bad[0].profile_id == "a"
    assert str(bad[1]) == "row 2 (line 2): not valid JSON: Expecting value (line 2); the rest of the file cannot be read"
    assert len(bad) == 2
    assert str(_read('[{"a": 1} {"b": 2}]')[1]).endswith("expected ',' or ']' after row 1, found '{'; "
                                                         "the rest cannot be read")
    assert str(_read('[{"a": 1},')[1]) == "row 2 (line 1): the array is not closed (the file ends early)"
    with pytest.raises(ProfilesError, match="must be an array"):
        _read('"text"', "json")


def test_an_item_across_chunk_boundaries() -> None:
    big = {"profileId": "big", "note": "x" * 200_000, "event": {"value": 1}}
    items = _read(json.dumps([{"profileId": "a"}, big, {"profileId": "b"}]))
    assert [i.profile_id for i in items] == ["a", "big", "b"] and len(items[1].attributes["note"]) == 200_000


def test_format_from_the_extension_or_the_content(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text("profileId\n{x}\n")
    (tmp_path / "p.txt").write_text('{"profileId": "j"}\n')
    with ProfileSource.open(tmp_path / "p.csv", EVENT) as source:
        assert source.format == "csv" and [i.profile_id for i in source] == ["{x}"]
    with ProfileSource.open(tmp_path / "p.txt", EVENT) as source:
        assert source.format == "jsonl" and [i.profile_id for i in source] == ["j"]
    with pytest.raises(ProfilesError, match="no such file"):
        ProfileSource.open(tmp_path / "missing.csv", EVENT)


_MEASURE = """
import json, resource, sys
from app.journeys.model import EventNode
from app.journeys.profiles import ProfileRow, ProfileSource
event = EventNode(id="in", event="purchase", example={"value": 1.5, "at": "2026-01-01T00:00:00Z"})
count, early = 0, 0
with ProfileSource.open(sys.argv[1], event) as source:
    for item in source:
        count += isinstance(item, ProfileRow)
        if count == 1000:
            early = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps([count, early, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]))
"""


@pytest.fixture(scope="module")
def measurer() -> Iterator[ForkServer]:
    """The measuring processes, forked from a parent that imported the profile reader (tests/helpers/forks.py)
    instead of a new Python each (~0.2 s of CPU of imports). A fork's ru_maxrss is its own peak from the fork
    on, as a new process's from its start; the parent's imports are frozen (gc.freeze), so the child's
    collector never writes to their pages."""
    with ForkServer(dict(os.environ, PYTHONPATH=str(REPO)), ("app.journeys.model", "app.journeys.profiles")) as server:
        yield server


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_memory_stays_flat_over_100000_rows(tmp_path: Path, fmt: str, measurer: ForkServer) -> None:
    """Peak memory after 1,000 rows and after 100,000 (in a process of its own: ru_maxrss is a peak)."""
    path = tmp_path / f"many.{fmt}"
    with path.open("w") as out:
        if fmt == "csv":
            out.write("profileId,event.value,tier,n:integer\n")
            out.writelines(f"p{i},{i % 500}.5,gold,{i}\n" for i in range(100_000))
        else:
            # json.dumps's text of {"profileId": f"p{i}", "event": {"value": i % 500}, "n": i}, formatted
            # (100,000 json.dumps calls: 0.34 s of CPU; formatted: 0.04)
            out.write("[\n" + ",\n".join(f'{{"profileId": "p{i}", "event": {{"value": {i % 500}}}, "n": {i}}}'
                                         for i in range(100_000)) + "\n]\n")
    child = measurer.start(_MEASURE, str(path))
    stdout, stderr = child.communicate()
    assert child.returncode == 0, stderr
    count, early, peak = json.loads(stdout)
    assert count == 100_000
    # 100,000 rows kept would cost tens of MB; streaming adds at most a few chunks (kB, in MB units).
    assert (peak - early) / 1024 < 8, f"{(peak - early) / 1024:.1f} MB more after 99,000 more rows"


@settings(max_examples=300, deadline=None)
@given(data=st.one_of(st.binary(max_size=300), st.text(alphabet='[]{},:"\\ \n\r\tab01.-e|;', max_size=200).map(str.encode)),
       fmt=st.sampled_from([None, "csv", "jsonl", "json"]))
def test_any_input_gives_rows_or_rejections_never_a_crash(data: bytes, fmt: str | None) -> None:
    """Whatever the bytes: rows and rejections that add up, or ProfilesError for the file as a whole."""
    try:
        with ProfileSource(io.BytesIO(data), EVENT, fmt) as source:
            items = list(source)
    except ProfilesError:
        return
    assert all(isinstance(i, (ProfileRow, Rejection)) for i in items)
    assert [i.row for i in items] == list(range(1, len(items) + 1))


def test_an_empty_name_in_a_dotted_column_rejects_every_row_that_fills_it() -> None:
    # The split of a column's path is remembered for the next rows: only a valid one, so the second
    # row is rejected as the first was.
    first, second, third = _read("profileId,person..name\np1,Ann\np2,Bob\np3,\n")
    for item, row in ((first, 1), (second, 2)):
        assert isinstance(item, Rejection) and item.row == row and item.column == "person..name"
        assert "an empty name in the dotted path" in str(item)
    assert isinstance(third, ProfileRow) and third.attributes == {}


def test_a_column_under_an_example_value_that_is_no_object_is_rejected_even_a_null() -> None:
    # Each column's place is worked out once (app.journeys.profiles._place); an example field that
    # is null or a value still refuses a column nested under it, row by row.
    event = EventNode(id="in", event="purchase", example={"extra": None, "qty": 1, "deep": {"a": {}}})
    with ProfileSource(io.BytesIO(b"event.extra.x,event.qty.y,event.deep.a.b\n1,,\n,2,\n,,3\n"), event) as source:
        first, second, third = list(source)
    assert isinstance(first, Rejection) and first.column == "event.extra.x" and "'extra' is a value" in str(first)
    assert isinstance(second, Rejection) and second.column == "event.qty.y" and "'qty' is a value" in str(second)
    assert isinstance(third, ProfileRow) and third.event == {"extra": None, "qty": 1, "deep": {"a": {"b": 3}}}


@pytest.mark.parametrize(("text", "value"), [("Hugh", "Hugh"), ("-", "-"), ("+12", 12), ("-0.5", -0.5), (".5", ".5"),
                                             ("\u0663", 3), ("\u00b2", "\u00b2"), ("02134", "02134"), ("true", True)])
def test_untyped_cells_are_numbers_only_when_they_start_like_one(text: str, value: object) -> None:
    # The guess looks at the first character before trying its patterns: digits of any script as \d reads them.
    (item,) = _read(f"profileId,cell\np1,{text}\n")
    assert item.attributes["cell"] == value and type(item.attributes["cell"]) is type(value)


def test_a_row_with_several_problems_names_the_one_it_always_named() -> None:
    # Cells are typed and placed in one pass; what rejects a row stays: a cell that cannot be typed
    # first (whatever its column), then a bad profile id, then the first value that cannot be placed.
    event = EventNode(id="in", event="purchase", example={"qty": 1})
    text = b"profileId,event.qty.deep,n:integer\np1,1,x\n1.5,1,2\np3,1,2\n"
    with ProfileSource(io.BytesIO(text), event) as source:
        first, second, third = list(source)
    assert (first.column, second.column, third.column) == ("n", "profileId", "event.qty.deep")


@pytest.mark.parametrize("example", [{"f": 1.0, "t": True, "n": None, "l": [1, 2.5, "x"], "o": {"k": [{}]}},
                                     {"big": 2**70, "f": 1e300}, {"nan": float("nan")}])
def test_each_row_gets_an_exact_copy_of_the_example_whatever_its_values(example: dict) -> None:
    event = EventNode.model_construct(id="in", event="purchase", example=example)
    with ProfileSource(io.BytesIO(b"profileId\np1\np2\n"), event) as source:
        first, second = list(source)
    for row in (first, second):
        assert repr(row.event) == repr(example) and row.event is not example
        assert [type(v) for v in row.event.values()] == [type(v) for v in example.values()]
    assert first.event.get("o") is None or first.event["o"] is not second.event["o"]
