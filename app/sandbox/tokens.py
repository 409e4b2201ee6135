"""Access tokens the sandbox's token endpoint issued, each with its expiry.

The inlet and custom-events endpoints ask this registry whether a bearer token is valid, so a
client that forgets to renew an expired token sees the same 401/403 as against the real APIs.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from enum import Enum


class TokenState(Enum):
    """What the registry knows about a presented token."""

    VALID = "valid"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """One issued token: who asked for it and when it stops being valid (epoch seconds)."""

    client_id: str
    scopes: tuple[str, ...]
    expires_at: float


@dataclass
class TokenRegistry:
    """Issued tokens with expiry; thread-safe (the API thread can force expiry)."""

    _tokens: dict[str, IssuedToken] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def issue(self, client_id: str, scopes: tuple[str, ...], ttl: int) -> str:
        """Create, remember and return a new unique token valid for ``ttl`` seconds."""
        issued_at = time.time()
        token = _jwt_like(client_id, scopes, issued_at, ttl)
        with self._lock:
            self._prune(issued_at)
            self._tokens[token] = IssuedToken(client_id, scopes, issued_at + ttl)
        return token

    def check(self, token: str) -> TokenState:
        """Whether ``token`` was issued here and is still valid."""
        with self._lock:
            issued = self._tokens.get(token)
        if issued is None:
            return TokenState.UNKNOWN
        return TokenState.VALID if issued.expires_at > time.time() else TokenState.EXPIRED

    def expire_all(self) -> int:
        """Force every issued token to be expired now; returns how many were still valid."""
        moment = time.time()
        with self._lock:
            live = [t for t, i in self._tokens.items() if i.expires_at > moment]
            for token in live:
                old = self._tokens[token]
                self._tokens[token] = IssuedToken(old.client_id, old.scopes, moment)
        return len(live)

    def _prune(self, moment: float) -> None:
        # Expired tokens are kept a day so they answer "expired" rather than "unknown",
        # then dropped so a long benchmark does not grow memory without bound.
        if len(self._tokens) < 10_000:
            return
        horizon = moment - 86400
        for token in [t for t, i in self._tokens.items() if i.expires_at < horizon]:
            del self._tokens[token]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jwt_like(client_id: str, scopes: tuple[str, ...], issued_at: float, ttl: int) -> str:
    """A random token shaped like the vendor's JWTs (three base64url parts), never reused."""
    header = {"alg": "RS256", "typ": "JWT", "kid": "sandbox"}
    payload = {
        "id": str(uuid.uuid4()),
        "type": "access_token",
        "client_id": client_id,
        "scope": ",".join(scopes),
        "created_at": str(int(issued_at * 1000)),
        "expires_in": str(ttl * 1000),
    }
    return ".".join(
        (_b64(json.dumps(header).encode()), _b64(json.dumps(payload).encode()), secrets.token_urlsafe(32))
    )
