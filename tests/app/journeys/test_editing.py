"""Editing a journey's data: add, connect, remove, rename nodes; one field's findings with position."""
from __future__ import annotations

from typing import Any

from app.journeys.completions import completions, field_paths
from app.journeys.editing import add_node, build, connect, field_findings, find, ports, remove_node, rename_node, target
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

