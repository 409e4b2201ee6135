"""Virtual time, presets, seeded splits, profile caps, reentrance, evaluation errors and cancel."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from app.journeys.profiles import ProfileSource
from app.journeys.targets import Target
from tests.app.journeys.runkit import END, EVENT, FAILED, journey, make_run, notify, purchases, read_back, rows

DRY = {"notify": Target("dry")}


def _at(step: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(step["virtualAt"])


def test_waits_move_virtual_time_and_now_reads_it(run_journey: Any) -> None:
    wait = {"id": "wait", "type": "wait", "duration": "PT2H", "next": "notify"}
    stamp = dict(notify(), mapping={"customerId": "toString(now())"})
    ran = run_journey(journey({**EVENT, "next": "wait"}, wait, stamp, END, FAILED), purchases(1), targets=DRY)
    (entered,), (waited,) = ran.steps("p1", "in"), ran.steps("p1", "notify")
    assert _at(waited) - _at(entered) == timedelta(hours=2)  # and it took no wall time
    assert datetime.fromisoformat(waited["values"]["customerId"]) == _at(waited)
    assert ran.steps("p1", "wait")[0]["values"]["waitSeconds"] == 7200
    test_mode = run_journey(journey({**EVENT, "next": "wait"}, wait, stamp, END, FAILED), purchases(1),
                            targets=DRY, preset="test-mode")
    assert _at(test_mode.steps("p1", "notify")[0]) - _at(test_mode.steps("p1", "in")[0]) == timedelta(seconds=10)


def _split_journey() -> Any:
    split = {"id": "split", "type": "split", "branches": [
        {"label": "A", "percent": 30, "next": "cap"}, {"label": "B", "percent": 70, "next": "done"}]}
    cap = {"id": "cap", "type": "cap", "limit": 2, "next": "notify", "alternate": "failed"}
    return journey({**EVENT, "next": "split"}, split, cap, notify(), END, FAILED)


def test_splits_are_seeded_per_profile_and_the_profile_cap_counts(run_journey: Any) -> None:
    people = purchases(40)
    first = run_journey(_split_journey(), people, targets=DRY, seed=5, concurrency=1)
    again = run_journey(_split_journey(), people, targets=DRY, seed=5, concurrency=16)
    branches = {p: first.steps(p, "split")[0]["port"] for p in first.profiles}
    assert branches == {p: again.steps(p, "split")[0]["port"] for p in again.profiles}  # whatever the concurrency
    assert set(branches.values()) == {"branches[0]", "branches[1]"}
    to_cap = first.summary["nodes"]["cap"]
    edges = {(e["node"], e["port"]): e["count"] for e in first.summary["edges"]}
    assert edges[("cap", "next")] == 2 and edges[("cap", "alternate")] == to_cap - 2
    assert [s["values"]["position"] for s in first.steps("p1", "cap")] in ([], [1])
    other = run_journey(_split_journey(), people, targets=DRY, seed=6, concurrency=1)
    assert branches != {p: other.steps(p, "split")[0]["port"] for p in other.profiles}
    assert first.result.seed == 5 and first.summary["run"]["seed"] == 5


def test_test_mode_takes_the_top_branch_applies_no_cap_and_stops_at_100_profiles(run_journey: Any) -> None:
    ran = run_journey(_split_journey(), purchases(150), targets=DRY, preset="test-mode")
    assert ran.result.rows_read == 100 and ran.result.cut and ran.summary["run"]["rowsRead"] == 100
    edges = {(e["node"], e["port"]): e["count"] for e in ran.summary["edges"]}
    assert edges == {("in", "next"): 100, ("split", "branches[0]"): 100, ("cap", "next"): 100, ("notify", "next"): 100}
    exact = run_journey(_split_journey(), purchases(100), targets=DRY, preset="test-mode")
    assert exact.result.rows_read == 100 and not exact.result.cut


def test_reentrance_not_allowed_discards_every_return(run_journey: Any) -> None:
    people = purchases(3) + [{"profileId": "p2", "event.customerId": "again"}]
    ran = run_journey(journey(EVENT, notify(), END, FAILED, reentrance={"allowed": False}), people, targets=DRY)
    assert ran.summary["outcomes"] == {"finished": 3, "discarded": 1}
    (first, second) = ran.profiles["p2"]
    assert second["outcome"] == "discarded" and "does not allow reentrance" in second["error"]


def test_an_expression_that_fails_names_node_field_position_and_profile(run_journey: Any) -> None:
    bad = dict(notify(), mapping={"customerId": "toString(toInteger(@event{purchase.customerId}))"})
    ran = run_journey(journey(EVENT, bad, END, FAILED), purchases(2) + [{"profileId": "n", "event.customerId": "7"}],
                      targets=DRY)
    assert ran.summary["outcomes"] == {"error": 2, "finished": 1}
    error = ran.profiles["p1"][0]["error"]
    assert error.startswith("node 'notify', mapping[customerId]: line 1, column 10: toInteger: 'c-1' is not an integer")
    assert error.endswith("(profile p1)")
    assert ran.steps("n", "notify")[0]["values"] == {"customerId": "7"}


def test_cancel_stops_a_real_time_run_and_keeps_what_finished(services: Any, resolver: Any, tmp_path: Path) -> None:
    check = {"id": "check", "type": "condition", "paths": [
        {"expression": "@event{purchase.value} > 100", "next": "wait"}], "otherCases": "done"}
    wait = {"id": "wait", "type": "wait", "duration": "PT1H", "next": "done"}
    j = journey({**EVENT, "next": "check"}, check, wait, END)
    people = purchases(3, value=500.0) + purchases(2, value=5.0)
    people[3]["profileId"], people[4]["profileId"] = "small1", "small2"
    waiting, cancel = threading.Event(), threading.Event()
    run = make_run(services.workspace.home, services, resolver, j, preset="real-time", cancel=cancel,
                   progress=lambda p: waiting.set() if p.outcomes.get("finished") == 2 else None)
    out: dict[str, Any] = {}
    with ProfileSource.open(rows(tmp_path / "p.jsonl", people), j.entry) as source:
        worker = threading.Thread(target=lambda: out.update(result=run.run(source)))
        worker.start()
        assert waiting.wait(30)
        cancel.set()
        worker.join(10)  # an hour's wait: only a cancel ends it this soon
        assert not worker.is_alive()
    ran = read_back(out["result"])
    assert ran.result.state == "cancelled" and ran.summary["run"]["state"] == "cancelled"
    assert ran.summary["outcomes"] == {"finished": 2, "cancelled": 3} and ran.result.rows_read == 5
    assert ran.profiles["p1"][0]["path"] == ["in", "check", "wait"]
