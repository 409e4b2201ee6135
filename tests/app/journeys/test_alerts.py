"""Alerts: identical findings of a node read once, with every place; different ones stay apart."""
from __future__ import annotations

from app.journeys.alerts import group
from app.journeys.findings import Finding


def test_identical_findings_of_a_node_are_one_alert_and_the_others_stay_apart() -> None:
    a = Finding("warning", "lint", "old notation", "n1", "Send", "mapping[a]", 1, 3, excerpt="x\n  ^")
    b = Finding("warning", "lint", "old notation", "n1", "Send", "mapping[b]")
    other_node = Finding("warning", "lint", "old notation", "n2", "", "mapping[a]")
    other_kind = Finding("error", "type", "old notation", "n1", "Send", "mapping[c]")
    journey = Finding("error", "entry", "no entry event")
    alerts = group([a, other_node, b, other_kind, journey])
    assert [len(x.findings) for x in alerts] == [2, 1, 1, 1]
    assert str(alerts[0]) == ("warning: node 'n1' (Send): old notation — in 2 places: mapping[a] (line 1, column 3); "
                              "mapping[b]")
    assert alerts[0].details().splitlines() == [str(alerts[0]), "· mapping[a] (line 1, column 3)", "x", "  ^",
                                                "· mapping[b]"]
    assert [str(x) for x in alerts[1:]] == [str(other_node), str(other_kind), str(journey)]
    assert alerts[3].node is None and alerts[3].places() == ["the journey"]
