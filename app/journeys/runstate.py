"""What every profile of a run shares: the journey read once (nodes, ports, parsed expressions),
the preset and seed, the action calls' plan, the caps, queues and clients, the live counts."""
from __future__ import annotations

import functools
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Optional

from app.calls.answer import Sender
from app.calls.client import CallClient
from app.calls.pacing import REAL, Clock
from app.journeys import graph
from app.journeys.actionplan import CallPlan, NodeCall
from app.journeys.breakpoints import Breakpoints
from app.journeys.capping import Capping
from app.journeys.clock import Preset
from app.journeys.durations import parse_duration
from app.journeys.expr import Expr, parse
from app.journeys.model import ConditionNode, EventNode, Journey, NodeBase, WaitNode
from app.journeys.progress import ProgressBoard
from app.journeys.throttle import Throttling


@dataclass
class RunState:
    journey: Journey
    preset: Preset
    seed: int
    start: datetime
    plan: CallPlan
    board: ProgressBoard
    client: Optional[Sender] = None  # shared by every sandbox and env call
    mock_clients: dict[str, CallClient] = field(default_factory=dict)  # by node id: mock and replay
    breakpoints: Breakpoints = field(default_factory=Breakpoints)  # none set: the runner never pauses
    retry_clock: Clock = REAL  # RunOptions.retry_clock
    cap_clock: Callable[[], float] = time.monotonic  # RunOptions.cap_clock
    nodes: dict[str, NodeBase] = field(init=False)
    ports: dict[str, dict[str, str]] = field(init=False)  # node id -> port -> target id
    # node id -> port -> (target id, target node): a step's way on, looked up once per step
    routes: dict[str, dict[str, tuple[str, Optional[NodeBase]]]] = field(init=False)
    names: dict[str, str] = field(init=False)  # node id -> its name in the journey properties (label, else id)
    exprs: dict[tuple[str, str], Expr] = field(init=False)  # (node id, field) -> parsed
    # condition node id -> its paths as a step tries them: (label, expression, parsed, field, port)
    conditions: dict[str, list[tuple[str, str, Expr, str, str]]] = field(init=False)
    waits: dict[str, timedelta] = field(init=False)  # fixed wait durations by node id
    read_actions: frozenset[str] = field(init=False)  # actions whose responses some expression reads
    cap_counts: dict[str, int] = field(default_factory=dict)
    ways: dict[str, Any] = field(default_factory=dict)  # action node id -> where its calls go (actionstep._way)
    capping: Capping = field(init=False)
    throttling: Throttling = field(init=False)
    properties: dict[str, Any] = field(init=False)
    namespace: uuid.UUID = field(init=False)
    uid_prefix: str = field(init=False)  # a profile's instance id is this and its row (instance_uid)
    entry_event: str = field(init=False)  # the entry event's name: where a profile's row event goes
    _entry: Optional[EventNode] = field(init=False)

    def __post_init__(self) -> None:
        journey = self.journey
        self.nodes = journey.by_id()
        self.ports = {node: {e.port: e.target for e in out} for node, out in graph.edges(journey).items()}
        self.routes = {node: {port: (target, self.nodes.get(target)) for port, target in out.items()}
                       for node, out in self.ports.items()}
        self.names = {node.id: node.label or node.id for node in journey.nodes}
        self.exprs, self.waits, self.conditions = {}, {}, {}
        for node in journey.nodes:
            if isinstance(node, ConditionNode):
                paths = self.conditions[node.id] = []
                for i, path in enumerate(node.paths):
                    where = f"paths[{i}].expression"
                    expr = self.exprs[(node.id, where)] = parse(path.expression)
                    paths.append((path.label, path.expression, expr, where, f"paths[{i}]"))
            elif isinstance(node, WaitNode):
                if node.until is not None:
                    self.exprs[(node.id, "until")] = parse(node.until)
                else:
                    self.waits[node.id] = parse_duration(node.duration or "")
        every = [*self.exprs.values(), *(e for c in self.plan.calls.values() for _, e in c.mapping),
                 *(c.dynamic_path for c in self.plan.calls.values() if c.dynamic_path is not None)]
        self.read_actions = frozenset(r.name for e in every for r in e.references() if r.kind == "action")
        self.capping = Capping(journey.capping, clock=self.cap_clock)
        self.throttling = Throttling(journey.throttling)
        self.properties = {**journey.properties(), "namespace": "profileId"}
        self.namespace = run_namespace(journey.version_id, self.seed)
        self.uid_prefix = str(self.namespace)[:24]
        self._entry = journey.entry  # asked for every profile: the journey's nodes scanned once
        self.entry_event = self._entry.event if self._entry is not None else ""

    @property
    def entry(self) -> EventNode:
        entry = self._entry
        assert entry is not None  # validation refuses a journey without one
        return entry

    @property
    def timeout(self) -> float:
        return float(self.journey.timeout_seconds)

    def call(self, node_id: str) -> NodeCall:
        return self.plan.calls[node_id]

    def client_for(self, call: NodeCall) -> Sender:
        if call.target.kind in ("mock", "replay"):
            return self.mock_clients[call.node.id]
        assert self.client is not None
        return self.client

    def instance_uid(self, row: int) -> str:
        """The profile's journey instance id, UUID-shaped: the run's namespace with the row number as
        its last part (the same for the same row and seed; formatting beats uuid5's hashing 20 times)."""
        return f"{self.uid_prefix}{row & 0xFFFFFFFFFFFF:012x}"


@functools.lru_cache(maxsize=16)  # an export asks it for each instance of one run
def run_namespace(version_id: str, seed: int) -> uuid.UUID:
    """The run's namespace: the same journey version and seed give the same instance ids."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"action-studio:{version_id}:{seed}")


def instance_uid(version_id: str, seed: int, row: int) -> str:
    """A profile's journey instance id as RunState.instance_uid gives it (for reading a trace back)."""
    return f"{str(run_namespace(version_id, seed))[:24]}{row & 0xFFFFFFFFFFFF:012x}"
