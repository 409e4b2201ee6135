"""Expectations in the run bar: the sample's profiles/purchases.expect.json found beside the profiles and
passed by a sandbox run (recorded once per test run); another file failing with its mismatches listed and the profile table's
Expected column; a bad file named with where; the profiles file's expectedPath column alone."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.ui.journeys.conftest import open_recorded
from ui.journeys.runview import RunView


def run(qtbot: Any, run_view: RunView, profiles: Path) -> Any:
    bar = run_view.runbar
    bar.profiles.setText(str(profiles))
    with qtbot.waitSignal(bar.runFinished, timeout=60000) as finished:
        bar.run_button.click()
    return finished.args[0]


def cell(view: RunView, profile_id: str, header: str) -> str:
    model = view.profiles.model
    column = list(model.columns).index(header)
    ids = list(model.columns).index("Profile")
    return next(model.index(r, column).data() for r in range(model.rowCount())
                if model.index(r, ids).data() == profile_id)


def test_the_samples_expectations_are_found_and_pass_another_file_fails_with_its_mismatches(
        qtbot: Any, run_view: RunView, tmp_path: Path, recorded_sample: Path) -> None:
    home = run_view.runbar.services.workspace.home
    expect = run_view.expect
    sample = home / "profiles" / "purchases.expect.json"
    # A sandbox run of the sample's profiles, shown as when it finished: recorded once per test run and
    # opened as a past run (the test is about checking what a run shows, not about running it).
    run_view.runbar.profiles.setText(str(home / "profiles" / "purchases.csv"))
    qtbot.waitUntil(lambda: expect.file.text() == str(sample), timeout=10000)
    open_recorded(qtbot, run_view.runbar, recorded_sample)
    assert expect.file.text() == str(sample)  # found beside the profiles file
    qtbot.waitUntil(lambda: expect.report is not None, timeout=20000)
    assert expect.badge.text() == "✓ Expectations passed: 13 of 13 counts, 2 of 2 profiles"
    assert not expect.mismatches.isVisible()
    model = run_view.profiles.model
    qtbot.waitUntil(lambda: "Expected" in model.columns and model.rowCount() > 0, timeout=10000)
    assert cell(run_view, "p-000006", "Expected") == "pass" and cell(run_view, "p-000002", "Expected") == ""

    wrong = tmp_path / "wrong.expect.json"
    wrong.write_text(json.dumps({"nodes": {"vipEvent": 94}, "edges": {"checkValue>done": {"min": 200}},
                                 "profiles": {"p-000006": {"outcome": "error"}, "p-999999": {"end": "done"}}}))
    expect.set_file(str(wrong))
    qtbot.waitUntil(lambda: expect.badge.text().startswith("✗"), timeout=20000)
    assert expect.badge.text() == "✗ Expectations failed: 0 of 2 counts, 0 of 2 profiles"
    assert [expect.mismatches.item(i).text() for i in range(expect.mismatches.count())] == [
        "nodes vipEvent: expected 94, got 95", "edges checkValue>done: expected at least 200, got 193",
        "profile p-000006 (row 6): outcome expected error, got finished",
        "profile p-999999: presence expected in the run, got not in the run"]
    assert expect.mismatches.isVisible()
    qtbot.waitUntil(lambda: "Expected" in model.columns and model.rowCount() > 0, timeout=10000)
    assert cell(run_view, "p-000006", "Expected") == "fail"

    wrong.write_text('{"nodes": {"vipEvent": 1,}}')
    expect.recheck()
    qtbot.waitUntil(lambda: "not checked" in expect.badge.text(), timeout=20000)
    assert expect.badge.text().startswith(f"Expectations not checked: expectations file {wrong}: not valid JSON: line 1")
    assert "Expected" not in model.columns


def test_the_profiles_expected_path_column_alone_gives_each_profile_its_verdict(
        qtbot: Any, run_view: RunView, tmp_path: Path) -> None:
    plain, vip = "purchase>writeEvent>checkValue>done", "purchase>writeEvent>checkValue>vipEvent>done"
    profiles = tmp_path / "few.csv"
    profiles.write_text("profileId,event.customerId,event.value,event.transaction,event.timestamp,expectedPath\n"
                        f"p-1,c-1,20.5,t-1,2026-11-01T10:00:00Z,{plain}\n"
                        f"p-2,c-2,150,t-2,2026-11-01T10:00:00Z,{plain}\n"
                        f"p-3,c-3,150,t-3,2026-11-01T10:00:00Z,{vip}\n")
    expect = run_view.expect
    run(qtbot, run_view, profiles)
    qtbot.waitUntil(lambda: expect.report is not None, timeout=20000)
    assert expect.file.text() == ""  # no few.expect.json beside it
    assert expect.badge.text() == "✗ Expectations failed: 0 of 0 counts, 2 of 3 profiles"
    assert [expect.mismatches.item(i).text() for i in range(expect.mismatches.count())] == [
        f"profile p-2 (row 2): path expected {plain}, got {vip}"]
    model = run_view.profiles.model
    qtbot.waitUntil(lambda: "Expected" in model.columns and model.rowCount() == 3, timeout=10000)
    assert [cell(run_view, p, "Expected") for p in ("p-1", "p-2", "p-3")] == ["pass", "fail", "pass"]
