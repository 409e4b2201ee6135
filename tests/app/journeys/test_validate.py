"""Validation: each finding names the node, the field and the position; errors block, warnings don't."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.journeys.files import load_journey
from app.journeys.model import Journey
from app.journeys.validate import validate, validate_in
from app.store import Workspace


@pytest.fixture
def actions(sample_home: Path) -> dict:
    ws = Workspace.open(sample_home)
    return {a.name: a for a in ws.load_all()}


@pytest.fixture
def sample(sample_home: Path) -> dict:
    return json.loads((sample_home / "journeys" / "sampleJourney.json").read_text())


def _run(data: dict, actions: dict):
    return validate(Journey.model_validate(data), actions)


def _node(data: dict, node_id: str) -> dict:
    return next(n for n in data["nodes"] if n["id"] == node_id)


def _codes(report) -> list[tuple[str, str, str | None, str]]:
    return [(f.severity, f.code, f.node, f.field) for f in report.findings if not f.platform]


def test_the_sample_journey_is_valid_with_only_platform_warnings(sample_home: Path) -> None:
    report = validate_in(Workspace.open(sample_home), load_journey(sample_home, "sampleJourney"))
    assert report.ok and report.errors == []
    assert {f.code for f in report.warnings} == {"platform"}  # @journey{...} is our own notation
    assert all(f.platform and f.node == "writeEvent" and f.line == 1 for f in report.warnings)


def test_unknown_action_with_a_close_match(sample: dict, actions: dict) -> None:
    _node(sample, "vipEvent")["action"] = "airshipCustomEvnt"
    report = _run(sample, actions)
    (finding,) = report.errors
    assert (finding.code, finding.node, finding.field) == ("unknown-action", "vipEvent", "action")
    assert "did you mean 'airshipCustomEvent'" in finding.message
    assert str(finding).startswith("error: node 'vipEvent' (VIP custom event), action: no action named")


def test_unmapped_required_fields_and_mappings_for_no_field(sample: dict, actions: dict) -> None:
    mapping = _node(sample, "vipEvent")["mapping"]
    del mapping["body.transaction"]
    mapping["body.colour"] = '"red"'
    mapping["Event name"] = mapping.pop("body.name")  # a label is accepted, as the call engine accepts it
    report = _run(sample, actions)
    assert _codes(report) == [("error", "unknown-field", "vipEvent", "mapping[body.colour]"),
                              ("error", "unmapped-field", "vipEvent", "mapping[body.transaction]")]
    assert "body.transaction (Transaction id)" in report.errors[1].message


def test_a_type_that_cannot_fit_the_field_and_a_syntax_error_with_its_position(sample: dict, actions: dict) -> None:
    mapping = _node(sample, "vipEvent")["mapping"]
    mapping["body.value"] = "@event{purchase.customerId}"
    mapping["body.name"] = '"vip" +'
    report = _run(sample, actions)
    syntax, kind = sorted(report.errors, key=lambda f: f.code)
    assert (syntax.code, syntax.field, syntax.line, syntax.column) == ("syntax", "mapping[body.name]", 1, 8)
    assert "a string" in syntax.expected and syntax.excerpt == '"vip" +\n       ^'
    assert kind.code == "type" and kind.field == "mapping[body.value]"
    assert "decimal" in kind.message and "string" in kind.message


def test_action_responses_must_be_upstream_on_every_path(sample: dict, actions: dict) -> None:
    # The condition reads the VIP call's response, which only runs after it.
    _node(sample, "checkValue")["paths"][0]["expression"] = '@action{airshipCustomEvent.ok} == true'
    report = _run(sample, actions)
    (finding,) = report.errors
    assert (finding.code, finding.node, finding.field, finding.column) == (
        "not-upstream", "checkValue", "paths[0].expression", 1)
    # writeJourneyEvent runs before the condition on every path: fine, jo_status_code too.
    _node(sample, "checkValue")["paths"][0]["expression"] = (
        '@action{writeJourneyEvent.jo_status_code} == "http_200" and @action{writeJourneyEvent.inletId} is not null')
    assert _run(sample, actions).ok


def test_error_response_only_on_the_error_path(sample: dict, actions: dict) -> None:
    sample["nodes"].append({"id": "logError", "type": "action", "action": "notifyWebhook", "next": "callFailed",
                            "mapping": {"customerId": "@action{writeJourneyEvent.errorResponse.title}"}})
    _node(sample, "writeEvent")["timeoutOrError"] = "logError"
    assert _run(sample, actions).ok  # reached only by writeEvent's error path
    _node(sample, "vipEvent")["timeoutOrError"] = "logError"  # now also from the VIP call's error path
    (finding,) = _run(sample, actions).errors
    assert (finding.code, finding.node, finding.field) == ("error-response", "logError", "mapping[customerId]")


def test_conditions_need_booleans_and_the_journeys_own_event(sample: dict, actions: dict) -> None:
    _node(sample, "checkValue")["paths"][0]["expression"] = "@event{purchase.value} + 1"
    _node(sample, "vipEvent")["mapping"]["body.transaction"] = "@event{order.id}"
    codes = _codes(_run(sample, actions))
    assert ("error", "type", "checkValue", "paths[0].expression") in codes
    assert ("error", "unknown-event", "vipEvent", "mapping[body.transaction]") in codes


def test_graph_problems(sample: dict, actions: dict) -> None:
    _node(sample, "vipEvent")["next"] = "nowhere"
    sample["nodes"].append({"id": "orphan", "type": "end"})
    sample["nodes"].append({"id": "loopA", "type": "wait", "duration": "PT1H", "next": "loopB"})
    sample["nodes"].append({"id": "loopB", "type": "wait", "duration": "P91D", "next": "loopA"})
    codes = _codes(_run(sample, actions))
    assert ("error", "dangling", "vipEvent", "next") in codes
    assert ("warning", "unreachable", "orphan", "") in codes
    assert ("error", "cycle", "loopA", "") in codes
    assert ("error", "wait-too-long", "loopB", "duration") in codes
    cycle = next(f for f in _run(sample, actions).findings if f.code == "cycle")
    assert "loopA -> loopB -> loopA" in cycle.message


def test_entry_problems_and_nodes_that_lead_nowhere(actions: dict) -> None:
    report = _run({"name": "bare", "nodes": [{"id": "in", "type": "event", "event": "e"}]}, actions)
    assert _codes(report) == [("error", "no-next", "in", "next")]
    report = _run({"name": "none", "nodes": [{"id": "x", "type": "end"}]}, actions)
    assert _codes(report) == [("error", "no-entry", None, "")]
    report = _run({"name": "two", "nodes": [
        {"id": "a", "type": "event", "event": "e", "next": "w"}, {"id": "b", "type": "event", "event": "e", "next": "w"},
        {"id": "w", "type": "wait", "until": "now()"}]}, actions)
    assert _codes(report) == [("error", "several-entries", "b", ""), ("warning", "unreachable", "b", ""),
                              ("warning", "no-next", "w", "next")]


def test_waits_until_a_date_and_the_journeys_91_days(actions: dict) -> None:
    nodes = [{"id": "in", "type": "event", "event": "e", "example": {"n": 1}, "next": "w1"},
             {"id": "w1", "type": "wait", "duration": "P60D", "next": "w2"},
             {"id": "w2", "type": "wait", "duration": "P40D", "next": "w3"},
             {"id": "w3", "type": "wait", "until": "@event{e.n}", "next": "end"},
             {"id": "end", "type": "end"}]
    report = _run({"name": "waits", "nodes": nodes}, actions)
    assert _codes(report) == [("warning", "journey-timeout", "w2", "duration"), ("error", "type", "w3", "until")]
    assert "100 days" in report.findings[0].message


def test_platform_lint_is_a_warning_with_its_position(sample: dict, actions: dict) -> None:
    _node(sample, "checkValue")["paths"][0]["expression"] = "@event{purchase.value} > 100 AND true"
    report = _run(sample, actions)
    lint = [f for f in report.findings if f.platform and f.node == "checkValue"]
    assert report.ok and len(lint) == 1 and lint[0].column == 30 and "lowercase" in lint[0].message
    assert lint[0].to_dict()["platform"] is True


def test_unreadable_actions_are_named_at_their_nodes(sample_home: Path) -> None:
    (sample_home / "actions" / "airshipCustomEvent.json").write_text("{")
    ws = Workspace.open(sample_home)
    report = validate_in(ws, load_journey(sample_home, "sampleJourney"))
    (finding,) = report.errors
    assert finding.node == "vipEvent" and finding.code in ("unreadable-action", "unknown-action")
