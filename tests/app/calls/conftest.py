"""Fixtures for the call engine: the sample workspace's services pointed at a running sandbox."""
from __future__ import annotations

import asyncio
import time
from typing import Any, Callable, Optional

import httpx
import pytest

from app.calls.aiosender import AioSender
from app.resolve import Resolver
from app.services import SANDBOX_URL_VAR
from tests.helpers.clock import SkippingClock
from tests.helpers.servers import Server, trickle


@pytest.fixture
def resolver(services: Any, sandbox: Any) -> Resolver:
    """The sample's sandbox environment with {{sandbox.url}} pointing at the test's sandbox."""
    return services.resolver(overrides={SANDBOX_URL_VAR: sandbox.base_url})


@pytest.fixture
def retry_clock() -> SkippingClock:
    """The clock `call` gives the retry loop: its waits are skipped (and listed in `.waits`)."""
    return SkippingClock()


@pytest.fixture
def call(services: Any, resolver: Resolver, retry_clock: SkippingClock):
    """call(name, values=None, **kwargs): send a sample action (example values by default), its
    retries on `retry_clock` unless a `clock` is given."""
    from app.calls import example_values, send

    def run(name: str, values: Any = None, **kwargs: Any):
        action = kwargs.pop("action", None) or services.workspace.load(name)
        if values is None:
            values = example_values(action)
        kwargs.setdefault("clock", retry_clock)
        return send(action, values, engine=services.auth, resolver=resolver, **kwargs)

    return run


@pytest.fixture
def slow_body_get() -> Callable[[float], tuple[Optional[BaseException], int]]:
    """A GET through AioSender to a server that answers its headers at once, then a byte every 0.2 s (22 s
    in all), with a deadline `seconds` away: what it raised (None: nothing), and the requests the server saw."""
    def get(seconds: float) -> tuple[Optional[BaseException], int]:
        async def call(url: str) -> None:
            async with AioSender(1) as sender:
                target = httpx.URL(url)
                await sender.exchange("GET", target, url, [("Host", target.netloc.decode())], None,
                                      time.monotonic() + seconds)
        with Server(trickle(b'{"slow": "' + b"x" * 100 + b'"}', 0.2)) as server:
            try:
                asyncio.run(call(server.url + "/slow"))
            except Exception as exc:  # noqa: BLE001 - handed to the test, which says what it expects
                return exc, len(server.requests)
            return None, len(server.requests)
    return get
