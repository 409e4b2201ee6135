"""The sample journey and its profiles: installed by `sample`, loading, reproducible from the script."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from app.journeys.files import list_journeys, load_journey
from app.journeys.profiles import ProfileRow, ProfileSource, Rejection
from app.sample import install_sample
from app.store import Workspace

REPO = Path(__file__).resolve().parents[3]
PROFILES = "profiles/purchases.csv"


def test_the_sample_journey_uses_the_sample_actions(sample_home: Path) -> None:
    journey = load_journey(sample_home, "sampleJourney")
    assert [n.type for n in journey.nodes] == ["event", "action", "condition", "action", "end", "end"]
    assert journey.actions_used() == ["writeJourneyEvent", "airshipCustomEvent"]
    names = Workspace.open(sample_home).names()
    assert set(journey.actions_used()) <= set(names)
    assert all(n.timeout_or_error == "callFailed" for n in journey.action_nodes())
    assert journey.by_id()["vipEvent"].mapping["body.name"] == '"vip_purchase"'
    used = Workspace.open(sample_home).used_in()
    assert used == {"writeJourneyEvent": ["sampleJourney"], "airshipCustomEvent": ["sampleJourney"]}


def test_the_sample_profiles_have_a_few_bad_rows_each_named(sample_home: Path) -> None:
    journey = load_journey(sample_home, "sampleJourney")
    with ProfileSource.open(sample_home / PROFILES, journey.entry) as source:
        items = list(source)
    rejected = [i for i in items if isinstance(i, Rejection)]
    rows = [i for i in items if isinstance(i, ProfileRow)]
    assert 200 <= len(items) <= 500 and 5 <= len(rejected) <= len(items) // 10
    assert all(r.row and r.line for r in rejected)
    assert sum(1 for r in rejected if r.column) == len(rejected) - 1  # one truncated line has no column
    vip = [r for r in rows if r.event["value"] > 100]
    assert 0 < len(vip) < len(rows)
    assert len({r.profile_id for r in rows}) < len(rows)  # a few profiles enter twice (reentrance)
    first = rows[0]
    assert first.event["properties"]["brand"] == "Victory Sneakers"  # the rest from the event's example
    assert first.attributes["person"]["name"]["firstName"] and isinstance(first.attributes["loyalty"]["points"], int)


def test_the_committed_profiles_are_what_the_script_writes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("sample_profiles", REPO / "bench" / "sample_profiles.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["-o", str(tmp_path / "p.csv"), "--bad", "25", "--repeats", "3"])
    committed = REPO / "resources" / "sample_workspace" / PROFILES
    assert (tmp_path / "p.csv").read_bytes() == committed.read_bytes()


def test_install_copies_the_journey_and_the_profiles(tmp_path: Path, secrets) -> None:
    assert install_sample(tmp_path / "ws", secrets) == []
    assert [e.name for e in list_journeys(tmp_path / "ws")] == ["sampleJourney"]
    assert (tmp_path / "ws" / PROFILES).is_file()
