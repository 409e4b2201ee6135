"""Helpers of the runner tests: small journeys over the sample's actions, profile files, a run and
its trace read back, and a transport that fails the test if anything asks it for a connection."""
from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional

import httpx

from app.journeys.actionplan import Resolvers
from app.journeys.model import Journey
from app.journeys.profiles import ProfileSource
from app.journeys.runner import JourneyRun, RunOptions, RunResult
from app.journeys.tracereader import TraceReader

EVENT = {"id": "in", "type": "event", "event": "purchase", "example": {"customerId": "c-0", "value": 1.5},
         "next": "notify"}


def notify(next_: Optional[str] = "done", error: Optional[str] = "failed", **extra: Any) -> dict[str, Any]:
    """An action node calling the sample's notifyWebhook (no auth, the sandbox's echo endpoint)."""
    node = {"id": "notify", "type": "action", "action": "notifyWebhook",
            "mapping": {"customerId": "@event{purchase.customerId}"}, **extra}
    if next_:
        node["next"] = next_
    if error:
        node["timeoutOrError"] = error
    return node


END = {"id": "done", "type": "end"}
FAILED = {"id": "failed", "type": "end", "label": "Call failed"}


def journey(*nodes: dict[str, Any], **props: Any) -> Journey:
    return Journey.model_validate({"name": props.pop("name", "test"), **props, "nodes": list(nodes)})


def rows(path: Path, items: list[dict[str, Any]]) -> Path:
    """A JSON lines profiles file."""
    path.write_text("".join(json.dumps(i) + "\n" for i in items))
    return path


def purchases(n: int, value: float = 10.0) -> list[dict[str, Any]]:
    return [{"profileId": f"p{i}", "event.customerId": f"c-{i}", "event.value": value} for i in range(1, n + 1)]


@dataclass
class Ran:
    result: RunResult
    summary: dict[str, Any]
    profiles: dict[str, list[dict[str, Any]]]  # by profile id (or #row): every entry with its steps

    def steps(self, profile: str, node: str) -> list[dict[str, Any]]:
        return [s for entry in self.profiles[profile] for s in entry["steps"] if s["node"] == node]

    def attempts(self, profile: str, node: str) -> list[dict[str, Any]]:
        return [a for s in self.steps(profile, node) for a in s["attempts"]]


def make_run(home: Path, services: Any, resolver: Any, j: Journey, **kwargs: Any) -> JourneyRun:
    actions = {n: services.workspace.load(n) for n in j.actions_used()}
    resolvers = kwargs.pop("resolvers", None) or Resolvers(resolver)
    hooks = {k: kwargs.pop(k) for k in ("progress", "cancel", "client_factory", "breakpoints", "validated") if k in kwargs}
    return JourneyRun(home, j, actions, engine=services.auth, resolvers=resolvers, options=RunOptions(**kwargs),
                      **hooks)


def read_back(result: RunResult) -> Ran:
    """The run's summary and every entry by profile (what `reader.profile(id)` gives each), read a page
    at a time (half the CPU of two queries per profile)."""
    profiles: dict[str, list[dict[str, Any]]] = {}
    with TraceReader(result.path) as reader:
        summary = reader.summary()
        for entry in reader.entries():
            profiles.setdefault(entry["profileId"] or f"#{entry['row']}", []).append(entry)
    return Ran(result, summary, profiles)


def run(home: Path, services: Any, resolver: Any, j: Journey, profiles: Path, **kwargs: Any) -> Ran:
    runner = make_run(home, services, resolver, j, **kwargs)
    with ProfileSource.open(profiles, j.entry) as source:
        return read_back(runner.run(source))


@dataclass(frozen=True)
class SampleRun:
    """The sample journey's run against the sandbox (the `sample_run` fixture): read, never changed."""
    home: Path  # the sample workspace it ran in
    ran: Ran
    progress: tuple[Any, ...]  # every RunProgress the run reported, the final one last
    token: str  # the Authorization header the run's calls were sent with
    tokens_issued: int  # the sandbox's token requests during the run


@contextmanager
def sample_services(folder: Path) -> Iterator[Any]:
    """Services on a new copy of the sample workspace in `folder`, its demo secrets in memory, for a
    module-scoped fixture (the `services` fixture is one test's): a run made once there is read by
    the module's tests, none of which changes it."""
    from app.sample import install_sample
    from app.secrets import MemoryBackend, SecretStore
    from app.services import Services

    secrets = SecretStore(MemoryBackend(), namespace="test")
    install_sample(folder, secrets)
    services = Services.open(folder, secrets)
    try:
        yield services
    finally:
        services.close()


class Tripwire(httpx.AsyncBaseTransport):
    """A transport for the shared client that records and refuses every request it is asked for."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.asked.append(str(request.url))
        raise AssertionError(f"a request reached the network transport: {request.url}")
