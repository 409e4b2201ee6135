"""Setting a run up from a front end: the sandbox environment, resolvers, the profiles preview."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.journeys.actionplan import PlanError
from app.journeys.files import load_journey
from app.journeys.profiles import ProfilesError
from app.journeys.runner import RealCallsRefused
from app.journeys.runsetup import (
    SANDBOX_ENV_HINT,
    leaves_the_process,
    preview,
    refusal_problems,
    sandbox_env,
    services_resolvers,
)
from app.journeys.targets import OfflineSender, Target
from app.model import EnvironmentSet


def test_the_preview_shows_the_first_rows_and_every_rejected_row_with_why(services: Any) -> None:
    home = services.workspace.home
    journey = load_journey(home, "sampleJourney")
    seen = preview(home / "profiles" / "purchases.csv", journey.entry, rows=5)
    assert [r.profile_id for r in seen.rows] == [f"p-00000{i}" for i in range(1, 6)]
    assert seen.scanned == 303 and not seen.more and seen.fmt == "csv"
    assert len(seen.rejected) == 12
    assert "row 25 (line 26), column event.value: expected a number, got 'abc'" == str(seen.rejected[0])
    short = preview(home / "profiles" / "purchases.csv", journey.entry, scan=30)
    assert short.scanned == 30 and short.more and len(short.rejected) == 1


def test_a_missing_profiles_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ProfilesError, match="nothing.csv: no such file"):
        preview(tmp_path / "nothing.csv", None)


def test_the_sandbox_target_resolves_to_the_services_own_sandbox(services: Any) -> None:
    assert sandbox_env(services) == "sandbox"
    resolvers = services_resolvers(services, "production")
    assert services.sandbox is None  # nothing starts before a value is asked for
    assert resolvers.sandbox.text("{{baseUrl}}/x") == f"{services.sandbox_url()}/x"
    assert resolvers.env is not None and resolvers.env.text("{{baseUrl}}") == "https://dcs.adobedc.net"
    with pytest.raises(ValueError, match="no environment named 'nope'"):
        services_resolvers(services, "nope")


def test_without_a_sandbox_environment_the_refusal_says_why(services: Any) -> None:
    envs = services.environments()
    kept = [e for e in envs.environments if e.name != "sandbox"]
    services.save_environments(EnvironmentSet.model_validate({"active": kept[0].name, "environments": [
        e.model_dump(by_alias=True) for e in kept]}))
    assert sandbox_env(services) is None
    refused = RealCallsRefused({"dcs.adobedc.net": ["writeEvent"]}, {"writeEvent": "sandbox"})
    assert refusal_problems(refused)[-1] == SANDBOX_ENV_HINT
    assert refusal_problems(PlanError(["one", "two"])) == ["one", "two"]


def test_a_run_needs_a_sender_only_when_a_node_calls_the_sandbox_or_env(services: Any, run_journey: Any) -> None:
    sample = load_journey(services.workspace.home, "sampleJourney")
    dry = {n.id: Target("dry") for n in sample.action_nodes()}
    assert leaves_the_process(sample, {})  # the sandbox: every node's default
    assert leaves_the_process(sample, {"writeEvent": Target("dry")})  # vipEvent still calls the sandbox
    assert leaves_the_process(sample, {**dry, "vipEvent": Target("env")})
    assert not leaves_the_process(sample, dry)
    # Such a run goes through without one: its sender refuses any call, and none is made.
    ran = run_journey(sample, services.workspace.home / "profiles" / "purchases.csv", targets=dry,
                      client_factory=OfflineSender)
    assert ran.summary["outcomes"]["finished"] == 288 and ran.summary["codes"]["writeEvent"] == {"dry": 288}
