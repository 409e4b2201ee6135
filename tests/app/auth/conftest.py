"""Fixtures for the auth tests: a secret store, an engine with a fake clock, a canned HTTP server."""
from __future__ import annotations

import http.server
import threading
from typing import Iterator

import pytest

from app.auth import AuthEngine
from app.model import CacheDuration, CustomAuth, CustomBody, Environment, SecretRef, Variable
from app.resolve import Resolver
from app.secrets import MemoryBackend, SecretStore

SECRET = "5678"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def store() -> SecretStore:
    return SecretStore(MemoryBackend())


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def engine(store: SecretStore, clock: FakeClock) -> AuthEngine:
    return AuthEngine(store, clock=clock, timeout=5.0)


@pytest.fixture
def secret_ref(store: SecretStore) -> SecretRef:
    return store.put(SECRET, hint="client_secret")


def resolver_for(store: SecretStore, base_url: str, **extra: str) -> Resolver:
    env = Environment(name="test", variables=[Variable(name="baseUrl", value=base_url), Variable(name="clientId", value="1234")])
    return Resolver(store, env, extra)


def ims_auth(secret: SecretRef | str, **changes: object) -> CustomAuth:
    """The seed's custom authentication, pointed at {{baseUrl}}."""
    data: dict[str, object] = dict(
        endpoint="{{baseUrl}}/ims/token/v3", method="POST",
        body=CustomBody(body_type="form", body_params={
            "grant_type": "client_credentials", "client_id": "{{clientId}}", "client_secret": secret,
            "scope": "openid,AdobeID,read_organizations"}),
        token_in_response="json://access_token",
        cache_duration=CacheDuration(duration=28000, time_unit="seconds"),
    )
    data.update(changes)
    return CustomAuth(**data)


class Canned:
    """A real HTTP server answering every request with the configured status, type and body."""

    def __init__(self) -> None:
        self.status, self.content_type, self.body = 200, "application/json", b"{}"
        self.hits = 0
        canned = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                canned.hits += 1
                self.send_response(canned.status)
                self.send_header("Content-Type", canned.content_type)
                self.send_header("Content-Length", str(len(canned.body)))
                self.end_headers()
                self.wfile.write(canned.body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        # serve_forever polls for shutdown every 0.5 s by default: every test's teardown waited for it
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def answer(self, body: str | bytes, status: int = 200, content_type: str = "application/json") -> None:
        self.body = body.encode() if isinstance(body, str) else body
        self.status, self.content_type = status, content_type

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def canned() -> Iterator[Canned]:
    server = Canned()
    yield server
    server.close()
