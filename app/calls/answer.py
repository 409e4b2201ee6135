"""What a sender hands the call engine (app.calls.send): a response already read (`Answer`), and the
one method every sender has (`Sender`), so retries, outcome codes, masking and recording are the
same whichever library carried the call: httpx for one call (app.calls.client), aiohttp directly
for the bulk and journey paths (app.calls.aiosender)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Protocol, Sequence

import httpx

from app.net.redirects import IsSecret

Pairs = Sequence[tuple[str, str]]  # header (name, value) pairs, in the order they are sent
REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(slots=True)
class Answer:
    """A response: status, reason, headers as received (latin-1 text), the (decoded) body up to the
    cap, and the cap when the body was cut there."""

    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    cut: Optional[int] = None
    content_type: Optional[str] = None  # the Content-Type header, when the sender has it at hand

    def header(self, name: str) -> Optional[str]:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    @property
    def location(self) -> Optional[str]:
        """Where a redirect points (None when this is not one)."""
        return self.header("location") if self.status in REDIRECTS else None


class Sender(Protocol):
    """Carries one attempt (following redirects under the credentials rule, app.net.redirects)."""

    max_body: int

    async def exchange(self, method: str, target: httpx.URL, url: str, headers: Pairs, body: Optional[bytes],
                       deadline: float, secret_header: IsSecret, secret_param: IsSecret) -> Answer:
        """Send by `deadline` (time.monotonic()); `url` is `target` as text. Raises on a failure."""

    async def __aenter__(self) -> Any: ...

    async def __aexit__(self, *exc: Any) -> Any: ...
