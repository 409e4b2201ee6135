"""The journey model and its files: the platform's formats, node errors naming the node, atomic saves."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.journeys.durations import describe, parse_duration
from app.journeys.files import JourneyFileError, list_journeys, load_file, load_journey, parse_journey, save_journey
from app.journeys.limits import url_matches
from app.journeys.model import ActionNode, ConditionNode, Edge, Journey
from app.store import Workspace

CAPPING = {"url": "https://api.example.com/*", "methods": ["POST"],
           "services": {"action": {"maxHttpConnections": 400, "rating": {"maxCallsCount": 500, "periodInMs": 1000}}}}
THROTTLING = {"urlPattern": "https://api.example.com/*", "methods": ["POST"], "maxThroughput": 200}


def _journey(**extra: object) -> dict:
    return {"name": "j", "nodes": [
        {"id": "in", "type": "event", "event": "purchase", "example": {"value": 1}, "next": "call"},
        {"id": "call", "type": "action", "action": "writeJourneyEvent", "next": "check", "timeoutOrError": "done",
         "mapping": {"body.xdmEntity.eventType": '"journey.step"'}},
        {"id": "check", "type": "condition", "label": "Big?",
         "paths": [{"label": "VIP", "expression": "@event{purchase.value} > 100", "next": "wait"}],
         "otherCases": "done"},
        {"id": "wait", "type": "wait", "duration": "PT1H", "next": "split"},
        {"id": "split", "type": "split", "branches": [{"percent": 30, "next": "cap"}, {"percent": 70, "next": "done"}]},
        {"id": "cap", "type": "cap", "limit": 10, "next": "done", "alternate": "done"},
        {"id": "done", "type": "end"},
    ], **extra}


def test_the_old_sample_journey_still_loads(sample_home: Path) -> None:
    old = {"name": "sampleJourney", "description": "d", "nodes": [
        {"id": "start", "type": "event", "event": "purchase"},
        {"id": "writeEvent", "type": "action", "action": "writeJourneyEvent", "next": "notify"},
        {"id": "notify", "type": "action", "action": "airshipCustomEvent", "next": "end"},
        {"id": "end", "type": "end"}]}
    journey = parse_journey(json.dumps(old))
    assert journey.actions_used() == ["writeJourneyEvent", "airshipCustomEvent"]
    assert journey.timeout_seconds == 30 and journey.time_zone == "UTC" and journey.reentrance.allowed


def test_every_node_type_round_trips_with_its_edges(tmp_path: Path) -> None:
    journey = Journey.model_validate(_journey(capping=[CAPPING], throttling=[THROTTLING]))
    path = save_journey(tmp_path, journey)
    assert path == tmp_path / "journeys" / "j.json"
    assert path.read_text().startswith("{\n  ")
    again = load_journey(tmp_path, "j")
    assert again == journey
    nodes = again.by_id()
    assert nodes["call"].edges() == [Edge("next", "check", ""), Edge("timeoutOrError", "done", "timeout or error")]
    assert [e.port for e in nodes["check"].edges()] == ["paths[0]", "otherCases"]
    assert [e.port for e in nodes["split"].edges()] == ["branches[0]", "branches[1]"]
    assert [e.port for e in nodes["cap"].edges()] == ["next", "alternate"]
    assert isinstance(nodes["call"], ActionNode) and isinstance(nodes["check"], ConditionNode)
    assert again.entry is not None and again.entry.example == {"value": 1}


def test_capping_and_throttling_keep_the_platforms_json_as_pasted() -> None:
    deployed = {**CAPPING, "_id": "cfg-1", "orgId": "ORG@AdobeOrg"}  # a deployed configuration's extras
    journey = Journey.model_validate(_journey(capping=deployed, throttling=THROTTLING))
    dumped = journey.dump()
    assert dumped["capping"] == [deployed] and dumped["throttling"] == [THROTTLING]
    assert journey.capping_for("https://api.example.com/v1/x", "post") is journey.capping[0]
    assert journey.capping_for("https://other.example.com/", "POST") is None
    assert journey.throttling_for("https://api.example.com/a", "GET") is None


@pytest.mark.parametrize("change, message", [
    ({"capping": [{**CAPPING, "services": {"action": {"maxHttpConnections": 401,
                                                        "rating": {"maxCallsCount": 500, "periodInMs": 1000}}}}]},
     "capping[0].services.action.maxHttpConnections: Input should be less than or equal to 400"),
    ({"capping": [{**CAPPING, "services": {"action": {"rating": {"maxCallsCount": 1, "periodInMs": 1000}}}}]},
     "capping[0].services.action.rating.maxCallsCount: Input should be greater than 1"),
    ({"throttling": [{**THROTTLING, "maxThroughput": 100}]},
     "throttling[0].maxThroughput: Input should be greater than or equal to 200"),
    ({"timeoutSeconds": 31}, "timeoutSeconds: Input should be less than or equal to 30"),
    ({"timeZone": "Mars/Base"}, "timeZone: unknown time zone 'Mars/Base'"),
    ({"reentrance": {"allowed": True, "waitPeriod": "5 minutes"}}, "reentrance.waitPeriod: '5 minutes' is not an ISO 8601"),
    ({"name": "a/b"}, "name: the journey name 'a/b' is not allowed"),
])
def test_bad_properties_are_named(change: dict, message: str) -> None:
    with pytest.raises(JourneyFileError) as info:
        parse_journey(json.dumps({**_journey(), **change}), "j.json")
    assert any(p.startswith(message) for p in info.value.problems), info.value.problems


def test_bad_nodes_are_named_by_index_and_id() -> None:
    data = _journey()
    data["nodes"][3] = {"id": "wait", "type": "wait", "duration": "PT1H", "until": "now()"}
    data["nodes"][4]["branches"][0]["percent"] = 20
    data["nodes"].append({"id": "odd", "type": "loop"})
    data["nodes"][1]["nxt"] = "x"
    with pytest.raises(JourneyFileError) as info:
        parse_journey(json.dumps(data))
    problems = info.value.problems
    assert "nodes[1] (id 'call').nxt: Extra inputs are not permitted" in problems
    assert any(p.startswith("nodes[3] (id 'wait'): a wait needs either a duration") for p in problems)
    assert "nodes[4] (id 'split').branches: the percentages add up to 90, not 100" in problems
    assert any(p.startswith("nodes[7] (id 'odd'): Input tag 'loop'") for p in problems)


def test_duplicate_node_ids_are_refused() -> None:
    data = _journey()
    data["nodes"][2]["id"] = "call"
    with pytest.raises(JourneyFileError, match="the id 'call' of nodes\\[2\\] is already used by nodes\\[1\\]"):
        parse_journey(json.dumps(data))


def test_bad_files_are_listed_with_the_reason_and_left_in_place(tmp_path: Path) -> None:
    save_journey(tmp_path, Journey.model_validate(_journey()))
    folder = tmp_path / "journeys"
    (folder / "broken.json").write_text('{"name": "broken",\n  "nodes": [')
    (folder / "latin.json").write_bytes(b'{"name": "\xe9"}')
    entries = {e.name: e for e in list_journeys(tmp_path)}
    assert entries["j"].journey is not None
    assert entries["broken"].journey is None and "line 2, column 13" in (entries["broken"].problem or "")
    assert "not UTF-8" in (entries["latin"].problem or "")
    assert (folder / "broken.json").exists() and (folder / "latin.json").exists()
    with pytest.raises(JourneyFileError, match="no journey named 'nope'.*known: broken, j, latin"):
        load_journey(tmp_path, "nope")


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(_journey()).encode())
    assert load_file(path).name == "j"


def test_rename_removes_the_old_file_and_used_in_follows(tmp_path: Path) -> None:
    journey = Journey.model_validate(_journey())
    save_journey(tmp_path, journey)
    save_journey(tmp_path, journey.model_copy(update={"name": "k"}), previous_name="j")
    assert [e.name for e in list_journeys(tmp_path)] == ["k"]
    assert Workspace.open(tmp_path).used_in() == {"writeJourneyEvent": ["k"]}


def test_durations() -> None:
    assert parse_duration("P90D").days == 90 and parse_duration("PT10S").total_seconds() == 10
    assert describe(parse_duration("P3DT12H30M")) == "3 d 12 h 30 min" and describe(parse_duration("P2D")) == "2 days"
    for bad in ("10s", "P", "-P1D", "PT0S"):
        with pytest.raises(ValueError):
            parse_duration(bad)


def test_url_patterns() -> None:
    assert url_matches("https://api.example.com/*", "https://api.example.com/v1?x=1")
    assert not url_matches("https://api.example.com/*", "https://api.example.com.evil.net/")
    assert url_matches("https://*.example.com/x", "https://a.example.com/x")
    assert not url_matches("https://api.example.com/v1", "https://api.example.com/v1/more")
