"""Sending an action call with the platform's run-time rules.

- The whole call (every attempt, waits included) fits in the action's timeout (1-30 s).
- Up to 3 retries within that timeout for any HTTP error except 401, 403, 404 and 413, after a small
  backoff or the server's `Retry-After` when it fits in the time left; a timed-out attempt is
  never retried. A connection failure (refused, dropped) is retried like an HTTP error; our own
  errors, which would fail the same way again (TLS verification, a header that cannot be sent),
  are not, nor is a 413 (the same payload is too large again).
- The token call (custom authentication) counts against the same timeout as the call itself.
- With custom authentication, a 401 (or 403, which the streaming inlet answers for an expired
  token) makes the cached token invalid: one new token is fetched and the call made once more.
- Outcome codes: `http_<code>`, `timedout`, `capped` (the per-host cap refused the call),
  `internalError` (no HTTP answer: connection failure, authentication failure).
Redirects are followed (app.calls.client): to another origin without any credential. A response
body is read up to the workspace's cap (`responseMaxBytes`), the result says where it was cut.

`acall` is the one implementation (async, over a shared sender: app.calls.answer.Sender, httpx's
CallClient for one call, app.calls.aiosender for the bulk and journey paths, which send the same
bytes); `send` wraps it for synchronous callers (GUI worker threads, the CLI).
"""
from __future__ import annotations

import asyncio
import codecs
import collections
import functools
import json
import ssl
import sys
import threading
import time
from datetime import datetime, timezone
from time import monotonic as _monotonic
from typing import TYPE_CHECKING, Any, Literal, Optional

import httpx

from app.auth.errors import AuthTimeout
from app.calls.answer import Answer, Sender
from app.calls.build import Outgoing, Prepared, prepare
from app.calls.client import CallClient
from app.calls.credentials import AuthState
from app.calls.pacing import REAL, Clock, monotonic_deadline
from app.calls.record import MAX_BODY, CallResult, RecordedExchange, RecordedRequest, RecordedResponse
from app.identitymemo import IdentityMemo
from app.masking import Masker
from app.model import Action
from app.net import NetConfig, UnusableProxy
from app.resolve import Resolver

if TYPE_CHECKING:
    from app.auth.engine import AuthEngine
    from app.calls.history import History
    from app.services import Services

__all__ = ["AuthState", "CallClient", "HostCap", "acall", "send"]

MAX_RETRIES = 3
BACKOFF_S = 0.1  # first wait; doubles for each retry
# 413: the same payload is too large again on every retry.
NO_RETRY = frozenset({401, 403, 404, 413})
# How an attempt ended: an HTTP answer, a timeout, a failure another attempt may not meet, or one it would.
Ending = Literal["answer", "timeout", "transient", "final"]
CAP_PER_MINUTE = 300_000  # the platform's default per-host cap


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


async def acall(client: Sender, prepared: Prepared, out: Outgoing, auth: AuthState,
                timeout: float, cap: Optional[HostCap] = None, source: str = "manual",
                clock: Clock = REAL) -> CallResult:
    """Make one call (with its retries) and return what happened; never raises for a failed call.
    `clock`: the time the retry loop reads and waits on (app.calls.pacing)."""
    now = _monotonic if clock is REAL else clock.now  # REAL's own time, without its method around it
    started, t0 = datetime.now(timezone.utc), now()
    deadline = t0 + timeout
    # Positional: a dataclass's __init__ takes keywords at a cost the bulk path pays on every call.
    result = CallResult(prepared.action.name, "internalError", started, 0.0, [], None, source, out.values,
                        out.path_suffix, None, prepared.reader)
    if out.raw_body is not None:
        result.body = json.loads(auth.masker.text(json.dumps(out.raw_body)))
    retries, refreshed = 0, False
    while True:
        if cap is not None and not cap.admit(prepared.host if out.target is not None else out.parsed_url.host):
            result.outcome, result.error = "capped", "refused by the per-host cap (calls per minute)"
            break
        try:  # once fetched, the credentials are there: no coroutine to await for them
            creds = auth.creds if auth.creds is not None else await auth.get(monotonic_deadline(clock, deadline))
        except Exception as exc:  # AuthError, AuthTimeout, or a token call that failed at the socket
            result.error = f"authentication failed: {auth.masker.text(str(exc))}"
            if isinstance(exc, AuthTimeout):
                result.outcome = "timedout"
            break
        exchange, response, ending = await _attempt(client, prepared, out, creds, auth, deadline, clock)
        result.exchanges.append(exchange)
        if response is None:
            result.outcome, result.error = "timedout" if ending == "timeout" else "internalError", exchange.error
            if ending != "transient":
                break
            delay = _backoff(retries)
        else:
            status = response.status
            result.outcome, result.error = _OUTCOMES.get(status) or _outcome(status), None
            if 200 <= status < 300:
                break
            if status in (401, 403) and auth.custom and not refreshed:
                refreshed = True
                try:
                    await auth.refresh(creds, monotonic_deadline(clock, deadline))
                except Exception as exc:
                    reason = auth.masker.text(str(exc))
                    result.error = f"the token was refused and a new one could not be fetched: {reason}"
                    if isinstance(exc, AuthTimeout):
                        result.outcome = "timedout"
                    break
                continue
            if status in NO_RETRY:
                break
            asked = _retry_after(response)
            delay = _backoff(retries) if asked is None else asked
        if retries >= MAX_RETRIES or now() + delay >= deadline:
            break
        await clock.sleep(delay)
        retries += 1
    result.duration_ms = (now() - t0) * 1000
    return result


_OUTCOMES: dict[int, str] = {}  # status -> its outcome code, made once


def _outcome(status: int) -> str:
    code = f"http_{status}"
    if 100 <= status < 1000:  # bounded: only what an HTTP status can be
        _OUTCOMES[status] = code
    return code


async def _attempt(client: Sender, prepared: Prepared, out: Outgoing,
                   creds: tuple[dict[str, str], dict[str, str]], auth: AuthState,
                   deadline: float, clock: Clock) -> tuple[RecordedExchange, Optional[Answer], Ending]:
    """One attempt: what was sent and received, the response or None, and how it ended."""
    masker = auth.masker
    parsed = out.target if out.target is not None else out.parsed_url  # the property only when not parsed yet
    if creds[1]:
        target = parsed.copy_merge_params(creds[1])
        url = str(target)
    else:
        target, url = parsed, out.url
    netloc = prepared.netloc if target is prepared.parsed_url else target.netloc.decode("ascii")
    shared = out.headers is prepared.headers
    headers, shown_headers, problem = auth.headers(out, netloc, creds, shared)
    body = out.body
    shown = RecordedRequest(out.method, masker.repeated(url), shown_headers,
                            None if body is None else masker.text(body.decode("utf-8", "replace")))
    if headers is None:
        return RecordedExchange(shown, None, f"not sent: {problem}"), None, "final"
    real = clock is REAL
    t0 = _monotonic()
    remaining = deadline - (t0 if real else clock.now())
    if remaining <= 0:
        return RecordedExchange(shown, None, "timed out before the call could be made"), None, "timeout"
    if body is not None or out.method != "GET":
        length = 0 if body is None else len(body)
        headers = auth.sized(headers, length) if shared else (*headers, ("Content-Length", str(length)))
    try:
        response = await client.exchange(out.method, target, url, headers, body,
                                         deadline if real else monotonic_deadline(clock, deadline),
                                         auth.is_secret_header, auth.is_secret_param)
    except Exception as exc:  # noqa: BLE001 - every failure becomes an outcome, never a crash
        elapsed = (_monotonic() - t0) * 1000
        if _is_timeout(exc):
            return RecordedExchange(shown, None, f"timed out after {elapsed / 1000:.1f} s", elapsed), None, "timeout"
        ending: Ending = "transient" if _transient(exc) else "final"
        return RecordedExchange(shown, None, masker.text(_describe(exc)), elapsed), None, ending
    elapsed = (_monotonic() - t0) * 1000
    raw = response.headers
    content_type = response.content_type
    text = response.body.decode(_charset(raw) if content_type is None else _content_charset(content_type), "replace")
    cut = response.cut
    found = _SHOWN.found.get(id(raw))  # the masked headers (see _shown_headers), found inline
    shown_raw = found[1][2] if found is not None and found[0] is raw and found[1][0] is masker and \
        found[1][1] == masker.version else _shown_headers(masker, raw)
    recorded = RecordedResponse(response.status, response.reason, shown_raw, masker.text(text[:MAX_BODY]), elapsed,
                                len(text) > MAX_BODY or cut is not None, cut)
    return RecordedExchange(shown, recorded, None, elapsed), response, "answer"


# A sender's header list (shared by the answers that repeat it, app.calls.aiosender) -> the masker and
# its version it was masked with, and its masked form.
_SHOWN: IdentityMemo[tuple[Masker, int, list[tuple[str, str]]]] = IdentityMemo()


def _shown_headers(masker: Masker, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The masked headers of an answer, made once per list the sender shares (then shared by the
    records too: the history writes their text once); the masker's version says when to mask anew."""
    found = _SHOWN.get(headers)
    if found is not None and found[0] is masker and found[1] == masker.version:
        return found[2]
    return _SHOWN.put(headers, (masker, masker.version, masker.headers(headers)))[2]


def _charset(headers: list[tuple[str, str]]) -> str:
    """The body's charset from Content-Type (utf-8 when absent or unknown)."""
    for name, value in headers:
        if name.lower() == "content-type":
            return _content_charset(value)
    return "utf-8"


@functools.lru_cache(maxsize=64)  # an endpoint answers with the same Content-Type every time
def _content_charset(content_type: str) -> str:
    _, found, rest = content_type.lower().partition("charset=")
    if found:
        charset = rest.split(";", 1)[0].strip().strip('"')
        try:
            codecs.lookup(charset)
            return charset
        except LookupError:
            return "utf-8"
    return "utf-8"


def _is_timeout(exc: BaseException) -> bool:
    """A real timeout: ours, httpx's, aiohttp's (its timeout errors are TimeoutErrors)."""
    return isinstance(exc, (TimeoutError, httpx.TimeoutException))


def _transient(exc: BaseException) -> bool:
    """A network failure another attempt may not meet (refused, reset, dropped, a proxy that failed);
    not TLS (a certificate that does not verify will not verify next time) nor any other error of
    ours, which would fail the same way on every retry."""
    if _tls_error(exc) is not None or isinstance(exc, UnusableProxy):
        return False
    if isinstance(exc, (httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError)):
        return True
    aiohttp = sys.modules.get("aiohttp")  # loaded when the aiohttp sender made the call
    # Refused, reset, dropped, a body cut short, an answer that is not HTTP.
    return aiohttp is not None and isinstance(exc, (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError,
                                                    aiohttp.ClientResponseError))


def _tls_error(exc: BaseException) -> Optional[BaseException]:
    """The TLS failure behind an exception (httpcore's ssl.SSLError, aiohttp's ClientSSLError), or None."""
    aiohttp = sys.modules.get("aiohttp")
    seen: set[int] = set()
    cause: Optional[BaseException] = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, ssl.SSLError) or aiohttp is not None and isinstance(cause, aiohttp.ClientSSLError):
            return cause
        cause = cause.__cause__ or cause.__context__
    return None


def _describe(exc: BaseException) -> str:
    cause = exc.__cause__ or exc
    text = str(cause) or type(cause).__name__
    tls = _tls_error(exc)
    if tls is not None:
        return f"TLS failed (not retried): {tls} (check the URL's scheme and the server's certificate)"
    if isinstance(exc, httpx.ConnectError) or "onnect" in type(cause).__name__:
        return f"connection failed: {text}"
    return f"{type(cause).__name__}: {text}"


def _backoff(retries: int) -> float:
    return BACKOFF_S * (2 ** retries)


def _retry_after(response: Answer) -> Optional[float]:
    """Seconds asked by Retry-After (delta-seconds or an HTTP date); None when absent or unreadable."""
    value = (response.header("retry-after") or "").strip()
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
def send(action: Action, values: Optional[dict[str, Any]] = None, *, services: Optional[Services] = None,
         engine: Optional[AuthEngine] = None, resolver: Optional[Resolver] = None, timeout: Optional[float] = None,
         path_suffix: str = "", body: Any = None, source: str = "manual",
         history: Optional[History] = None, transport: Optional[httpx.AsyncBaseTransport] = None,
         net: Optional[NetConfig] = None, clock: Clock = REAL) -> CallResult:
    """Call an action once (with retries) and return the result; `values` are checked first.

    Pass `services` (its resolver and auth engine are used) or `engine` + `resolver`. `body`, when
    given, is sent instead of the payload built from the fields (manual sending of raw JSON).
    `net` (the response cap, proxies, TLS) defaults to the engine's, which the token call uses too.
    `clock`: the time the retries read and wait on (app.calls.pacing; real time by default).
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
    net = net or getattr(engine, "net", None) or NetConfig()
    result = asyncio.run(_send_one(prepared, out, engine, resolver, seconds, source, transport, net, clock))
    if history is not None:
        history.add(result)
    return result


async def _send_one(prepared: Prepared, out: Outgoing, engine: AuthEngine, resolver: Resolver, timeout: float,
                    source: str, transport: Optional[httpx.AsyncBaseTransport], net: NetConfig,
                    clock: Clock) -> CallResult:
    masker = Masker(resolver.secret_values)
    auth = AuthState(engine, prepared.action, resolver, masker)
    options = net.httpx_options() if transport is None else {"transport": transport, "trust_env": False}
    async with CallClient(timeout=timeout, max_body=net.response_max_bytes, **options) as client:
        return await acall(client, prepared, out, auth, timeout, source=source, clock=clock)
