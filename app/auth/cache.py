"""TokenCache: tokens in memory only, one fetch at a time per credentials, shared by threads and loops.

Keys are hashes of the fully resolved token request, so every action (and journey run) that uses
the same credentials shares one token. A token is reused until its lifetime minus a margin:
60 s, or half the lifetime for tokens living less than 2 minutes (a 90 s token is reused for 45 s;
a fixed 60 s margin would make it useless). Concurrent callers of a key that has no fresh token
wait for the one fetch in flight (a `concurrent.futures.Future`, awaitable from any event loop
through `asyncio.wrap_future`, and waitable from any thread) instead of each fetching.
"""
from __future__ import annotations

import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Callable, Optional

from app.auth.token import Grant

MARGIN_S = 60.0


def margin(lifetime_s: float) -> float:
    """Seconds before the real expiry at which a token stops being reused."""
    return MARGIN_S if lifetime_s >= 2 * MARGIN_S else lifetime_s / 2


@dataclass(frozen=True)
class CachedToken:
    token: str = field(repr=False)
    lifetime_s: float
    fetched_at: float  # on the cache's clock
    use_until: float   # on the cache's clock, margin applied


class Abandoned(Exception):
    """The caller that was fetching gave up (cancelled); a waiter should try again itself."""


class TokenCache:
    """In-memory token cache with per-key single flight. Thread-safe; never persisted."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, CachedToken] = {}
        self._flights: dict[str, Future[Grant]] = {}

    def __repr__(self) -> str:
        return f"<TokenCache {len(self._entries)} token(s)>"

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> Optional[CachedToken]:
        """The fresh token for key, or None (an expired one is dropped)."""
        with self._lock:
            return self._fresh(key)

    def claim(self, key: str) -> tuple[Optional[CachedToken], Optional[Future[Grant]], bool]:
        """(fresh token, None, False) | (None, flight to wait for, False) | (None, new flight, True).

        With True the caller is the one fetcher and must call `settle` whatever happens.
        """
        with self._lock:
            fresh = self._fresh(key)
            if fresh is not None:
                return fresh, None, False
            flight = self._flights.get(key)
            if flight is not None:
                return None, flight, False
            flight = Future()
            self._flights[key] = flight
            return None, flight, True

    def settle(self, key: str, flight: Future[Grant], grant: Optional[Grant] = None,
               error: Optional[BaseException] = None) -> None:
        """End a fetch: store the grant (or not, on error) and wake every waiter."""
        with self._lock:
            if grant is not None:
                self._store(key, grant)
            if self._flights.get(key) is flight:
                del self._flights[key]
        if grant is not None:
            flight.set_result(grant)
        else:
            flight.set_exception(error or Abandoned())

    def put(self, key: str, grant: Grant) -> None:
        with self._lock:
            self._store(key, grant)

    def invalidate(self, key: str, token: Optional[str] = None) -> bool:
        """Drop the token of key; with `token`, only if that is still the cached one (so many
        callers who saw the same 401 cause one refetch, not one each). True if dropped."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or (token is not None and entry.token != token):
                return False
            del self._entries[key]
            return True

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _fresh(self, key: str) -> Optional[CachedToken]:
        entry = self._entries.get(key)
        if entry is not None and self.clock() >= entry.use_until:
            del self._entries[key]
            return None
        return entry

    def _store(self, key: str, grant: Grant) -> None:
        now = self.clock()
        self._entries[key] = CachedToken(grant.token, grant.lifetime_s, now,
                                         now + grant.lifetime_s - margin(grant.lifetime_s))
