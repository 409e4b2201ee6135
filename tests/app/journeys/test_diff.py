"""diff_runs over two traces written by the trace writer: count deltas, the changed profiles (a path that
parts, an outcome that changed on the same path, a row only one run has), paged, and its JSON."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest

from app.journeys.diff import ChangedProfile, diff_runs
from app.journeys.traces import ProfileTrace, StepTrace, TraceError, TraceWriter
from tests.app.journeys.runkit import END, EVENT, FAILED, journey, notify

SHOP = journey(EVENT, notify(), END, FAILED, name="shop")


def write(home: Path, run_id: str, profiles: list[tuple[int, str, list[str], str, Optional[str]]]) -> str:
    """A run whose profiles are (row, id, path, outcome, the last port taken or None)."""
    with TraceWriter.create(home, SHOP, [], seed=1, preset="fast", targets={}, run_id=run_id) as writer:
        for row, pid, path, outcome, _ in profiles:
            steps = [StepTrace(node, port="next" if i < len(path) - 1 else None,
                               next=path[i + 1] if i < len(path) - 1 else None) for i, node in enumerate(path)]
            writer.add(ProfileTrace(row, pid, outcome, steps))
    return run_id


OK = ["in", "notify", "done"]
FAIL = ["in", "notify", "failed"]


def test_deltas_and_changed_profiles_stream_in_row_order(tmp_path: Path) -> None:
    a = write(tmp_path, "a", [(1, "p1", OK, "finished", None), (2, "p2", OK, "finished", None),
                              (3, "p3", OK, "finished", None), (4, "p4", OK, "finished", None)])
    b = write(tmp_path, "b", [(1, "p1", OK, "finished", None), (2, "p2", FAIL, "finished", None),
                              (3, "p3", ["in", "notify"], "error", None), (5, "p5", OK, "finished", None)])
    diff = diff_runs(tmp_path, a, b)
    assert diff.changed_count == 4 and diff.same_journey
    changed = list(diff.changed_profiles())
    assert changed == [
        ChangedProfile(2, "p2", tuple(OK), tuple(FAIL), "finished", "finished"),
        ChangedProfile(3, "p3", tuple(OK), ("in", "notify"), "finished", "error"),
        ChangedProfile(4, "p4", tuple(OK), (), "finished", None),
        ChangedProfile(5, "p5", (), tuple(OK), None, "finished")]
    assert [c.diverges_at for c in changed] == ["notify", "notify", None, None]
    assert [c.row for c in diff.changed_profiles(offset=1, limit=2)] == [3, 4]
    nodes = {d.key: (d.a, d.b, d.delta) for d in diff.node_deltas}
    assert nodes["done"] == (4, 2, -2) and nodes["failed"] == (0, 1, 1)
    outcomes = {d.key: d.delta for d in diff.outcome_deltas}
    assert outcomes == {"finished": -1, "error": 1}
    data = diff.to_dict(limit=1)
    assert data["changedProfiles"] == 4 and data["more"] and data["changed"] == [{
        "row": 2, "profileId": "p2", "divergesAt": "notify", "pathA": OK, "pathB": FAIL,
        "outcomeA": "finished", "outcomeB": "finished"}]


def test_the_same_path_with_another_outcome_is_a_change_without_a_parting_node(tmp_path: Path) -> None:
    a = write(tmp_path, "a", [(1, "p1", OK, "finished", None)])
    b = write(tmp_path, "b", [(1, "p1", OK, "cancelled", None)])
    (changed,) = diff_runs(tmp_path, a, b).changed_profiles()
    assert changed.diverges_at is None and changed.parted_at == 3


def test_an_unknown_run_is_named(tmp_path: Path) -> None:
    a = write(tmp_path, "a", [])
    with pytest.raises(TraceError, match=r"no run 'zzz'"):
        diff_runs(tmp_path, a, "zzz")
