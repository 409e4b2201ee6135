"""ReplayRun, the window's replay: the recorded run's rows, seed, preset and start, every call from the
recording (or, re-run, the targets given), its origin noted; a run whose profiles are gone is refused
with why, and nothing is left open."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.journeys.replay import ReplayError
from app.journeys.replayrun import ReplayRun
from app.journeys.targets import Target
from tests.app.journeys import runkit
from tests.app.journeys.runkit import END, EVENT, FAILED, journey, notify

SHOP = journey(EVENT, notify(), END, FAILED, name="shop")


def test_a_replay_takes_the_recorded_settings_and_a_rerun_the_targets_given(services: Any, resolver: Any,
                                                                            tmp_path: Path) -> None:
    home = services.workspace.home
    profiles = runkit.rows(tmp_path / "profiles.jsonl", runkit.purchases(3))
    recorded = runkit.run(home, services, resolver, SHOP, profiles, preset="fast", seed=42, concurrency=2)
    with ReplayRun.open(home, recorded.result.path, SHOP) as replay:
        options = replay.options
        assert (options.preset, options.seed, options.concurrency) == ("fast", 42, 2)
        assert options.targets["notify"].kind == "replay" and not options.arm_real_calls
        assert options.notes == {"replayOf": recorded.result.run_id, "replayTarget": "replay"}
        assert [item.profile_id for item in replay.source] == ["p1", "p2", "p3"]
    with ReplayRun.open(home, recorded.result.path, SHOP, rerun=True, targets={"notify": Target("dry")},
                        arm=True) as again:
        assert again.options.targets["notify"].kind == "dry" and again.options.arm_real_calls
        assert again.options.notes["replayTarget"] == "dry"
    with ReplayRun.open(home, recorded.result.path, SHOP, rerun=True) as default:
        assert default.options.targets["notify"].kind == "sandbox"


def test_a_run_whose_profiles_are_gone_is_refused_with_why(services: Any, resolver: Any, tmp_path: Path) -> None:
    home = services.workspace.home
    profiles = runkit.rows(tmp_path / "gone.jsonl", runkit.purchases(1))
    recorded = runkit.run(home, services, resolver, SHOP, profiles)
    profiles.unlink()
    with pytest.raises(ReplayError, match="gone.jsonl, which is not there any more"):
        ReplayRun.open(home, recorded.result.path, SHOP)


def test_one_profile_of_the_run_replays_and_an_unknown_one_is_refused(services: Any, resolver: Any,
                                                                      tmp_path: Path) -> None:
    home = services.workspace.home
    profiles = runkit.rows(tmp_path / "profiles.jsonl", runkit.purchases(3))
    recorded = runkit.run(home, services, resolver, SHOP, profiles, preset="fast", seed=1)
    with ReplayRun.open(home, recorded.result.path, SHOP, profile="p2") as replay:
        assert [item.profile_id for item in replay.source] == ["p2"]
    with pytest.raises(ReplayError, match="no profile 'p9'"):
        ReplayRun.open(home, recorded.result.path, SHOP, profile="p9")
