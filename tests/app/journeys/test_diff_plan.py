"""The comparison reads each run once: SQLite's plan for the changed profiles joins the two runs' rows
through an index both ways (a row only one run has was found by a subquery scanning the other run for
every row: quadratic, 0.2 s for 3,000 profiles a side, minutes for 100,000)."""
from __future__ import annotations

from pathlib import Path

from app.journeys.diff import _CHANGED_SQL, _COUNT_SQL
from app.journeys.runsql import connect
from app.journeys.tracereader import find_run
from tests.app.journeys.test_diff import OK, write


def test_the_changed_profiles_are_a_join_both_ways_never_a_scan_per_row(tmp_path: Path) -> None:
    a = find_run(tmp_path, write(tmp_path, "a", [(1, "p1", OK, "finished", None), (2, "p2", OK, "finished", None)]))
    b = find_run(tmp_path, write(tmp_path, "b", [(2, "p2", OK, "error", None), (3, "p3", OK, "finished", None)]))
    db = connect(a)
    try:
        db.execute("ATTACH DATABASE ? AS other", (f"{b.resolve().as_uri()}?mode=ro",))
        for sql in (_CHANGED_SQL, _COUNT_SQL):
            plan = [detail for *_ids, detail in db.execute("EXPLAIN QUERY PLAN " + sql)]
            assert not any("CORRELATED" in step for step in plan), plan
            assert sum(step.split()[:2] in (["SCAN", "a"], ["SCAN", "b"]) for step in plan) == 2, plan  # once each
            assert sum(step.startswith("SEARCH") and "INDEX" in step for step in plan) == 2, plan  # the joins
        assert db.execute(_COUNT_SQL).fetchone()[0] == 3
    finally:
        db.close()
