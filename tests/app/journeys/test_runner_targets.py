"""Targets: mock and dry never open a socket nor fetch a token; real hosts are refused unless armed."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.calls.client import CallClient
from app.journeys.actionplan import PlanError, Resolvers
from app.journeys.files import load_journey
from app.journeys.runner import RealCallsRefused
from app.journeys.targets import Target
from tests.app.journeys.runkit import Tripwire, make_run


def _mock(tmp_path: Path, responses: Any) -> Target:
    path = tmp_path / "mock.json"
    path.write_text(json.dumps(responses))
    return Target.parse(f"mock:{path.name}", tmp_path)


def test_mock_and_dry_steps_never_open_a_socket(services: Any, sandbox: Any, tmp_path: Path, run_journey: Any) -> None:
    home = services.workspace.home
    sample = load_journey(home, "sampleJourney")
    mock = _mock(tmp_path, [{"status": 503}, {"status": 200, "body": {"inletId": "mocked"}}])
    tripwire = Tripwire()
    ran = run_journey(sample, home / "profiles" / "purchases.csv", targets={"writeEvent": mock,
                                                                             "vipEvent": Target("dry")},
                      client_factory=lambda: CallClient(transport=tripwire))  # what the runner calls through
    assert tripwire.asked == [] and sandbox.counters() == {"token": 0, "inlet": 0, "custom_events": 0, "echo": 0}
    assert ran.summary["outcomes"]["finished"] == 288 and ran.summary["run"]["targets"] == {
        "writeEvent": "mock:mock.json", "vipEvent": "dry"}
    attempts = ran.attempts("p-000006", "writeEvent")
    assert [(a["target"], a["status"]) for a in attempts] == [("mock", 503), ("mock", 200)]  # retried as for real
    assert ["Authorization", "********"] in attempts[0]["request"]["headers"]
    assert json.loads(attempts[1]["response"]["body"]) == {"inletId": "mocked"}
    (dry,) = ran.attempts("p-000006", "vipEvent")
    assert dry["target"] == "dry" and dry["response"] is None and dry["outcome"] == "dry"
    assert ["Authorization", "********"] in dry["request"]["headers"]
    assert json.loads(dry["request"]["body"])[0]["body"]["name"] == "vip_purchase"
    assert ran.summary["codes"]["vipEvent"] == {"dry": ran.summary["nodes"]["vipEvent"]}
    assert ran.summary["calls"]["writeEvent"]["targets"] == ["mock"]


def test_a_mocked_response_is_read_by_later_expressions(tmp_path: Path, run_journey: Any) -> None:
    from tests.app.journeys.runkit import END, EVENT, FAILED, journey, notify

    check = {"id": "check", "type": "condition", "paths": [
        {"label": "mocked", "expression": "@action{notifyWebhook.path} == \"/mocked\"", "next": "done"}],
        "otherCases": "failed"}
    mock = _mock(tmp_path, {"responses": [{"status": 200, "body": {"method": "POST", "path": "/mocked"}}]})
    ran = run_journey(journey(EVENT, notify(next_="check"), check, END, FAILED), [{"profileId": "a"}],
                      targets={"notify": mock})
    (step,) = ran.steps("a", "check")
    assert step["port"] == "paths[0]"
    assert step["why"]["paths"][0]["comparisons"][0]["operands"][0]["value"] == "/mocked"


def test_bad_targets_and_mock_files_are_named(tmp_path: Path) -> None:
    from app.journeys.targets import TargetError

    with pytest.raises(TargetError, match="unknown target 'live'"):
        Target.parse("live")
    with pytest.raises(TargetError, match="mock file .*none.json: no such file"):
        Target.parse("mock:none.json", tmp_path)
    (tmp_path / "bad.json").write_text('[{"status": 200}, {"status": 9000}]')
    with pytest.raises(TargetError, match=r"responses\[1\].status: Input should be less than or equal to 599"):
        Target.parse("mock:bad.json", tmp_path)
    (tmp_path / "broken.json").write_text('[{"status": 200},')
    with pytest.raises(TargetError, match="line 1, column 18"):
        Target.parse("mock:broken.json", tmp_path)


def test_real_hosts_are_listed_and_refused_unless_armed(services: Any, resolver: Any) -> None:
    home = services.workspace.home
    sample = load_journey(home, "sampleJourney")
    production = Resolvers(resolver, services.resolver("production"))
    with pytest.raises(RealCallsRefused) as refused:
        make_run(home, services, resolver, sample, targets={"writeEvent": Target("env"), "vipEvent": Target("env")},
                 resolvers=production)
    assert refused.value.hosts == {"dcs.adobedc.net": ["writeEvent"], "ims-na1.adobelogin.com": ["writeEvent"],
                                   "go.urbanairship.com": ["vipEvent"]}
    assert "--arm-real-calls" in str(refused.value)
    armed = make_run(home, services, resolver, sample, targets={"vipEvent": Target("env")}, resolvers=production,
                     arm_real_calls=True)
    assert armed.real_hosts == {"go.urbanairship.com": ["vipEvent"]}
    dry = make_run(home, services, resolver, sample, targets={"vipEvent": Target("dry")}, resolvers=production)
    assert dry.real_hosts == {}  # a dry node calls nothing


def test_an_invalid_journey_or_unknown_node_cannot_start(services: Any, resolver: Any) -> None:
    from tests.app.journeys.runkit import END, EVENT, journey, notify

    broken = journey(EVENT, notify(error=None, next_="nowhere"), END)
    with pytest.raises(PlanError) as invalid:
        make_run(services.workspace.home, services, resolver, broken)
    assert any("'nowhere', which is no node" in p for p in invalid.value.problems)
    with pytest.raises(PlanError, match="--target nope: no action node with that id"):
        make_run(services.workspace.home, services, resolver, journey(EVENT, notify(error=None), END),
                 targets={"nope": Target("dry")})


def test_a_validation_the_caller_made_is_not_made_again(services: Any, resolver: Any) -> None:
    """The CLI validates the journey (to report its warnings) and hands the report to the run."""
    from app.journeys.findings import Finding, Report
    from app.journeys.validate import validate
    from tests.app.journeys.runkit import END, EVENT, journey, notify

    valid = journey(EVENT, notify(error=None), END)
    assert validate(valid, {"notifyWebhook": services.workspace.load("notifyWebhook")}).ok
    given = Report(valid.name, [Finding("error", "lint", "as the caller found it", node="notify")])
    with pytest.raises(PlanError) as refused:
        make_run(services.workspace.home, services, resolver, valid, validated=given)
    assert refused.value.problems == [str(given.errors[0])]
    assert make_run(services.workspace.home, services, resolver, valid, validated=Report(valid.name)).real_hosts == {}
