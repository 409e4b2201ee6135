"""Replay from the window: a sandbox run of the sample replayed against the unchanged journey changes
nothing; against the journey with its VIP threshold lowered to 50 it moves exactly the profiles worth
50 to 100 (their VIP call was never recorded: notRecorded, nothing sent); "Re-run with the same rows
and seed" sends them to the sandbox. Each replay is a past run like any other and opens compared with
its source."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from app.journeys import runsql
from app.journeys.files import load_journey
from app.journeys.model import Journey
from app.journeys.tracereader import TraceReader
from tests.ui.journeys.conftest import open_recorded
from ui.journeys.runview import RunView


def lowered(journey: Journey) -> Journey:
    data = journey.model_dump(by_alias=True, exclude_none=True)
    for node in data["nodes"]:
        if node["id"] == "checkValue":
            node["paths"][0]["expression"] = "@event{purchase.value} > 50"
    return Journey.model_validate(data)


def replay(qtbot: Any, view: RunView, source: Path, rerun: bool) -> Any:
    """Choose the source in the past runs, ask the replay; the comparison it opens."""
    bar = view.runbar
    qtbot.waitUntil(lambda: bar.past.findData(str(source)) >= 0, timeout=10000)
    bar.past.setCurrentIndex(bar.past.findData(str(source)))
    qtbot.waitUntil(bar.replay_button.isEnabled, timeout=10000)  # once the past runs list it
    action = bar.replay_button.rerun_action if rerun else bar.replay_button.replay_action
    with qtbot.waitSignal(view.compare.diffShown, timeout=60000) as shown:
        action.trigger()
    assert view.compare.isVisible() and not view.results.isVisible()
    return shown.args[0]


def moved_rows(profiles: Path, run: Path) -> set[int]:
    """The rows run A finished whose purchase is worth more than 50 and at most 100."""
    with profiles.open(newline="") as f:
        values = {i: r["event.value"] for i, r in enumerate(csv.DictReader(f), start=1)}
    db = runsql.connect(run)
    try:
        finished = {p.row for p in runsql.profiles(db) if p.outcome == "finished"}
    finally:
        db.close()
    return {row for row in finished if 50 < float(values[row]) <= 100}


def test_a_replay_runs_like_any_run_and_opens_compared_with_its_source(qtbot: Any, run_view: RunView,
                                                                       services: Any) -> None:
    home = services.workspace.home
    profiles = home / "profiles" / "purchases.csv"
    bar = run_view.runbar
    bar.profiles.setText(str(profiles))
    bar.seed.setText("11")
    with qtbot.waitSignal(bar.runFinished, timeout=60000) as finished:
        bar.run_button.click()
        assert not bar.replay_button.isEnabled()  # one run at a time: no replay while one goes
    source = finished.args[0].path
    qtbot.waitUntil(bar.replay_button.isEnabled, timeout=10000)  # once the past runs list it

    same = replay(qtbot, run_view, source, rerun=False)
    assert same.run_a.path == source and same.run_b.settings["replayOf"] == same.run_a.id
    assert same.changed_count == 0 and run_view.compare.caption.text() == "No profile changed its path or outcome"
    assert same.run_b.seed == 11 and set(same.run_b.targets.values()) == {f"replay:{same.run_a.id}"}
    qtbot.waitUntil(lambda: bar.past.count() == 2, timeout=10000)  # the replay is a past run too

    edited = RunView(services, lowered(load_journey(home, "sampleJourney")))
    qtbot.addWidget(edited)
    edited.resize(1300, 900)
    edited.show()
    try:
        diff = replay(qtbot, edited, source, rerun=False)
        moved = moved_rows(profiles, source)
        assert moved and diff.changed_count == len(moved)
        changed = list(diff.changed_profiles())
        assert {c.row for c in changed} == moved
        assert {(c.diverges_at, c.outcome_a, c.outcome_b, c.path_b[-1]) for c in changed} == {
            ("checkValue", "finished", "error", "vipEvent")}
        with TraceReader(diff.run_b.path) as reader:
            assert reader.node_counts()["vipEvent"] == 95 + len(moved)
        db = runsql.connect(diff.run_b.path)
        try:  # the VIP call of a moved profile was never recorded: said so, and nothing was sent
            codes = {c for (c,) in db.execute("SELECT DISTINCT code FROM profile WHERE outcome = 'error'")}
        finally:
            db.close()
        assert codes == {"notRecorded"}
        model = edited.compare.model
        qtbot.waitUntil(lambda: model.rowCount() == len(moved), timeout=10000)

        again = replay(qtbot, edited, source, rerun=True)
        assert again.run_b.settings["replayTarget"] == "sandbox" and again.run_b.seed == 11
        assert {c.row for c in again.changed_profiles()} == moved
        assert {(c.outcome_b, c.path_b[-1]) for c in again.changed_profiles()} == {("finished", "done")}
    finally:
        edited.runbar.stop()
        qtbot.waitUntil(lambda: not edited.runbar.running, timeout=10000)


def test_one_profile_replays_from_its_trace(qtbot: Any, run_view: RunView, recorded_sample: Path) -> None:
    bar, trace = run_view.runbar, run_view.trace
    # The source: a sandbox run of the sample, recorded once per test run and opened as a past run (the
    # replay is the run this test is about).
    source = open_recorded(qtbot, bar, recorded_sample)
    assert not trace.replay_profile.isEnabled()  # nothing shown yet
    # The entry of input row 6 (p-000006 enters once). Not entry 6: entries are numbered in the order
    # profiles finish, which concurrency makes vary, and some profiles enter twice (the second
    # discarded by reentrance, and replayed so too).
    db = runsql.connect(source)
    try:
        (seq,) = db.execute("SELECT seq FROM profile WHERE row = 6").fetchone()
    finally:
        db.close()
    trace.show_entry(source, seq)
    qtbot.waitUntil(lambda: trace.entry is not None and trace.replay_profile.isEnabled(), timeout=10000)
    profile = trace.entry["profileId"]
    with qtbot.waitSignal(run_view.compare.diffShown, timeout=60000) as shown:
        qtbot.mouseClick(trace.replay_profile, Qt.MouseButton.LeftButton)
    diff = shown.args[0]
    assert diff.run_a.path == source and diff.run_b.settings["replayOf"] == diff.run_a.id
    db = runsql.connect(diff.run_b.path)
    try:
        replayed = [(p.profile_id, p.outcome) for p in runsql.profiles(db)]
    finally:
        db.close()
    assert replayed == [(profile, "finished")]  # that profile only, answered from the recording
