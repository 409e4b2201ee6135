"""Sending an action call with the platform's run-time rules.

- The whole call (every attempt, waits included) fits in the action's timeout (1-30 s).
- Up to 3 retries within that timeout for any HTTP error except 401, 403 and 404, after a small
  backoff or the server's `Retry-After` when it fits in the time left; a timed-out attempt is
  never retried. A connection failure (refused, dropped) is retried like an HTTP error.
- With custom authentication, a 401 (or 403, which the streaming inlet answers for an expired
  token) makes the cached token invalid: one new token is fetched and the call made once more.
- Outcome codes: `http_<code>`, `timedout`, `capped` (the per-host cap refused the call),
  `internalError` (no HTTP answer: connection failure, authentication failure).
Redirects are followed (httpx's `follow_redirects`).

`acall` is the one implementation (async, over a shared `httpx.AsyncClient`); `send` wraps it
for synchronous callers (GUI worker threads, the CLI).
"""
from __future__ import annotations

import asyncio
import codecs
import collections
import json
import threading
import time
from datetime import datetime, timezone
from typing import Any, Optional

import httpx

from app.calls.build import Outgoing, Prepared, prepare
from app.calls.record import MAX_BODY, CallResult, Masker, RecordedExchange, RecordedRequest, RecordedResponse
from app.model import Action, CustomAuth
from app.resolve import Resolver

MAX_RETRIES = 3
BACKOFF_S = 0.1  # first wait; doubles for each retry
NO_RETRY = frozenset({401, 403, 404})
CAP_PER_MINUTE = 300_000  # the platform's default per-host cap


class _NoCookies(httpx.Cookies):
    """A jar that keeps nothing."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


class CallClient(httpx.AsyncClient):
    """An AsyncClient without a cookie jar: each call stands alone, as on the platform (a batch's
    calls must not depend on each other), and the bulk path skips the jar's per-response work.

    `eager`: the transport returns responses already read and ends a request at its timeout as a
    whole (app.calls.transport's `aiohttp`): `call` then goes to it directly and need not arm its
    own asyncio timeout.
    """

    def __init__(self, *args: Any, eager: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.eager = eager

    async def call(self, request: httpx.Request, timeout: float) -> httpx.Response:
        """`send` within `timeout`. With an eager transport, httpx's per-call layers (auth flow,
        hooks, logging, re-wrapping a body already read: ~15 us on the bulk path) are skipped;
        a redirect goes back through httpx, which follows the rest."""
        if not self.eager:
            async with asyncio.timeout(timeout):
                return await self.send(request)
        response = await self._transport.handle_async_request(request)
        if response.has_redirect_location and self.follow_redirects:
            response = await self.send(self._build_redirect_request(request, response))
        return response

    @property  # type: ignore[override]
    def cookies(self) -> httpx.Cookies:
        jar = self.__dict__.get("_no_cookies")
        if jar is None:
            jar = self.__dict__["_no_cookies"] = _NoCookies()
        return jar

    @cookies.setter
    def cookies(self, value: Any) -> None:
        pass


class HostCap:
    """A per-host sliding one-minute window: calls over `per_minute` are refused (`capped`)."""

    def __init__(self, per_minute: int = CAP_PER_MINUTE, clock: Any = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._calls: dict[str, collections.deque[float]] = {}
        self._lock = threading.Lock()

    def admit(self, host: str) -> bool:
        now = self.clock()
        with self._lock:
            window = self._calls.setdefault(host, collections.deque())
            while window and window[0] <= now - 60.0:
                window.popleft()
            if len(window) >= self.per_minute:
                return False
            window.append(now)
            return True


class AuthState:
    """The credentials calls carry, shared by every call of a run: fetched once, refreshed once
    per rejected token (concurrent 401s on the same token cause one refetch)."""

    def __init__(self, engine: Any, action: Action, resolver: Resolver, masker: Masker) -> None:
        self.engine, self.auth, self.resolver, self.masker = engine, action.auth, resolver, masker
        self.custom = isinstance(action.auth, CustomAuth)
        self.creds: Optional[tuple[dict[str, str], dict[str, str]]] = None
        self._lock = asyncio.Lock()
        self._headers: dict[tuple[int, int, bytes], tuple[httpx.Headers, list[tuple[str, str]]]] = {}

    async def get(self) -> tuple[dict[str, str], dict[str, str]]:
        if self.creds is None:
            async with self._lock:
                if self.creds is None:
                    self._set(await self.engine.acredentials(self.auth, self.resolver))
        assert self.creds is not None
        return self.creds

    async def refresh(self, used: tuple[dict[str, str], dict[str, str]]) -> None:
        async with self._lock:
            if self.creds is used:  # nobody refreshed since this call's attempt
                self.engine.invalidate(self.auth, self.resolver, used)
                self._set(await self.engine.acredentials(self.auth, self.resolver))

    def headers(self, out: Outgoing, target: httpx.URL, creds: tuple[dict[str, str], dict[str, str]],
                shared: bool) -> tuple[httpx.Headers, list[tuple[str, str]]]:
        """The request headers (Host and credentials included) and their masked form; cached while
        the action's headers and the credentials stay the same (every call of a batch)."""
        key = (id(out.headers), id(creds), target.netloc)
        cached = self._headers.get(key) if shared else None
        if cached is None:
            merged = {"Host": target.netloc.decode("ascii"), **out.headers, **creds[0]}
            cached = (httpx.Headers(merged), self.masker.headers(merged.items()))
            if shared:
                if len(self._headers) > 64:
                    self._headers.clear()
                self._headers[key] = cached
        return cached

    def _set(self, creds: tuple[dict[str, str], dict[str, str]]) -> None:
        self.masker.header_names.update(h.lower() for h in creds[0])
        self.masker.add([*self.resolver.secret_values, *creds[0].values(), *creds[1].values()])
        self._headers.clear()  # keyed by id(creds): a new tuple may reuse the old one's id
        self.creds = creds


async def acall(client: httpx.AsyncClient, prepared: Prepared, out: Outgoing, auth: AuthState,
                timeout: float, cap: Optional[HostCap] = None, source: str = "manual") -> CallResult:
    """Make one call (with its retries) and return what happened; never raises for a failed call."""
    started, t0 = datetime.now(timezone.utc), time.monotonic()
    deadline = t0 + timeout
    result = CallResult(prepared.action.name, "internalError", started, source=source,
                        values=out.values, path_suffix=out.path_suffix, reader=prepared.reader)
    if out.raw_body is not None:
        result.body = json.loads(auth.masker.text(json.dumps(out.raw_body)))
    retries, refreshed = 0, False
    while True:
        if cap is not None and not cap.admit(prepared.host if out.target is not None else out.parsed_url.host):
            result.outcome, result.error = "capped", "refused by the per-host cap (calls per minute)"
            break
        try:
            creds = await auth.get()
        except Exception as exc:  # AuthError, or a token call that failed at the socket
            result.error = f"authentication failed: {auth.masker.text(str(exc))}"
            break
        exchange, response, timed_out = await _attempt(client, prepared, out, creds, auth, deadline)
        result.exchanges.append(exchange)
        if response is None:
            if timed_out:
                result.outcome, result.error = "timedout", exchange.error
                break
            result.outcome, result.error = "internalError", exchange.error
            delay = _backoff(retries)
        else:
            status = response.status_code
            result.outcome, result.error = f"http_{status}", None
            if 200 <= status < 300:
                break
            if status in (401, 403) and auth.custom and not refreshed:
                refreshed = True
                try:
                    await auth.refresh(creds)
                except Exception as exc:
                    result.error = f"the token was refused and a new one could not be fetched: {exc}"
                    break
                continue
            if status in NO_RETRY:
                break
            delay = _retry_after(response)
            if delay is None:
                delay = _backoff(retries)
        if retries >= MAX_RETRIES or time.monotonic() + delay >= deadline:
            break
        await asyncio.sleep(delay)
        retries += 1
    result.duration_ms = (time.monotonic() - t0) * 1000
    return result


async def _attempt(client: httpx.AsyncClient, prepared: Prepared, out: Outgoing,
                   creds: tuple[dict[str, str], dict[str, str]], auth: AuthState,
                   deadline: float) -> tuple[RecordedExchange, Optional[httpx.Response], bool]:
    """One attempt: (what was sent and received, the response or None, whether it timed out)."""
    masker = auth.masker
    target = out.parsed_url.copy_merge_params(creds[1]) if creds[1] else out.parsed_url
    url = str(target) if creds[1] else out.url
    headers, shown_headers = auth.headers(out, target, creds, out.headers is prepared.headers)
    shown = RecordedRequest(out.method, masker.text(url), shown_headers,
                            None if out.body is None else masker.text(out.body.decode("utf-8", "replace")))
    remaining = deadline - time.monotonic()
    t0 = time.monotonic()
    if remaining <= 0:
        return RecordedExchange(shown, None, "timed out before the call could be made"), None, True
    # A prebuilt Request (headers copied from a cached httpx.Headers, the body as a stream so that
    # httpx does not re-derive its headers) and client.send: client.request() would merge URL,
    # headers and cookies again for every call, which costs more than the call on loopback.
    request = httpx.Request(out.method, target, headers=headers, stream=httpx.ByteStream(out.body or b""),
                            extensions={"timeout": {"connect": remaining, "read": remaining,
                                                    "write": remaining, "pool": remaining}})
    if out.body is not None or out.method != "GET":
        request.headers["Content-Length"] = str(len(out.body or b""))
    request.read()
    try:
        if isinstance(client, CallClient):
            response = await client.call(request, remaining)
        else:
            async with asyncio.timeout(remaining):
                response = await client.send(request)
    except Exception as exc:  # noqa: BLE001 - every failure becomes an outcome, never a crash
        elapsed = (time.monotonic() - t0) * 1000
        if _is_timeout(exc):
            return RecordedExchange(shown, None, f"timed out after {elapsed / 1000:.1f} s", elapsed), None, True
        return RecordedExchange(shown, None, masker.text(_describe(exc)), elapsed), None, False
    elapsed = (time.monotonic() - t0) * 1000
    raw = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw]
    text = response.content.decode(_charset(raw), "replace")
    recorded = RecordedResponse(response.status_code, response.reason_phrase, masker.headers(raw),
                                masker.text(text[:MAX_BODY]), elapsed, len(text) > MAX_BODY)
    return RecordedExchange(shown, recorded, None, elapsed), response, False


def _charset(headers: list[tuple[str, str]]) -> str:
    """The body's charset from Content-Type (utf-8 when absent or unknown)."""
    for name, value in headers:
        if name.lower() == "content-type":
            _, found, rest = value.lower().partition("charset=")
            if found:
                charset = rest.split(";", 1)[0].strip().strip('"')
                try:
                    codecs.lookup(charset)
                    return charset
                except LookupError:
                    return "utf-8"
    return "utf-8"


def _is_timeout(exc: BaseException) -> bool:
    """A real timeout (ours, httpx's, aiohttp's), not a connection failure dressed as one.

    httpx-aiohttp maps every aiohttp.ClientConnectionError (a dropped connection included) to
    httpx.ConnectTimeout; the aiohttp cause tells them apart.
    """
    cause = exc.__cause__
    if isinstance(exc, httpx.TimeoutException) and cause is not None:
        return isinstance(cause, TimeoutError)
    return isinstance(exc, (TimeoutError, httpx.TimeoutException))


def _describe(exc: BaseException) -> str:
    cause = exc.__cause__ or exc
    text = str(cause) or type(cause).__name__
    if isinstance(exc, httpx.ConnectError) or "onnect" in type(cause).__name__:
        return f"connection failed: {text}"
    return f"{type(cause).__name__}: {text}"


def _backoff(retries: int) -> float:
    return BACKOFF_S * (2 ** retries)


def _retry_after(response: httpx.Response) -> Optional[float]:
    """Seconds asked by Retry-After (delta-seconds or an HTTP date); None when absent or unreadable."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


# -- synchronous front --------------------------------------------------------------------------
def send(action: Action, values: Optional[dict[str, Any]] = None, *, services: Any = None,
         engine: Any = None, resolver: Optional[Resolver] = None, timeout: Optional[float] = None,
         path_suffix: str = "", body: Any = None, source: str = "manual",
         history: Any = None, transport: Optional[httpx.AsyncBaseTransport] = None) -> CallResult:
    """Call an action once (with retries) and return the result; `values` are checked first.

    Pass `services` (its resolver and auth engine are used) or `engine` + `resolver`. `body`, when
    given, is sent instead of the payload built from the fields (manual sending of raw JSON).
    Raises ValuesError / SetupError (nothing was sent) for invalid values or configuration.
    """
    if resolver is None:
        resolver = services.resolver() if services is not None else None
    if engine is None and services is not None:
        engine = services.auth
    if resolver is None or engine is None:
        raise TypeError("send() needs services, or engine and resolver")
    prepared = prepare(action, resolver)
    checked = prepared.check(values if values is not None else {}, payload=body is None)
    out = prepared.render(checked, path_suffix) if body is None else prepared.render(checked, path_suffix, body)
    seconds = timeout if timeout is not None else action.timeout_seconds
    result = asyncio.run(_send_one(prepared, out, engine, resolver, seconds, source, transport))
    if history is not None:
        history.add(result)
    return result


async def _send_one(prepared: Prepared, out: Outgoing, engine: Any, resolver: Resolver, timeout: float,
                    source: str, transport: Optional[httpx.AsyncBaseTransport]) -> CallResult:
    masker = Masker(resolver.secret_values)
    auth = AuthState(engine, prepared.action, resolver, masker)
    async with CallClient(follow_redirects=True, transport=transport, timeout=timeout) as client:
        return await acall(client, prepared, out, auth, timeout, source=source)
