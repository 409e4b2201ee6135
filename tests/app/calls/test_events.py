"""Client-side checks for the two seed endpoints, mirroring the sandbox's (and the vendors') rules."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from app.calls.events import (
    check,
    check_custom_events,
    check_inlet,
    custom_event,
    inlet_entity,
    inlet_envelope,
    kind_of,
)
from app.model import Action, Endpoint

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=timezone.utc)


def paths(problems) -> list[str]:
    return [p.path for p in problems]


def test_kind_of_the_sample_actions(services) -> None:
    kinds = {n: kind_of(services.workspace.load(n)) for n in services.workspace.names()}
    assert kinds == {"airshipCustomEvent": "custom_event", "notifyWebhook": "raw", "writeJourneyEvent": "inlet"}
    assert kind_of(Action(name="x", endpoint=Endpoint(url="https://h/x"))) == "raw"


def test_a_good_custom_event_passes() -> None:
    event = custom_event("named_user_id", "hugh", "purchased", 239.85, transaction="t", session_id="s",
                         properties={"brand": "Victory", "colors": ["red"]}, occurred="2026-11-20T10:00:00")
    assert check_custom_events([event], NOW) == []
    assert "occurred" in event and event["body"]["properties"]["brand"] == "Victory"


def test_custom_event_rules_with_paths_and_messages() -> None:
    event = {"user": {"named_user_id": "u", "channel": "c"}, "occurred": "2026-11-30T00:00:00",
             "body": {"name": "Purchased", "value": "12", "session_id": 5,
                      "properties": {"long": "x" * 256, **{f"p{i}": i for i in range(100)}}}}
    found = check_custom_events([event], NOW)
    assert paths(found) == ["[0].user", "[0].occurred", "[0].body.name", "[0].body.value", "[0].body.session_id",
                            "[0].body.properties", "[0].body.properties.long"]
    messages = {p.path: p.message for p in found}
    assert "uppercase" in messages["[0].body.name"] and "'purchased'" in messages["[0].body.name"]
    assert "future" in messages["[0].occurred"]
    assert "at most 100 properties" in messages["[0].body.properties"]


def test_occurred_window_and_format() -> None:
    old = (NOW - timedelta(days=91)).strftime("%Y-%m-%dT%H:%M:%S")
    found = check_custom_events({"user": {"channel": "c"}, "occurred": old, "body": {"name": "x"}}, NOW)
    assert [p.message for p in found] == ["must be within the last 90 days"]
    found = check_custom_events({"user": {"channel": "c"}, "occurred": "2026-11-20T10:00:00+01:00",
                                 "body": {"name": "x"}}, NOW)
    assert "no offset" in found[0].message
    assert check_custom_events([], NOW)[0].message.startswith("the body must be a JSON array")


def test_inlet_envelope_from_the_action(services) -> None:
    action = services.workspace.load("writeJourneyEvent")
    entity = inlet_entity(action)
    assert entity["eventType"] == "journey.step" and len(entity["_id"]) == 32
    envelope = inlet_envelope(entity, action)
    assert envelope["header"]["imsOrgId"] == "SAMPLE_ORG@AdobeOrg"
    assert check_inlet(envelope) == [] and check("inlet", envelope) == []


def test_inlet_checks() -> None:
    envelope = inlet_envelope({"_id": 5, "timestamp": "2018-11-12 20:20"}, schema_id="nope", org="o", dataset="")
    found = check_inlet(envelope)
    assert paths(found) == ["header.schemaRef.id", "header.datasetId", "body.xdmMeta.schemaRef.id",
                            "body.xdmEntity._id", "body.xdmEntity.timestamp"]
    assert paths(check_inlet({"header": {}})) == ["header.schemaRef", "header.imsOrgId", "header.datasetId", "body"]
    assert check("raw", {"anything": True}) == []
