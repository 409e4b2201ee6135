"""AuthEngine: the one facade the call engine, journey runs, the CLI and the GUI use for auth."""
from __future__ import annotations

import asyncio
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Optional, Union

import httpx

from app.auth.apply import Credentials, apply_token, masked, static_credentials
from app.auth.cache import Abandoned, TokenCache
from app.auth.errors import AuthError
from app.auth.request import TokenRequest, build_request, mask_all
from app.auth.result import AuthTestResult, preview, recorded_response
from app.auth.token import MAX_BODY, Exchange, Grant, asend, interpret, send
from app.masking import response_secrets
from app.model.auth import CustomAuth
from app.resolve import Resolver
from app.secrets import SecretStore

AnyAuth = Any  # app.model.auth.Auth: a discriminated union alias, not usable with isinstance
_ATTEMPTS = 3  # how often a waiter retries after the fetching caller was cancelled


class AuthEngine:
    """Credentials for action calls, the token cache, and "test authentication".

    `transport` / `async_transport` (httpx transports) are injectable; by default real sockets
    are used. `clock` drives token expiry (tests pass a fake one); it is the clock of the cache
    the engine creates, a cache passed in keeps its own.
    """

    def __init__(self, secrets: SecretStore, cache: Optional[TokenCache] = None,
                 clock: Callable[[], float] = time.monotonic, timeout: float = 30.0, verify: bool = True,
                 transport: Optional[httpx.BaseTransport] = None,
                 async_transport: Optional[httpx.AsyncBaseTransport] = None) -> None:
        self.secrets = secrets
        self.cache = cache if cache is not None else TokenCache(clock)
        self.timeout = timeout
        self.verify = verify
        self._transport = transport
        self._async_transport = async_transport

    def __repr__(self) -> str:
        return f"<AuthEngine timeout={self.timeout:g}s {self.cache!r}>"

    # -- clients -----------------------------------------------------------------------------
    def _client(self) -> httpx.Client:
        return httpx.Client(timeout=self.timeout, verify=self.verify, transport=self._transport,
                            follow_redirects=True)

    def _aclient(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self.timeout, verify=self.verify, transport=self._async_transport,
                                 follow_redirects=True)

    def _send(self, request: TokenRequest) -> Exchange:
        with self._client() as client:
            return send(request, client, self.timeout)

    async def _asend(self, request: TokenRequest) -> Exchange:
        async with self._aclient() as client:
            return await asend(request, client, self.timeout)

    # -- credentials for action calls --------------------------------------------------------
    def credentials(self, auth: AnyAuth, resolver: Resolver) -> Credentials:
        """Headers and query params to add to an action call; a custom token comes from the cache
        or one fetch shared with every concurrent caller. Raises AuthError."""
        if not isinstance(auth, CustomAuth):
            return static_credentials(auth, resolver)[0]
        request = build_request(auth, resolver)
        return apply_token(auth, self._token(auth, request))

    async def acredentials(self, auth: AnyAuth, resolver: Resolver) -> Credentials:
        """Async `credentials` (httpx.AsyncClient); the same cache and single flight as the sync one,
        so threads and event loops never fetch the same token twice at once."""
        if not isinstance(auth, CustomAuth):
            return static_credentials(auth, resolver)[0]
        request = build_request(auth, resolver)
        return apply_token(auth, await self._atoken(auth, request))

    def invalidate(self, auth: AnyAuth, resolver: Resolver,
                   used: Union[Credentials, str, None] = None) -> bool:
        """Drop the cached token of this auth (after a 401). Pass `used` (the credentials or token
        the failed call carried) so that many calls failing with the same token cause one refetch."""
        if not isinstance(auth, CustomAuth):
            return False
        request = build_request(auth, resolver)
        token = _token_in(auth, used) if used is not None else None
        return self.cache.invalidate(request.key, token)

    def _token(self, auth: CustomAuth, request: TokenRequest) -> str:
        for _ in range(_ATTEMPTS):
            cached, flight, leader = self.cache.claim(request.key)
            if cached is not None:
                return cached.token
            assert flight is not None
            if leader:
                return self._lead(auth, request, flight)
            try:
                return flight.result(timeout=self.timeout * 4 + 5).token
            except Abandoned:
                continue
            except AuthError as exc:
                raise AuthError(exc.reason) from None
            except FutureTimeout:
                raise AuthError(f"gave up waiting {self.timeout * 4 + 5:g} s for the token request "
                                "another call started") from None
        raise AuthError("the token request was cancelled repeatedly by other callers; try again")

    def _lead(self, auth: CustomAuth, request: TokenRequest, flight: Future[Grant]) -> str:
        try:
            grant = self._fetch(auth, request)
        except AuthError as exc:
            self.cache.settle(request.key, flight, error=exc)
            raise
        except BaseException:
            self.cache.settle(request.key, flight, error=Abandoned())
            raise
        self.cache.settle(request.key, flight, grant=grant)
        return grant.token

    async def _atoken(self, auth: CustomAuth, request: TokenRequest) -> str:
        for _ in range(_ATTEMPTS):
            cached, flight, leader = self.cache.claim(request.key)
            if cached is not None:
                return cached.token
            assert flight is not None
            if leader:
                try:
                    grant = await self._afetch(auth, request)
                except AuthError as exc:
                    self.cache.settle(request.key, flight, error=exc)
                    raise
                except BaseException:  # cancelled: let a waiter take over
                    self.cache.settle(request.key, flight, error=Abandoned())
                    raise
                self.cache.settle(request.key, flight, grant=grant)
                return grant.token
            inner = asyncio.wrap_future(flight)
            inner.add_done_callback(_consume)
            try:
                # shield: one waiter being cancelled must not cancel the shared fetch
                return (await asyncio.shield(inner)).token
            except Abandoned:
                continue
            except AuthError as exc:
                raise AuthError(exc.reason) from None
        raise AuthError("the token request was cancelled repeatedly by other callers; try again")

    def _fetch(self, auth: CustomAuth, request: TokenRequest) -> Grant:
        try:
            return interpret(auth, self._send(request))
        except AuthError as exc:
            raise AuthError(request.mask(exc.reason)) from None

    async def _afetch(self, auth: CustomAuth, request: TokenRequest) -> Grant:
        try:
            return interpret(auth, await self._asend(request))
        except AuthError as exc:
            raise AuthError(request.mask(exc.reason)) from None

    # -- test authentication -----------------------------------------------------------------
    def test(self, auth: AnyAuth, resolver: Resolver) -> AuthTestResult:
        """Run the token call now (the cache is bypassed, then refreshed with the new token), or for
        the other modes resolve what would be applied. Never raises for a failed test."""
        started = time.perf_counter()

        def elapsed() -> float:
            return (time.perf_counter() - started) * 1000

        mode = getattr(auth, "type", "none")
        if not isinstance(auth, CustomAuth):
            try:
                creds, sensitive = static_credentials(auth, resolver)
            except AuthError as exc:
                return AuthTestResult(ok=False, reason=exc.reason, mode=mode, elapsed_ms=elapsed())
            return AuthTestResult(ok=True, mode=mode, elapsed_ms=elapsed(), applied=masked(creds, sensitive))
        try:
            request = build_request(auth, resolver)
        except AuthError as exc:
            return AuthTestResult(ok=False, reason=exc.reason, mode=mode, elapsed_ms=elapsed())
        try:
            exchange = self._send(request)
        except AuthError as exc:
            return AuthTestResult(ok=False, reason=request.mask(exc.reason), mode=mode,
                                  request=request.shown, elapsed_ms=elapsed())
        try:
            grant = interpret(auth, exchange)
        except AuthError as exc:
            hidden = request.sensitive | response_secrets(exchange.text)
            return AuthTestResult(ok=False, reason=mask_all(exc.reason, hidden), mode=mode, request=request.shown,
                                  response=recorded_response(exchange, hidden, MAX_BODY), elapsed_ms=elapsed())
        self.cache.put(request.key, grant)
        sensitive = request.sensitive | {grant.token}
        return AuthTestResult(
            ok=True, mode=mode, request=request.shown, response=recorded_response(exchange, sensitive, MAX_BODY),
            token_preview=preview(grant.token),
            expires_at=datetime.now(timezone.utc) + timedelta(seconds=grant.lifetime_s),
            expires_in_s=grant.lifetime_s, elapsed_ms=elapsed(),
            applied=masked(apply_token(auth, grant.token), {grant.token}),
        )

    def token_request(self, auth: CustomAuth, resolver: Resolver) -> TokenRequest:
        """The resolved token request (for "copy as cURL"). Raises AuthError."""
        return build_request(auth, resolver)


def _token_in(auth: CustomAuth, used: Union[Credentials, str]) -> Optional[str]:
    if isinstance(used, str):
        return used
    headers, params = used
    if auth.authorization_type == "bearer":
        value = headers.get("Authorization", "")
        return value[len("Bearer "):] if value.startswith("Bearer ") else None
    target = auth.token_target or ""
    return (headers if auth.authorization_type == "header" else params).get(target)


def _consume(future: "asyncio.Future[Any]") -> None:
    # Retrieve the outcome so a waiter cancelled before it arrived leaves no "never retrieved" log.
    if not future.cancelled():
        future.exception()
