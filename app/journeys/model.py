"""The journey model: properties, capping and throttling, and the nodes with their outgoing paths.

Stored as `journeys/<name>.json` (camelCase like actions; see app.journeys.files). The model checks
what one node can check on its own (a duration's format, a split's percentages, unique ids);
what needs the whole graph or the actions (dangling next, cycles, mappings, expressions) is
app.journeys.validate's job, so a journey being edited always loads.

Every outgoing path of a node is an `Edge` whose `port` names the field holding its target
(`next`, `timeoutOrError`, `paths[0]`, `otherCases`, `branches[1]`, `alternate`): traces record
the port a profile took, and per-edge counts are keyed by (node id, port).
"""
from __future__ import annotations

import re
import uuid
import zoneinfo
from typing import TYPE_CHECKING, Annotated, Any, Iterator, Literal, NamedTuple, Optional, Union

from pydantic import Field, field_validator, model_validator

from app.journeys.durations import parse_duration
from app.journeys.limits import CappingConfig, ThrottlingConfig
from app.model.base import Model

NAME_RULE = "letters, digits, space, _ . - (1 to 100 characters, not starting with a space or '.')"
_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9 _.-]{0,99}")
_NODE_ID = re.compile(r"[A-Za-z0-9_.:-]{1,100}")
_EVENT_NAME = re.compile(r"[A-Za-z0-9_-]{1,100}")
NODE_TYPES = ("event", "action", "condition", "wait", "split", "cap", "end")


def journey_name_problem(name: str) -> Optional[str]:
    """Why a journey name is refused (it is also the file name), or None."""
    if not _NAME.fullmatch(name) or name != name.rstrip():
        return f"the journey name {name!r} is not allowed; use {NAME_RULE}"
    return None


class Edge(NamedTuple):
    """One outgoing path: the port (the field holding the target), the target id, a label."""

    port: str
    target: str
    label: str


class NodeBase(Model):
    id: str
    label: str = ""
    if TYPE_CHECKING:  # each node type declares its own literal `type` field
        type: str

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _NODE_ID.fullmatch(value):
            raise ValueError(f"node id {value!r}: use 1 to 100 letters, digits, _ . : -")
        return value

    def edges(self) -> list[Edge]:
        """The outgoing paths that are set, in the order the node tries them."""
        return []

    @property
    def title(self) -> str:
        """How messages name the node: its label and id."""
        return f"{self.label!r} ({self.id})" if self.label else repr(self.id)


def _edge(port: str, target: Optional[str], label: str) -> list[Edge]:
    return [Edge(port, target, label)] if target else []


class EventNode(NodeBase):
    """The entry: an event by name and an example payload (the fields a profile row leaves out)."""

    type: Literal["event"] = "event"
    event: str
    example: dict[str, Any] = Field(default_factory=dict)
    next: Optional[str] = None

    @field_validator("event")
    @classmethod
    def _event(cls, value: str) -> str:
        if not _EVENT_NAME.fullmatch(value):
            raise ValueError(f"event name {value!r}: use 1 to 100 letters, digits, _ -")
        return value

    def edges(self) -> list[Edge]:
        return _edge("next", self.next, "")


class ActionNode(NodeBase):
    """A custom action: an expression for each Variable field (by its path in the request payload,
    as `Payload.variables()` gives it), an optional dynamic path, an optional error path."""

    type: Literal["action"] = "action"
    action: str
    mapping: dict[str, str] = Field(default_factory=dict)
    dynamic_path: Optional[str] = None
    next: Optional[str] = None
    timeout_or_error: Optional[str] = None

    def edges(self) -> list[Edge]:
        return _edge("next", self.next, "") + _edge("timeoutOrError", self.timeout_or_error, "timeout or error")


class ConditionPath(Model):
    label: str = ""
    expression: str
    next: Optional[str] = None


class ConditionNode(NodeBase):
    """Ordered paths: the first whose expression is true is taken, else "other cases" if set."""

    type: Literal["condition"] = "condition"
    paths: list[ConditionPath] = Field(min_length=1)
    other_cases: Optional[str] = None
    timeout_or_error: Optional[str] = None

    def edges(self) -> list[Edge]:
        out = [Edge(f"paths[{i}]", p.next, p.label or f"path {i + 1}") for i, p in enumerate(self.paths) if p.next]
        return out + _edge("otherCases", self.other_cases, "other cases") + _edge(
            "timeoutOrError", self.timeout_or_error, "timeout or error")


class WaitNode(NodeBase):
    """A fixed ISO 8601 duration, or an expression giving the date-time to wait until."""

    type: Literal["wait"] = "wait"
    duration: Optional[str] = None
    until: Optional[str] = None
    next: Optional[str] = None

    @field_validator("duration")
    @classmethod
    def _duration(cls, value: Optional[str]) -> Optional[str]:
        if value is not None:
            parse_duration(value)
        return value

    @model_validator(mode="after")
    def _one_of(self) -> "WaitNode":
        if (self.duration is None) == (self.until is None):
            raise ValueError("a wait needs either a duration (ISO 8601, e.g. PT1H) or an 'until' expression, not both")
        return self

    def edges(self) -> list[Edge]:
        return _edge("next", self.next, "")


class SplitBranch(Model):
    label: str = ""
    percent: int = Field(ge=0, le=100)
    next: Optional[str] = None


class SplitNode(NodeBase):
    """Random by percentages (100 in total), from the run's seeded generator."""

    type: Literal["split"] = "split"
    branches: list[SplitBranch] = Field(min_length=2)

    @field_validator("branches")
    @classmethod
    def _total(cls, branches: list[SplitBranch]) -> list[SplitBranch]:
        total = sum(b.percent for b in branches)
        if total != 100:
            raise ValueError(f"the percentages add up to {total}, not 100")
        return branches

    def edges(self) -> list[Edge]:
        return [Edge(f"branches[{i}]", b.next, b.label or f"{b.percent}%")
                for i, b in enumerate(self.branches) if b.next]


class CapNode(NodeBase):
    """Profile cap: the first `limit` profiles go on by `next`, the rest by `alternate`."""

    type: Literal["cap"] = "cap"
    limit: int = Field(ge=1)
    next: Optional[str] = None
    alternate: Optional[str] = None

    def edges(self) -> list[Edge]:
        return _edge("next", self.next, "") + _edge("alternate", self.alternate, "over the cap")


class EndNode(NodeBase):
    type: Literal["end"] = "end"


Node = Annotated[
    Union[EventNode, ActionNode, ConditionNode, WaitNode, SplitNode, CapNode, EndNode],
    Field(discriminator="type"),
]


class Reentrance(Model):
    """Whether a profile may enter again, and how long after entering a return is discarded."""

    allowed: bool = True
    wait_period: str = "PT5M"

    @field_validator("wait_period")
    @classmethod
    def _period(cls, value: str) -> str:
        parse_duration(value)
        return value


class Journey(Model):
    """One journey version, in the native on-disk format."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    version_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    name: str
    description: str = ""
    timeout_seconds: int = Field(default=30, ge=1, le=30)
    time_zone: str = "UTC"
    reentrance: Reentrance = Field(default_factory=Reentrance)
    capping: list[CappingConfig] = Field(default_factory=list)
    throttling: list[ThrottlingConfig] = Field(default_factory=list)
    nodes: list[Node] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        problem = journey_name_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/Paris or UTC)") from None
        return value

    @field_validator("capping", "throttling", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        # A single deployed configuration pasted as an object is one item.
        return [value] if isinstance(value, dict) else value

    @field_validator("nodes")
    @classmethod
    def _unique_ids(cls, nodes: list[NodeBase]) -> list[NodeBase]:
        seen: dict[str, int] = {}
        for i, node in enumerate(nodes):
            if node.id in seen:
                raise ValueError(f"the id {node.id!r} of nodes[{i}] is already used by nodes[{seen[node.id]}]")
            seen[node.id] = i
        return nodes

    # -- reading -----------------------------------------------------------------------------
    def by_id(self) -> dict[str, NodeBase]:
        """The nodes by id (a new dict: callers that look up often keep it)."""
        return {n.id: n for n in self.nodes}

    def node(self, node_id: str) -> Optional[NodeBase]:
        return next((n for n in self.nodes if n.id == node_id), None)

    @property
    def entry(self) -> Optional[EventNode]:
        """The first event node (validation reports a journey with none, or with several)."""
        return next((n for n in self.nodes if isinstance(n, EventNode)), None)

    def action_nodes(self) -> Iterator[ActionNode]:
        return (n for n in self.nodes if isinstance(n, ActionNode))

    def actions_used(self) -> list[str]:
        """The action names the journey calls, in node order, once each."""
        return list(dict.fromkeys(n.action for n in self.action_nodes()))

    def capping_for(self, url: str, method: str) -> Optional[CappingConfig]:
        """The first capping configuration that applies to a call (None: the platform's default)."""
        return next((c for c in self.capping if c.applies_to(url, method)), None)

    def throttling_for(self, url: str, method: str) -> Optional[ThrottlingConfig]:
        return next((t for t in self.throttling if t.applies_to(url, method)), None)

    def properties(self) -> dict[str, str]:
        """The journey properties known before a run (the runner adds the per-profile ones)."""
        return {"journeyUID": self.id, "journeyVersionUID": self.version_id, "journeyVersionName": self.name}
