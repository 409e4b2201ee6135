"""Where an action node's calls go: `sandbox` (default), `env`, `mock:FILE` or `dry`.

- sandbox: the embedded sandbox, through the environment that points at it (`{{sandbox.url}}`);
- env: the environment's real endpoint (a run that would call a host other than loopback must be
  armed: app.journeys.actionplan lists those hosts);
- mock:FILE: a scripted response per attempt (`[{"status": 503}, {"status": 200, "body": {...}}]`,
  the last one repeating), answered by an httpx transport inside the process, so the call engine's
  retries, timeouts and outcome codes apply; nothing leaves the process;
- dry: the request is built and recorded, nothing is sent, the response is null;
- replay (not from text: `journey run --replay RUN`): each attempt answered with the one recorded
  in a past run (app.journeys.replay); nothing leaves the process.
Dry and mock calls never fetch a token either: their requests carry the authentication's header
with a masked value (`OfflineAuth`).
"""
from __future__ import annotations

import asyncio
import contextlib
import contextvars
import ipaddress
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional

import httpx
from pydantic import Field, ValidationError

from app.auth.apply import Credentials, apply_token
from app.calls.send import AuthState
from app.masking import MASK
from app.model import ApiKeyAuth, BasicAuth, CustomAuth
from app.model.base import Model, format_loc
from app.model.payload import JsonError, parse_json

KINDS = ("sandbox", "env", "mock", "dry")
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


class TargetError(ValueError):
    """A target that cannot be used (unknown kind, unreadable mock file); the message says where."""


class MockResponse(Model):
    status: int = Field(ge=100, le=599)
    headers: dict[str, str] = Field(default_factory=dict)
    body: Any = None
    delay_ms: float = Field(default=0, ge=0, le=120_000)


class MockScript(Model):
    """The responses of one call's attempts, in order (the last one answers every further attempt)."""

    responses: list[MockResponse] = Field(min_length=1)

    @classmethod
    def load(cls, path: Path) -> "MockScript":
        where = f"mock file {path}"
        try:
            text = Path(path).read_text("utf-8")
        except FileNotFoundError:
            raise TargetError(f"{where}: no such file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise TargetError(f"{where}: cannot be read ({exc})") from None
        try:
            data = parse_json(text)
        except JsonError as exc:
            raise TargetError(f"{where}: not valid JSON: line {exc.line}, column {exc.column}: {exc.message}") from None
        if isinstance(data, list):
            data = {"responses": data}
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            problems = [f"{format_loc(tuple(e['loc'])) or 'the file'}: {e['msg']}" for e in exc.errors()]
            raise TargetError(f"{where}: " + "; ".join(problems)) from None


@dataclass(frozen=True)
class Target:
    kind: str
    mock: Optional[MockScript] = None
    source: str = ""  # the mock file as given; replay: the recorded run's id
    recording: Any = None  # replay: the app.journeys.replay.Recording answering the calls

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.source}" if self.kind in ("mock", "replay") else self.kind

    def transport(self) -> Optional[httpx.AsyncBaseTransport]:
        """The in-process transport answering this target's calls (mock, replay), or None."""
        if self.mock is not None:
            return MockTransport(self.mock)
        if self.recording is not None:
            from app.journeys.replay import ReplayTransport

            return ReplayTransport(self.source)
        return None

    @property
    def sends(self) -> bool:
        """Whether calls leave the process (sandbox, env)."""
        return self.kind in ("sandbox", "env")

    @classmethod
    def parse(cls, text: str, base: Path = Path(".")) -> "Target":
        """`sandbox`, `env`, `dry` or `mock:FILE` (FILE relative to base)."""
        kind, _, rest = text.partition(":")
        if kind == "mock":
            if not rest:
                raise TargetError("mock needs a file: mock:FILE (a JSON list of responses, one per attempt)")
            return cls("mock", MockScript.load(base / rest), rest)
        if kind not in KINDS or rest:
            raise TargetError(f"unknown target {text!r}; use sandbox, env, mock:FILE or dry")
        return cls(kind)


SANDBOX = Target("sandbox")

# The attempts made so far by the call running in this task (a mock answers by attempt number).
_ATTEMPTS: contextvars.ContextVar[list[int]] = contextvars.ContextVar("mock_attempts")


@contextlib.contextmanager
def mock_call() -> Iterator[None]:
    """Around one call (all its attempts) to a mock: its attempts are counted from the first."""
    token = _ATTEMPTS.set([0])
    try:
        yield
    finally:
        _ATTEMPTS.reset(token)


class MockTransport(httpx.AsyncBaseTransport):
    """Answers from a script, by attempt number; never opens a connection."""

    def __init__(self, script: MockScript) -> None:
        self.script = script

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        counter = _ATTEMPTS.get([0])
        number, counter[0] = counter[0], counter[0] + 1
        responses = self.script.responses
        answer = responses[min(number, len(responses) - 1)]
        if answer.delay_ms:
            await asyncio.sleep(answer.delay_ms / 1000)
        headers = {"x-action-studio-mock": "true", **answer.headers}
        if isinstance(answer.body, str):
            content = answer.body.encode("utf-8")
            headers.setdefault("content-type", "text/plain; charset=utf-8")
        else:
            content = b"" if answer.body is None else json.dumps(answer.body).encode("utf-8")
            if answer.body is not None:
                headers.setdefault("content-type", "application/json")
        return httpx.Response(answer.status, headers=headers, content=content, request=request)


def placeholder_credentials(auth: Any) -> Credentials:
    """What the authentication adds to a request, its secret shown masked (nothing is fetched)."""
    if isinstance(auth, CustomAuth):
        return apply_token(auth, MASK)
    if isinstance(auth, BasicAuth):
        return {"Authorization": f"Basic {MASK}"}, {}
    if isinstance(auth, ApiKeyAuth):
        return ({auth.name: MASK}, {}) if auth.location == "header" else ({}, {auth.name: MASK})
    return {}, {}


class OfflineAuth(AuthState):
    """Credentials for dry and mock calls: the placeholders above, never a token call."""

    async def get(self, *args: Any, **kwargs: Any) -> Credentials:
        if self.creds is None:
            self._set(placeholder_credentials(self.auth))
        assert self.creds is not None
        return self.creds

    async def refresh(self, *args: Any, **kwargs: Any) -> None:
        return None


class OfflineSender:
    """The run's sender when no action node's calls leave the process (every one dry, mocked or
    replayed: those never use it): none is opened, so aiohttp (~150 ms of CPU at import, its TLS
    contexts made then) is never loaded for such a run."""

    max_body = 0

    async def __aenter__(self) -> "OfflineSender":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        return None

    async def exchange(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("this run sends nothing: no call of it may leave the process")


def is_loopback(host: str) -> bool:
    """Whether a host is this machine (the embedded sandbox listens there only)."""
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
