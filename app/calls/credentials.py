"""AuthState: the credentials the calls of one run carry, and which headers and parameters hold one."""
from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Optional

from app.auth.errors import AuthTimeout
from app.calls.build import Outgoing
from app.masking import Masker, is_secret_key
from app.model import Action, CustomAuth
from app.net import header_problem
from app.resolve import Resolver

if TYPE_CHECKING:
    from app.auth.engine import AuthEngine

Creds = tuple[dict[str, str], dict[str, str]]
Pairs = tuple[tuple[str, str], ...]
# The request headers (pairs, Host first), their masked form, and why they cannot be sent (None when they can).
Headers = tuple[Optional[Pairs], list[tuple[str, str]], Optional[str]]


class AuthState:
    """The credentials calls carry, shared by every call of a run: fetched once, refreshed once
    per rejected token (concurrent 401s on the same token cause one refetch). Getting them counts
    against the call's deadline: the token call and the action call share the call's timeout."""

    def __init__(self, engine: AuthEngine, action: Action, resolver: Resolver, masker: Masker) -> None:
        self.engine, self.auth, self.resolver, self.masker = engine, action.auth, resolver, masker
        self.custom = isinstance(action.auth, CustomAuth)
        self.creds: Optional[Creds] = None
        self._lock = asyncio.Lock()
        self._headers: dict[tuple[int, int, str], Headers] = {}
        self._sized: dict[tuple[int, int], tuple[Pairs, Pairs]] = {}  # see sized()
        # Bound once (every call hands them to the sender, app.net.redirects): not a new method object per call.
        self.is_secret_header, self.is_secret_param = self.secret_header, self.secret_param

    async def get(self, deadline: float) -> Creds:
        """The credentials, fetched if needed by `deadline` (time.monotonic()); raises AuthError,
        AuthTimeout when the deadline passes first."""
        if self.creds is None:
            async with self._locked(deadline):
                if self.creds is None:
                    self._set(await self.engine.acredentials(self.auth, self.resolver,
                                                             timeout=deadline - time.monotonic()))
        assert self.creds is not None
        return self.creds

    async def refresh(self, used: Creds, deadline: float) -> None:
        async with self._locked(deadline):
            if self.creds is used:  # nobody refreshed since this call's attempt
                self.engine.invalidate(self.auth, self.resolver, used)
                self._set(await self.engine.acredentials(self.auth, self.resolver,
                                                         timeout=deadline - time.monotonic()))

    def _locked(self, deadline: float) -> "_Locked":
        return _Locked(self._lock, deadline)

    def headers(self, out: Outgoing, host: str, creds: Creds, shared: bool) -> Headers:
        """The request headers (`host`, the URL's netloc, and credentials included), their masked form
        and why they cannot be sent; cached while the action's headers and the credentials stay the
        same (every call of a batch)."""
        key = (id(out.headers), id(creds), host)
        cached = self._headers.get(key) if shared else None
        if cached is None:
            merged = {"Host": host, **out.headers, **creds[0]}
            problem = next(filter(None, (header_problem(k, v) for k, v in merged.items())), None)
            cached = (None if problem else tuple(merged.items()), self.masker.headers(merged.items()), problem)
            if shared:
                if len(self._headers) > 64:
                    self._headers.clear()
                self._headers[key] = cached
        return cached

    def sized(self, headers: Pairs, length: int) -> Pairs:
        """The headers with a body's Content-Length last, kept per header tuple (the one `headers` keeps for
        every call of a batch) and length: the same tuple for the same call, which the sender's own
        memories (app.calls.aiosender) then find by identity."""
        key = (id(headers), length)
        found = self._sized.get(key)
        if found is not None and found[0] is headers:
            return found[1]
        sized = (*headers, ("Content-Length", str(length)))
        if len(self._sized) > 256:
            self._sized.clear()
        self._sized[key] = (headers, sized)  # the tuple held: its id is not reused meanwhile
        return sized

    def secret_header(self, name: str, value: str) -> bool:
        """Whether a header carries a credential: masked by name (Authorization, X-Api-Key, the
        auth's own header, secret-like names) or holding a secret value."""
        return self.masker.header(name, value) != value

    def secret_param(self, name: str, value: str) -> bool:
        """Whether a query parameter carries a credential (the auth's, a secret-like name, a secret value)."""
        return (self.creds is not None and name in self.creds[1]) or is_secret_key(name) \
            or self.masker.text(value) != value

    def _set(self, creds: Creds) -> None:
        self.masker.add_header_names(creds[0])
        self.masker.add([*self.resolver.secret_values, *creds[0].values(), *creds[1].values()])
        self._headers.clear()  # keyed by id(creds): a new tuple may reuse the old one's id
        self.creds = creds


class _Locked:
    """The lock, waited for until a deadline at most (another call may be fetching the token)."""

    def __init__(self, lock: asyncio.Lock, deadline: float) -> None:
        self.lock, self.deadline = lock, deadline

    async def __aenter__(self) -> None:
        try:
            async with asyncio.timeout(self.deadline - time.monotonic()):
                await self.lock.acquire()
        except TimeoutError:
            raise AuthTimeout("timed out waiting for the token another call is fetching") from None

    async def __aexit__(self, *exc: object) -> None:
        self.lock.release()
