"""Expected outcomes: the expectations file (read, checked against the journey, with where and why when
it cannot be used), the profiles file's expected* columns, and pass/fail against a run's trace."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.journeys.expect import Expectations, ExpectError, check
from app.journeys.profiles import ProfileRow, Rejection
from app.journeys.tappedsource import TappedSource
from tests.app.journeys import runkit
from tests.app.journeys.runkit import END, EVENT, FAILED, journey, notify

BIG = {"id": "big", "type": "condition", "paths": [
    {"label": "big", "expression": "@event{purchase.value} > 10", "next": "vip"}], "otherCases": "done"}
VIP = {"id": "vip", "type": "end"}


def shop() -> Any:
    return journey(EVENT, notify(next_="big"), BIG, VIP, END, FAILED, name="shop")


def write(tmp_path: Path, data: Any, name: str = "expect.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


@pytest.fixture
def ran(run_journey: Any, tmp_path: Path) -> runkit.Ran:
    rows = [{"profileId": f"p{i}", "event.customerId": f"c-{i}", "event.value": i * 5} for i in range(1, 7)]
    return run_journey(shop(), runkit.rows(tmp_path / "p.jsonl", rows), seed=1)  # values 5..30: 4 over 10


def test_counts_and_profiles_pass_when_they_hold(ran: runkit.Ran, tmp_path: Path) -> None:
    exp = Expectations.load(write(tmp_path, {
        "journey": "shop", "outcomes": {"finished": 6, "error": 0}, "nodes": {"vip": 4, "done": {"min": 1, "max": 2}},
        "edges": {"big>vip": 4, "big > done": 2, "notify>failed": 0},
        "profiles": {"p1": {"path": "in>notify>big>done", "outcome": "finished", "end": "done"},
                     "p6": {"path": ["in", "notify", "big", "vip"]}}}), shop())
    report = check(ran.result.path, shop(), exp)
    assert report.ok, report.lines()
    assert len(report.counts) == 7 and report.profiles_checked == 2 and report.mismatch_total == 0
    assert report.to_dict()["passed"] is True


def test_each_mismatch_is_listed_with_what_was_expected_and_what_happened(ran: runkit.Ran, tmp_path: Path) -> None:
    exp = Expectations.load(write(tmp_path, {
        "nodes": {"vip": 5, "done": {"min": 3}}, "profiles": {"p2": {"path": "in>notify>big>vip", "outcome": "error"},
                                                             "ghost": {"outcome": "finished"}}}), shop())
    report = check(ran.result.path, shop(), exp)
    assert not report.ok
    failed = {(c.kind, c.key): (c.expected, c.actual) for c in report.counts if not c.ok}
    assert failed == {("nodes", "vip"): ("5", 4), ("nodes", "done"): ("at least 3", 2)}
    text = [str(m) for m in report.mismatches]
    assert text == ["profile p2 (row 2): path expected in>notify>big>vip, got in>notify>big>done",
                    "profile p2 (row 2): outcome expected error, got finished",
                    "profile ghost: presence expected in the run, got not in the run"]
    data = report.to_dict()
    assert data["profiles"] == {"checked": 2, "passed": 0, "failed": 2} and data["mismatchTotal"] == 3
    assert data["mismatches"][0]["expected"] == ["in", "notify", "big", "vip"]
    assert "expectations: FAILED: 0 of 2 counts, 0 of 2 profiles" == report.lines()[0]


@pytest.mark.parametrize("text, message", [
    ('{"nodes": {"vip": 1,}}', r"not valid JSON: line 1, column 21"),
    ('[1]', r"expected a JSON object"),
    ('{"nodes": {"vipp": 1}}', r"nodes.vipp: no node 'vipp' in shop"),
    ('{"edges": {"big>in": 1}}', r"edges.big>in: no edge from 'big' to 'in' in shop"),
    ('{"edges": {"big": 1}}', r"edges.big: write an edge as FROM>TO"),
    ('{"outcomes": {"done": 1}}', r"outcomes.done: unknown outcome"),
    ('{"journey": "other"}', r"journey: it is for 'other', not 'shop'"),
    ('{"nodes": {"vip": "many"}}', r"nodes.vip"),
    ('{"profiles": {"p1": {"outcome": "fine"}}}', r"profiles.p1.outcome.*unknown outcome 'fine'"),
    ('{"count": 3}', r"count: Extra inputs are not permitted"),
])
def test_a_bad_expectations_file_says_where_and_why(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ExpectError, match=message) as caught:
        Expectations.load(path, shop())
    assert str(caught.value).startswith(f"expectations file {path}: ")


def test_a_missing_expectations_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ExpectError, match=r"no such file"):
        Expectations.load(tmp_path / "nope.json", shop())


def test_expected_columns_are_taken_out_of_the_rows_and_checked(ran: runkit.Ran, tmp_path: Path) -> None:
    csv = tmp_path / "p.csv"
    csv.write_text("profileId,event.value,expectedPath,expectedOutcome,expectedEnd\n"
                   "p1,5,in>notify>big>done,finished,done\n"
                   "p2,10,in > notify > big > vip,,\n"
                   "p3,15,,finished,vip\n"
                   "p4,20,,fine,\n")
    with TappedSource.tap(str(csv), shop().entry) as source:
        items = list(source)
    assert all("expectedPath" not in i.attributes for i in items if isinstance(i, ProfileRow))
    bad = items[3]
    assert isinstance(bad, Rejection) and bad.column == "expectedOutcome" and "unknown outcome 'fine'" in bad.message
    assert sorted(source.expected) == [1, 2, 3]
    report = check(ran.result.path, shop(), None, source.expected)
    assert [str(m) for m in report.mismatches] == [
        "profile p2 (row 2): path expected in>notify>big>vip, got in>notify>big>done"]
    assert report.profiles_checked == 3 and report.profiles_failed == 1 and not report.ok


def test_the_sample_ships_expectations_that_its_run_meets(sample_run: runkit.SampleRun) -> None:
    from app.journeys.files import load_journey

    home = sample_run.home  # the sample's run over its profiles (seed 11)
    sample = load_journey(home, "sampleJourney")
    exp = Expectations.load(home / "profiles" / "purchases.expect.json", sample)
    report = check(sample_run.ran.result.path, sample, exp)
    assert report.ok, report.lines()
    assert report.profiles_checked == 2 and len(report.counts) >= 10
