"""AuthEngine: the one facade the call engine, journey runs, the CLI and the GUI use for auth."""
from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import Future
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Optional, Union

import httpx

from app.auth.apply import Credentials, apply_token, masked, static_credentials
from app.auth.cache import Abandoned, TokenCache
from app.auth.errors import AuthError, AuthTimeout
from app.auth.request import TokenRequest, build_request
from app.auth.result import AuthTestResult, preview, recorded_response
from app.auth.running import run_sync
from app.auth.token import MAX_BODY, Exchange, Grant, asend, interpret
from app.masking import mask_all, response_secrets
from app.model.auth import CustomAuth
from app.net import NetConfig
from app.resolve import Resolver
from app.secrets import SecretStore

AnyAuth = Any  # app.model.auth.Auth: a discriminated union alias, not usable with isinstance
_ATTEMPTS = 3  # how often a waiter retries after the fetching caller was cancelled


class AuthEngine:
    """Credentials for action calls, the token cache, and "test authentication".

    `net` (app.net.NetConfig: proxies, TLS, the token response cap) is shared with the action
    calls made with this engine. `transport` / `async_transport` (httpx transports) are
    injectable; by default real sockets are used. `timeout` is the token call's when the caller
    gives none. `clock` drives token expiry (tests pass a fake one); it is the clock of the cache
    the engine creates, a cache passed in keeps its own.
    """

    def __init__(self, secrets: SecretStore, cache: Optional[TokenCache] = None,
                 clock: Callable[[], float] = time.monotonic, timeout: float = 30.0, verify: bool = True,
                 transport: Optional[httpx.BaseTransport] = None,
                 async_transport: Optional[httpx.AsyncBaseTransport] = None, net: Optional[NetConfig] = None) -> None:
        self.secrets = secrets
        self.cache = cache if cache is not None else TokenCache(clock)
        self.timeout = timeout
        self.net = net if net is not None else NetConfig(verify=verify)
        # httpx's MockTransport serves sync and async clients alike: either injected one is used.
        self._transport = async_transport if async_transport is not None else transport

    def __repr__(self) -> str:
        return f"<AuthEngine timeout={self.timeout:g}s {self.cache!r}>"

    # -- the token call ----------------------------------------------------------------------
    def _aclient(self, timeout: float) -> httpx.AsyncClient:
        options = self.net.httpx_options(2) if self._transport is None else {"transport": self._transport,
                                                                              "trust_env": False}
        return httpx.AsyncClient(timeout=timeout, follow_redirects=False, **options)

    async def _asend(self, request: TokenRequest, timeout: float) -> Exchange:
        async with self._aclient(timeout) as client:
            return await asend(request, client, timeout, self.net.token_max_bytes)

    def _send(self, request: TokenRequest, timeout: float, cancel: Optional[threading.Event] = None) -> Exchange:
        """The token call from synchronous code (a worker thread, the CLI): on an event loop of its
        own, where the deadline holds for the whole exchange; `cancel` set stops it (AuthCancelled)."""
        return run_sync(self._asend(request, timeout), cancel)

    def _seconds(self, timeout: Optional[float]) -> float:
        return self.timeout if timeout is None else max(0.0, timeout)

    # -- credentials for action calls --------------------------------------------------------
    def credentials(self, auth: AnyAuth, resolver: Resolver, timeout: Optional[float] = None) -> Credentials:
        """Headers and query params to add to an action call; a custom token comes from the cache
        or one fetch shared with every concurrent caller, within `timeout` seconds (default: the
        engine's). Raises AuthError (AuthTimeout when the time ran out)."""
        if not isinstance(auth, CustomAuth):
            return static_credentials(auth, resolver)[0]
        request = build_request(auth, resolver)
        return apply_token(auth, self._token(auth, request, self._seconds(timeout)))

    async def acredentials(self, auth: AnyAuth, resolver: Resolver, timeout: Optional[float] = None) -> Credentials:
        """Async `credentials`; the same cache and single flight as the sync one, so threads and
        event loops never fetch the same token twice at once. An action call passes the time left
        of its own timeout: the token call and the action call share it."""
        if not isinstance(auth, CustomAuth):
            return static_credentials(auth, resolver)[0]
        request = build_request(auth, resolver)
        return apply_token(auth, await self._atoken(auth, request, self._seconds(timeout)))

    def invalidate(self, auth: AnyAuth, resolver: Resolver,
                   used: Union[Credentials, str, None] = None) -> bool:
        """Drop the cached token of this auth (after a 401). Pass `used` (the credentials or token
        the failed call carried) so that many calls failing with the same token cause one refetch."""
        if not isinstance(auth, CustomAuth):
            return False
        request = build_request(auth, resolver)
        token = _token_in(auth, used) if used is not None else None
        return self.cache.invalidate(request.key, token)

    def _token(self, auth: CustomAuth, request: TokenRequest, timeout: float) -> str:
        """`_atoken` for synchronous code: the cached token, else the one single flight (leading it
        or waiting for it) on an event loop of its own."""
        cached = self.cache.get(request.key)
        if cached is not None:
            return cached.token
        return run_sync(self._atoken(auth, request, timeout))

    async def _atoken(self, auth: CustomAuth, request: TokenRequest, timeout: float) -> str:
        """The cached token, else the one fetch per credentials: led by the first caller, joined by
        every other (threads and event loops alike), taken over when its leader was cancelled."""
        deadline = time.monotonic() + timeout
        for _ in range(_ATTEMPTS):
            cached, flight, leader = self.cache.claim(request.key)
            if cached is not None:
                return cached.token
            assert flight is not None
            if leader:
                return await self._alead(auth, request, flight, deadline - time.monotonic())
            try:
                return await _joined(flight, deadline - time.monotonic())
            except Abandoned:
                continue
            except AuthError as exc:
                raise type(exc)(exc.reason) from None
            except TimeoutError:
                raise AuthTimeout(_waited(timeout)) from None
        raise AuthError("the token request was cancelled repeatedly by other callers; try again")

    async def _alead(self, auth: CustomAuth, request: TokenRequest, flight: Future[Grant], timeout: float) -> str:
        """Fetch for every caller of this key; `settle` whatever happens, so waiters never hang."""
        try:
            grant = await self._afetch(auth, request, timeout)
        except AuthError as exc:
            self.cache.settle(request.key, flight, error=exc)
            raise
        except BaseException:  # cancelled: let a waiter take over
            self.cache.settle(request.key, flight, error=Abandoned())
            raise
        self.cache.settle(request.key, flight, grant=grant)
        return grant.token

    async def _afetch(self, auth: CustomAuth, request: TokenRequest, timeout: float) -> Grant:
        try:
            return interpret(auth, await self._asend(request, timeout))
        except AuthError as exc:
            raise type(exc)(request.mask(exc.reason)) from None

    # -- test authentication -----------------------------------------------------------------
    def test(self, auth: AnyAuth, resolver: Resolver, *, timeout: Optional[float] = None,
             cancel: Optional[threading.Event] = None) -> AuthTestResult:
        """Run the token call now (the cache is bypassed, then refreshed with the new token), or for
        the other modes resolve what would be applied. Never raises for a failed test. `timeout`
        (default: the engine's) bounds the whole token call; `cancel` set stops it."""
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
            exchange = self._send(request, self._seconds(timeout), cancel)
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
        hidden = request.sensitive | {grant.token}
        return AuthTestResult(
            ok=True, mode=mode, request=request.shown, response=recorded_response(exchange, hidden, MAX_BODY),
            token_preview=preview(grant.token),
            expires_at=datetime.now(timezone.utc) + timedelta(seconds=grant.lifetime_s),
            expires_in_s=grant.lifetime_s, elapsed_ms=elapsed(),
            applied=masked(apply_token(auth, grant.token), {grant.token}),
        )

    def token_request(self, auth: CustomAuth, resolver: Resolver) -> TokenRequest:
        """The resolved token request (for "copy as cURL"). Raises AuthError."""
        return build_request(auth, resolver)


def _waited(timeout: float) -> str:
    return f"gave up after {round(timeout, 1):g} s waiting for the token request another call started"


def _token_in(auth: CustomAuth, used: Union[Credentials, str]) -> Optional[str]:
    if isinstance(used, str):
        return used
    headers, params = used
    if auth.authorization_type == "bearer":
        value = headers.get("Authorization", "")
        return value[len("Bearer "):] if value.startswith("Bearer ") else None
    target = auth.token_target or ""
    return (headers if auth.authorization_type == "header" else params).get(target)


async def _joined(flight: Future[Grant], timeout: float) -> str:
    """The token of another caller's fetch, waited for at most `timeout` seconds (TimeoutError)."""
    inner = asyncio.wrap_future(flight)
    inner.add_done_callback(_consume)
    # shield: one waiter being cancelled (or timing out) must not cancel the shared fetch
    async with asyncio.timeout(timeout):
        return (await asyncio.shield(inner)).token


def _consume(future: "asyncio.Future[Any]") -> None:
    # Retrieve the outcome so a waiter cancelled before it arrived leaves no "never retrieved" log.
    if not future.cancelled():
        future.exception()
