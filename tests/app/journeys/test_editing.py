"""Editing a journey's data: add, connect, remove, rename nodes; one field's findings with position."""
from __future__ import annotations

from typing import Any

import pytest

from app.journeys.completions import completions, field_paths
from app.journeys.editing import (
    add_branch,
    add_node,
    add_path,
    build,
    connect,
    field_findings,
    find,
    ports,
    property_problems,
    remove_branch,
    remove_node,
    remove_path,
    rename_node,
    set_percent,
    set_property,
    target,
)
from app.journeys.files import load_journey


def _data(services: Any) -> dict[str, Any]:
    return load_journey(services.workspace.home, "sampleJourney").dump()


def _actions(services: Any) -> dict[str, Any]:
    return {n: services.workspace.load(n) for n in ("writeJourneyEvent", "airshipCustomEvent")}


def test_a_node_added_after_another_takes_its_first_free_port_and_builds(services: Any) -> None:
    data = _data(services)
    new = add_node(data, "wait", after="checkValue")
    assert new == "wait" and target(find(data, "checkValue"), "timeoutOrError") == "wait"
    assert [n["id"] for n in data["nodes"]][3] == "wait"
    connect(data, "wait", "next", "done")
    journey, problems = build(data)
    assert problems == [] and journey is not None and journey.node("wait").edges()[0].target == "done"


def test_removing_a_node_unsets_every_port_that_led_to_it(services: Any) -> None:
    data = _data(services)
    remove_node(data, "vipEvent")
    assert target(find(data, "checkValue"), "paths[0]") is None and "vipEvent" not in {n["id"] for n in data["nodes"]}
    assert build(data)[1] == []


def test_renaming_a_node_follows_its_incoming_ports(services: Any) -> None:
    data = _data(services)
    rename_node(data, "done", "finished")
    assert target(find(data, "checkValue"), "otherCases") == "finished"
    assert target(find(data, "vipEvent"), "next") == "finished"


def test_every_type_has_its_ports_and_a_bad_value_is_named_with_its_node() -> None:
    assert ports({"type": "condition", "paths": [{}, {}]}) == ["paths[0]", "paths[1]", "otherCases", "timeoutOrError"]
    assert ports({"type": "split", "branches": [{}, {}]}) == ["branches[0]", "branches[1]"]
    assert ports({"type": "end"}) == []
    journey, problems = build({"name": "j", "nodes": [{"id": "c", "type": "cap", "limit": 0}]})
    assert journey is None and problems == ["nodes[0] (id 'c').limit: Input should be greater than or equal to 1"]


def test_a_mapping_of_the_wrong_type_is_found_with_its_position(services: Any) -> None:
    data = _data(services)
    found = field_findings(data, _actions(services), "vipEvent", "mapping[body.value]", "@event{purchase.customerId}")
    errors = [f for f in found if f.severity == "error"]
    assert errors and errors[0].line == 1 and errors[0].column == 1 and "body.value" in errors[0].message
    syntax = field_findings(data, _actions(services), "vipEvent", "mapping[body.value]", "1 +")
    assert syntax[0].code == "syntax" and (syntax[0].line, syntax[0].column) == (1, 4)
    assert field_findings(data, _actions(services), "vipEvent", "mapping[body.value]", "@event{purchase.value}") == []


def test_completions_offer_event_profile_upstream_action_journey_and_function_words(services: Any) -> None:
    journey = load_journey(services.workspace.home, "sampleJourney")
    words = completions(journey, "vipEvent", {"writeJourneyEvent": '{"id": "x", "3h": {"a": 1}}'},
                        [{"loyalty": {"tier": "gold"}}])
    for word in ("@event{purchase.properties.userLocation.zip}", "@action{writeJourneyEvent.id}",
                 "@action{writeJourneyEvent.'3h'.a}", "@action{writeJourneyEvent.jo_status_code}",
                 "#{ExperiencePlatform.ProfileFieldGroup.profile.loyalty.tier}", "@journey{journeyVersionUID}",
                 "toString("):
        assert word in words
    # An action is offered only downstream of its call on every path.
    assert not any(w.startswith("@action{airshipCustomEvent") for w in completions(journey, "done"))
    assert list(field_paths({"a": {"b": 1}, "c": [1]})) == ["a", "a.b", "c"]



def test_paths_and_branches_are_added_and_removed_and_the_percentages_stay_at_100(services: Any) -> None:
    data = _data(services)
    assert add_path(data, "checkValue") == 1
    connect(data, "checkValue", "paths[1]", "done")
    remove_path(data, "checkValue", 0)  # the first goes, the second (and where it leads) moves up
    assert [p.get("next") for p in find(data, "checkValue")["paths"]] == ["done"]
    with pytest.raises(ValueError, match="checkValue: paths: a condition keeps at least one path"):
        remove_path(data, "checkValue", 0)
    split = add_node(data, "split", after="purchase")
    assert add_branch(data, split) == 2
    percents = lambda: [b["percent"] for b in find(data, split)["branches"]]  # noqa: E731
    assert percents() == [25, 50, 25] and find(data, split)["branches"][2]["label"] == "C"
    set_percent(data, split, 0, 70)
    assert percents() == [70, 30, 0]
    set_percent(data, split, 2, 10)
    assert percents() == [70, 20, 10]
    remove_branch(data, split, 1)
    assert percents() == [90, 10]
    with pytest.raises(ValueError, match="a split keeps at least two branches"):
        remove_branch(data, split, 0)
    assert [line for line in build(data)[1] if "branches" in line or "paths" in line] == []


def test_a_property_the_model_refuses_is_named_with_its_field(services: Any) -> None:
    data = _data(services)
    assert property_problems(data, "timeoutSeconds", 10) == []
    assert property_problems(data, "timeoutSeconds", 31) == ["timeoutSeconds: Input should be less than or equal to 30"]
    assert property_problems(data, "timeZone", "Mars/Base")[0].startswith("timeZone: unknown time zone 'Mars/Base'")
    assert property_problems(data, "reentrance.waitPeriod", "5m")[0].startswith(
        "reentrance.waitPeriod: '5m' is not an ISO 8601 duration")
    bad = [{"url": "x", "methods": ["POST"], "services": {"action": {"rating": {"maxCallsCount": 1, "periodInMs": 9}}}}]
    assert property_problems(data, "capping", bad) == [
        "capping[0].services.action.rating.maxCallsCount: Input should be greater than 1"]
    set_property(data, "reentrance.allowed", False)
    assert data["reentrance"] == {"allowed": False, "waitPeriod": "PT5M"} and build(data)[1] == []


def test_field_text_reads_where_field_findings_writes() -> None:
    """One naming of a node's expression fields for the trial (field_findings) and the box that holds
    the data's own text (field_text)."""
    from app.journeys.editing import field_text

    data = {"nodes": [{"id": "w", "mapping": {"body.id": "@event{e.id}"}},
                      {"id": "c", "paths": [{"expression": "1 > 0"}]}, {"id": "t", "duration": "PT1H"}]}
    assert field_text(data, "w", "mapping[body.id]") == "@event{e.id}"
    assert field_text(data, "c", "paths[0].expression") == "1 > 0"
    assert field_text(data, "t", "duration") == "PT1H"
    for node, field in (("w", "mapping[body.other]"), ("c", "paths[3].expression"), ("x", "duration")):
        assert field_text(data, node, field) is None
    assert "mapping" not in data["nodes"][2] and data["nodes"][1]["paths"] == [{"expression": "1 > 0"}]  # read only
