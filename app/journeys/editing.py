"""Editing a journey as its JSON data (the native format's dict, as `Journey.dump()` gives it):
add, remove and connect nodes. Plain dicts so the editor's undo snapshots are the data itself and
a journey half-way through an edit (a dangling port, no entry yet) is still representable; the
model and validation say what is wrong with it. No Qt.

Ports are the fields holding a target, as the model names them (`next`, `timeoutOrError`,
`paths[0]`, `otherCases`, `branches[1]`, `alternate`). A condition's paths and a split's branches
are added and removed here too (a split's percentages always add up to 100), and the journey's
properties set, each checked by the model with the field named (`timeoutSeconds: ...`,
`capping[0].services.action.rating.maxCallsCount: ...`)."""
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


# -- a condition's paths and a split's branches ----------------------------------------------------
def add_path(data: JourneyData, node_id: str) -> int:
    """A new last path of a condition (tried after the others); its index."""
    paths = find(data, node_id).setdefault("paths", [])
    paths.append({"label": "", "expression": "true"})
    return len(paths) - 1


def remove_path(data: JourneyData, node_id: str, index: int) -> None:
    """Remove a condition's path (and where it led); ValueError for the last one left."""
    paths = find(data, node_id).get("paths", [])
    if len(paths) <= 1:
        raise ValueError(f"node {node_id}: paths: a condition keeps at least one path")
    del paths[index]


def add_branch(data: JourneyData, node_id: str) -> int:
    """A new last branch of a split, its share taken from the largest branch (half of it), so the
    percentages still add up to 100; its index."""
    branches = find(data, node_id).setdefault("branches", [])
    largest = max(range(len(branches)), key=lambda i: branches[i].get("percent", 0), default=None)
    share = 0
    if largest is not None:
        share = branches[largest].get("percent", 0) // 2
        branches[largest]["percent"] = branches[largest].get("percent", 0) - share
    branches.append({"label": _branch_label(len(branches)), "percent": share if branches else 100})
    return len(branches) - 1


def remove_branch(data: JourneyData, node_id: str, index: int) -> None:
    """Remove a split's branch; its share goes to the branch before it (the next one for the
    first). ValueError when two are left (a split has at least two)."""
    branches = find(data, node_id).get("branches", [])
    if len(branches) <= 2:
        raise ValueError(f"node {node_id}: branches: a split keeps at least two branches")
    share = branches.pop(index).get("percent", 0)
    heir = branches[index - 1 if index > 0 else 0]
    heir["percent"] = heir.get("percent", 0) + share


def set_percent(data: JourneyData, node_id: str, index: int, value: int) -> None:
    """Set one branch's percentage (0-100); the others give or take the difference, the last ones
    first, so the total stays 100."""
    branches = find(data, node_id).get("branches", [])
    value = max(0, min(100, value))
    branches[index]["percent"] = value
    rest = 100 - sum(b.get("percent", 0) for b in branches)
    for i in reversed(range(len(branches))):
        if rest == 0:
            break
        if i == index:
            continue
        now = branches[i].get("percent", 0)
        moved = max(-now, min(100 - now, rest))
        branches[i]["percent"] = now + moved
        rest -= moved


def _branch_label(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else f"Branch {index + 1}"


# -- the journey's properties -----------------------------------------------------------------------
PROPERTIES = ("name", "description", "timeoutSeconds", "timeZone", "reentrance.allowed", "reentrance.waitPeriod",
              "capping", "throttling")


def set_property(data: JourneyData, key: str, value: Any) -> None:
    """Set a property by its dotted name (`reentrance.waitPeriod`); None removes it."""
    holder, _, last = key.rpartition(".")
    target_dict = data
    for part in holder.split(".") if holder else []:
        target_dict = target_dict.setdefault(part, {})
    if value is None:
        target_dict.pop(last, None)
    else:
        target_dict[last] = value


def property_problems(data: JourneyData, key: str, value: Any) -> list[str]:
    """What the model says about the property `key` if it held `value`, each line naming the field
    (`timeZone: unknown time zone ...`); empty when it may be set."""
    trial = snapshot(data)
    set_property(trial, key, value)
    base = key.partition(".")[0]
    return [p for p in build(trial)[1] if p.startswith((key + ":", key + ".", key + "[", base + ":"))]


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
    holder, key = _field_place(find(trial, node_id), field, create=True)
    if holder is None:  # a condition path the node does not have
        return []
    holder[key] = text
    journey, _problems = build(trial)
    if journey is None:
        return []
    return [f for f in validate(journey, actions).findings if f.node == node_id and f.field == field]


def field_text(data: JourneyData, node_id: str, field: str) -> Any:
    """What the data holds at a node's expression field, named as `field_findings` names it (None:
    nothing there): a box whose text is this is judged by the data's own validation."""
    node = next((n for n in data.get("nodes", []) if n.get("id") == node_id), None)
    holder, key = _field_place(node, field, create=False) if node is not None else (None, "")
    return holder.get(key) if holder is not None else None


def _field_place(node: NodeData, field: str, create: bool) -> tuple[Optional[dict[str, Any]], str]:
    """The dict that holds an expression field and its key there: `mapping[<key>]` in the node's
    mapping (made when `create`), `paths[<i>].expression` in that path (None if it has none), else
    the node's own key."""
    mapping = re.fullmatch(r"mapping\[(.+)\]", field)
    if mapping:
        return (node.setdefault("mapping", {}) if create else node.get("mapping", {})), mapping[1]
    path = re.fullmatch(r"paths\[(\d+)\]\.expression", field)
    if path:
        paths, index = node.get("paths", []), int(path[1])
        return (paths[index] if index < len(paths) else None), "expression"
    return node, field

