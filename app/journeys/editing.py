"""Editing a journey as its JSON data (the native format's dict, as `Journey.dump()` gives it):
add, remove and connect nodes. Plain dicts so the editor's undo snapshots are the data itself and
a journey half-way through an edit (a dangling port, no entry yet) is still representable; the
model and validation say what is wrong with it. No Qt.

Ports are the fields holding a target, as the model names them (`next`, `timeoutOrError`,
`paths[0]`, `otherCases`, `branches[1]`, `alternate`)."""
from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any, Mapping, Optional

from app.journeys.model import NODE_TYPES

if TYPE_CHECKING:
    from app.journeys.findings import Finding
    from app.journeys.model import Journey

JourneyData = dict[str, Any]
NodeData = dict[str, Any]
_INDEXED = re.compile(r"(paths|branches)\[(\d+)\]")


def ports(node: NodeData) -> list[str]:
    """Every port of a node, set or not, in the order the node tries them."""
    kind = node.get("type")
    if kind in ("event", "wait"):
        return ["next"]
    if kind == "action":
        return ["next", "timeoutOrError"]
    if kind == "condition":
        return [f"paths[{i}]" for i in range(len(node.get("paths", [])))] + ["otherCases", "timeoutOrError"]
    if kind == "split":
        return [f"branches[{i}]" for i in range(len(node.get("branches", [])))]
    if kind == "cap":
        return ["next", "alternate"]
    return []


def target(node: NodeData, port: str) -> Optional[str]:
    indexed = _INDEXED.fullmatch(port)
    if indexed:
        items = node.get(indexed[1], [])
        i = int(indexed[2])
        return items[i].get("next") if i < len(items) else None
    return node.get(port)


def connect(data: JourneyData, node_id: str, port: str, to: Optional[str]) -> None:
    """Point a node's port at another node (None: unset it)."""
    node = find(data, node_id)
    indexed = _INDEXED.fullmatch(port)
    holder, key = (node[indexed[1]][int(indexed[2])], "next") if indexed else (node, port)
    if to:
        holder[key] = to
    else:
        holder.pop(key, None)


def find(data: JourneyData, node_id: str) -> NodeData:
    return next(n for n in data["nodes"] if n.get("id") == node_id)


def free_id(data: JourneyData, base: str) -> str:
    taken = {n.get("id") for n in data.get("nodes", [])}
    if base not in taken:
        return base
    return next(f"{base}{i}" for i in range(2, len(taken) + 3) if f"{base}{i}" not in taken)


def new_node(data: JourneyData, kind: str, action: str = "") -> NodeData:
    """A node of that type with the defaults the model accepts, under a free id."""
    if kind not in NODE_TYPES:
        raise ValueError(f"unknown node type {kind!r}; use one of {', '.join(NODE_TYPES)}")
    defaults: dict[str, NodeData] = {
        "event": {"event": "myEvent"}, "action": {"action": action, "mapping": {}},
        "condition": {"paths": [{"label": "", "expression": "true"}]}, "wait": {"duration": "PT1H"},
        "split": {"branches": [{"label": "A", "percent": 50}, {"label": "B", "percent": 50}]},
        "cap": {"limit": 100}, "end": {},
    }
    return {"id": free_id(data, kind), "label": "", "type": kind, **defaults[kind]}


def add_node(data: JourneyData, kind: str, after: Optional[str] = None, action: str = "") -> str:
    """Add a node (after `after` in the list, and connected from its first free port); its id."""
    node = new_node(data, kind, action)
    nodes = data.setdefault("nodes", [])
    index = next((i + 1 for i, n in enumerate(nodes) if n.get("id") == after), len(nodes))
    nodes.insert(index, node)
    if after is not None:
        source = find(data, after)
        free = next((p for p in ports(source) if not target(source, p)), None)
        if free is not None:
            connect(data, after, free, node["id"])
    return node["id"]


def remove_node(data: JourneyData, node_id: str) -> None:
    """Remove a node and unset every port that led to it (nothing is left dangling)."""
    data["nodes"] = [n for n in data["nodes"] if n.get("id") != node_id]
    for node in data["nodes"]:
        for port in ports(node):
            if target(node, port) == node_id:
                connect(data, node["id"], port, None)


def rename_node(data: JourneyData, old: str, new: str) -> None:
    """Change a node's id and every port that led to it."""
    for node in data["nodes"]:
        for port in ports(node):
            if target(node, port) == old:
                connect(data, node["id"], port, new)
    find(data, old)["id"] = new


def snapshot(data: JourneyData) -> JourneyData:
    return copy.deepcopy(data)


def build(data: JourneyData) -> tuple[Optional["Journey"], list[str]]:
    """The journey the data makes, or None and each reason (`nodes[2] (id 'x').limit: ...`)."""
    from pydantic import ValidationError

    from app.journeys.files import error_lines
    from app.journeys.model import Journey

    try:
        return Journey.model_validate(data), []
    except ValidationError as exc:
        return None, error_lines(exc, data)


def field_findings(data: JourneyData, actions: Mapping[str, Any], node_id: str, field: str,
                   text: str) -> list["Finding"]:
    """What validation says about one expression field of a node if it held `text` (a mapping is
    `mapping[<key>]`, a condition path `paths[0].expression`): syntax, references and type, with
    their line and column."""
    from app.journeys.validate import validate

    trial = snapshot(data)
    node = find(trial, node_id)
    mapping = re.fullmatch(r"mapping\[(.+)\]", field)
    path = re.fullmatch(r"paths\[(\d+)\]\.expression", field)
    if mapping:
        node.setdefault("mapping", {})[mapping[1]] = text
    elif path:
        node["paths"][int(path[1])]["expression"] = text
    else:
        node[field] = text
    journey, _problems = build(trial)
    if journey is None:
        return []
    return [f for f in validate(journey, actions).findings if f.node == node_id and f.field == field]
