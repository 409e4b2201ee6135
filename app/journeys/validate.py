"""Validation of a journey against the workspace's actions: what blocks a run, what is only a warning.

Errors: no entry event (or several), a dangling next, a cycle, a wait over 90 days, an unknown
action, a required Variable field left unmapped or a mapping for no field, an expression that does
not parse, whose type cannot fit its place, that reads an event other than the journey's, an
action not called before on every path, or `errorResponse` off the "timeout or error" path.
Warnings: unreachable nodes, a node with no way on, waits that may outlast the journey's 91 days,
and the platform lint (marked `platform`: our engine runs it, the platform would refuse it).

    report = validate(journey, actions)  # actions: name -> Action
    report = validate_in(workspace, journey)  # the workspace's actions (app.store.Workspace)
    report.ok, report.errors, report.warnings, report.findings
"""
from __future__ import annotations

import difflib
import functools
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Optional

from app.calls.values import Input, inputs
from app.journeys import graph
from app.journeys.checkexpr import Place, check
from app.journeys.durations import JOURNEY_TIMEOUT, MAX_WAIT, describe, parse_duration
from app.journeys.expr import Schema
from app.journeys.findings import Finding, Report
from app.journeys.model import ActionNode, ConditionNode, EndNode, EventNode, Journey, NodeBase, WaitNode
from app.model import Action
from app.model.payload import JsonError, parse_json

if TYPE_CHECKING:
    from app.store import Workspace


def validate(journey: Journey, actions: Mapping[str, Action], profile: Optional[dict[str, Any]] = None,
             names: Optional[Iterable[str]] = None) -> Report:
    """Every finding for the journey. actions: those it may call, by name; profile: an example
    profile for type checks, if known; names: every action name there is (for "did you mean")."""
    names = list(names) if names is not None else list(actions)
    report = Report(journey.name)
    add = report.findings.extend
    add(_structure(journey))
    facts = graph.on_every_path(journey, graph.action_facts)
    live = graph.reachable(journey)
    schema = _schema(journey, actions, profile)
    event = journey.entry.event if journey.entry else None
    for node in journey.nodes:
        known = facts.get(node.id, frozenset()) if node.id in live else frozenset()
        place = functools.partial(_place, node, known, event)  # this node's places
        if isinstance(node, ActionNode):
            add(_action(node, actions.get(node.action), names, place, schema))
        elif isinstance(node, ConditionNode):
            for i, path in enumerate(node.paths):
                add(check(path.expression, place(f"paths[{i}].expression"), schema, "boolean", "a condition path"))
        elif isinstance(node, WaitNode):
            add(_wait(node, place, schema))
    return report


# -- the graph -------------------------------------------------------------------------------------
def _structure(journey: Journey) -> Iterable[Finding]:
    events = [n for n in journey.nodes if isinstance(n, EventNode)]
    if not events:
        yield Finding("error", "no-entry", "the journey has no entry event node")
    for extra in events[1:]:
        yield _at(extra, "error", "several-entries", f"a journey has one entry event; {events[0].id!r} is already it")
    for node, edge in graph.dangling(journey):
        yield _at(node, "error", "dangling", f"leads to {edge.target!r}, which is no node of this journey", edge.port)
    cycle = graph.find_cycle(journey)
    if cycle:
        first = journey.node(cycle[0])
        assert first is not None
        yield _at(first, "error", "cycle", "the journey loops: " + " -> ".join(cycle) + " (a journey is acyclic)")
    live = graph.reachable(journey)
    for node in journey.nodes:
        if events and node.id not in live:
            yield _at(node, "warning", "unreachable", "no path from the entry event reaches this node")
        elif not isinstance(node, EndNode) and not node.edges():
            severity = "error" if isinstance(node, EventNode) else "warning"
            yield _at(node, severity, "no-next", "nothing follows this node: profiles that reach it stop here", "next")
    yield from _total_waits(journey)


def _total_waits(journey: Journey) -> Iterable[Finding]:
    """A profile enters a wait only if it can end before the journey's 91 days: warn past that."""
    longest: dict[str, timedelta] = {}
    preds = graph.predecessors(journey)
    nodes = journey.by_id()
    for node_id in graph.topological_order(journey):
        before = max((longest[s] for s, _ in preds[node_id] if s in longest), default=timedelta(0))
        node = nodes[node_id]
        own = _duration(node) if isinstance(node, WaitNode) else None
        longest[node_id] = before + (own or timedelta(0))
        if own is not None and own <= MAX_WAIT and longest[node_id] > JOURNEY_TIMEOUT:
            yield _at(node, "warning", "journey-timeout",
                      f"profiles may reach the end of this wait after {describe(longest[node_id])} in the journey; "
                      f"past {describe(JOURNEY_TIMEOUT)} the platform ends their journey", "duration")


def _duration(node: WaitNode) -> Optional[timedelta]:
    return parse_duration(node.duration) if node.duration else None


# -- the nodes -------------------------------------------------------------------------------------
def _place(node: NodeBase, known: frozenset[str], event: Optional[str], field: str) -> Place:
    return Place(node, field, known, event)


def _action(node: ActionNode, action: Optional[Action], names: list[str], place: Any, schema: Schema) -> list[Finding]:
    if action is None:
        close = difflib.get_close_matches(node.action, names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        message = f"no action named {node.action!r} in this workspace{hint}"
        return [_at(node, "error", "unknown-action", message, "action")]
    out: list[Finding] = []
    wanted = inputs(action)
    mapped: dict[str, Any] = {}
    for key in node.mapping:
        found = _input(wanted, key)
        if found is None:
            fields = ", ".join(i.key for i in wanted) or "none"
            out.append(_at(node, "error", "unknown-field", f"{key!r} is no Variable field of {action.name!r} "
                           f"(its Variable fields: {fields})", f"mapping[{key}]"))
        else:
            mapped[found.key] = key
    for item in wanted:
        if item.key in mapped:
            key = mapped[item.key]
            out += check(node.mapping[key], place(f"mapping[{key}]"), schema, item.type, f"{item.shown} ({item.type})")
        elif not item.optional:
            out.append(_at(node, "error", "unmapped-field", f"the required Variable field {item.shown} of "
                           f"{action.name!r} is not mapped", f"mapping[{item.key}]"))
    if node.dynamic_path is not None:
        out += check(node.dynamic_path, place("dynamicPath"), schema, "string", "the dynamic path")
    return out


def _input(wanted: list[Input], key: str) -> Optional[Input]:
    """The input a mapping key names: its key, or its label (case-insensitive), as values accept."""
    lowered = key.strip().lower()
    return (next((i for i in wanted if i.key == key), None)
            or next((i for i in wanted if i.key.lower() == lowered), None)
            or next((i for i in wanted if i.label.lower() == lowered), None))


def _wait(node: WaitNode, place: Any, schema: Schema) -> list[Finding]:
    if node.until is not None:
        return check(node.until, place("until"), schema, "date", "a wait's 'until'")
    duration = _duration(node)
    if duration is not None and duration > MAX_WAIT:
        return [_at(node, "error", "wait-too-long", f"waits {describe(duration)}; the platform's longest wait is "
                    f"{describe(MAX_WAIT)}", "duration")]
    return []


def _schema(journey: Journey, actions: Mapping[str, Action], profile: Optional[dict[str, Any]]) -> Schema:
    """The field types the expressions can be checked against: the event's and the responses' examples."""
    events = {n.event: n.example for n in journey.nodes if isinstance(n, EventNode) and n.example}
    responses: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for name, action in actions.items():
        for payload, target in ((action.response, responses), (action.error_response, errors)):
            if payload is not None:
                try:
                    target[name] = parse_json(payload.example)
                except JsonError:
                    pass  # the action's own validation reports its example
    return Schema.from_examples(events=events, actions=responses, profile=profile, error_responses=errors)


def _at(node: NodeBase, severity: str, code: str, message: str, field: str = "") -> Finding:
    return Finding(severity, code, message, node.id, node.label, field)  # type: ignore[arg-type]


def validate_in(workspace: Workspace, journey: Journey) -> Report:
    """validate() against a Workspace's actions (app.store); an action file that cannot be read is an
    error at the nodes that call it."""
    from app.store import StoreError

    names = workspace.names()
    actions: dict[str, Action] = {}
    unreadable: dict[str, str] = {}
    for name in journey.actions_used():
        if name in names:
            try:
                actions[name] = workspace.load(name)
            except StoreError as exc:
                unreadable[name] = str(exc)
    report = validate(journey, actions, names=[n for n in names if n not in unreadable])
    for node in journey.action_nodes():
        if node.action in unreadable:
            report.findings = [f for f in report.findings if not (f.node == node.id and f.code == "unknown-action")]
            report.findings.append(_at(node, "error", "unreadable-action", unreadable[node.action], "action"))
    return report
