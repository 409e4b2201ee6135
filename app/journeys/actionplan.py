"""What each action node needs before the first profile: its target, its request resolved once
(app.calls.build.prepare), its credentials (one AuthState per action and target, so one token fetch
for the whole run), its parsed expressions, and the hosts it would call.

`plan_calls` refuses (PlanError, every problem listed) a request that cannot be built, and lists
the real hosts (anything but loopback) a run would call: the runner refuses those unless armed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional
from urllib.parse import urlsplit

from app.calls.build import Prepared, SetupError, prepare
from app.calls.send import AuthState
from app.journeys.expr import Expr, ExprError, parse
from app.journeys.model import ActionNode, Journey
from app.journeys.targets import SANDBOX, OfflineAuth, Target, is_loopback
from app.masking import Masker
from app.model import Action, CustomAuth
from app.resolve import Resolver

if TYPE_CHECKING:
    from app.auth.engine import AuthEngine


class PlanError(ValueError):
    """The run cannot start; `problems` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Resolvers:
    """The {{variables}} of each target: `sandbox` (the environment pointing at the embedded
    sandbox) and `env` (the chosen environment; dry and mock calls are built with it too)."""

    sandbox: Resolver
    env: Optional[Resolver] = None

    def of(self, target: Target) -> Resolver:
        return self.sandbox if target.kind == "sandbox" else (self.env or self.sandbox)


@dataclass
class NodeCall:
    """One action node, ready to call: mapping is (key as written, parsed expression)."""

    node: ActionNode
    action: Action
    target: Target
    prepared: Prepared
    auth: AuthState
    mapping: list[tuple[str, Expr]]
    dynamic_path: Optional[Expr]
    hosts: tuple[str, ...] = ()
    compiled: Optional[list[tuple[str, Callable[[Any], Any]]]] = None  # the mapping's functions, once run


@dataclass
class CallPlan:
    calls: dict[str, NodeCall] = field(default_factory=dict)
    masker: Masker = field(default_factory=Masker)

    def real_hosts(self) -> dict[str, list[str]]:
        """Hosts other than this machine that calls would reach, with the nodes calling each."""
        out: dict[str, list[str]] = {}
        for call in self.calls.values():
            if call.target.sends:
                for host in call.hosts:
                    if not is_loopback(host):
                        out.setdefault(host, []).append(call.node.id)
        return out

    def targets(self) -> dict[str, str]:
        return {node: call.target.label for node, call in self.calls.items()}


def plan_calls(journey: Journey, actions: Mapping[str, Action], targets: Mapping[str, Target],
               resolvers: Resolvers, engine: AuthEngine) -> CallPlan:
    """Prepare every action node; PlanError lists each node that cannot be called."""
    plan, problems = CallPlan(), []
    nodes = {n.id: n for n in journey.action_nodes()}
    for node_id in targets:
        if node_id not in nodes:
            known = ", ".join(nodes) or "none"
            problems.append(f"--target {node_id}: no action node with that id (action nodes: {known})")
    prepared: dict[tuple[str, int], Prepared] = {}
    auths: dict[tuple[str, str], AuthState] = {}
    for node in nodes.values():
        action = actions.get(node.action)
        if action is None:
            problems.append(f"node {node.title}: no action named {node.action!r}")
            continue
        target = targets.get(node.id, SANDBOX)
        resolver = resolvers.of(target)
        try:
            key = (action.name, id(resolver))
            if key not in prepared:
                prepared[key] = prepare(action, resolver)
            hosts = call_hosts(prepared[key], action, resolver) if target.sends else ()
            mapping = [(k, parse(text)) for k, text in node.mapping.items()]
            dynamic = parse(node.dynamic_path) if node.dynamic_path is not None else None
        except (SetupError, ExprError) as exc:
            problems.append(f"node {node.title} ({target.label}): {exc}")
            continue
        kind = target.kind if target.sends else "offline"
        auth = auths.get((action.name, kind))
        if auth is None:
            auth_class = AuthState if target.sends else OfflineAuth
            auth = auths[(action.name, kind)] = auth_class(engine, action, resolver, plan.masker)
        plan.calls[node.id] = NodeCall(node, action, target, prepared[key], auth, mapping, dynamic, hosts)
    if problems:
        raise PlanError(problems)
    for resolver in {id(r): r for r in (resolvers.sandbox, resolvers.env) if r is not None}.values():
        plan.masker.add(resolver.secret_values)
    return plan


def call_hosts(prepared: Prepared, action: Action, resolver: Resolver) -> tuple[str, ...]:
    """The hosts a call reaches: the action's, and its token endpoint's (custom authentication)."""
    hosts = [_host(prepared.url)]
    if isinstance(action.auth, CustomAuth):
        try:
            hosts.append(_host(resolver.text(action.auth.endpoint, "the token endpoint")))
        except Exception as exc:  # MissingVariable, a {{variable}} loop
            raise SetupError(str(exc)) from None
    return tuple(dict.fromkeys(h for h in hosts if h))


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
