"""AioSender: the sender of the bulk and journey paths, directly on aiohttp (one session per run).

It sends exactly the request the single-call path (httpx, app.calls.client) sends for the same
call: the headers given, in their order (aiohttp adds none of its own: no Accept-Encoding, no
User-Agent, no Content-Type), the URL as httpx encoded it, the same body. Like the single-call
path it goes through the environment's proxies (app.net.config.ProxyRoutes: httpx's rules,
NO_PROXY included) with the one TLS context (app.net.NetConfig), follows redirects itself
(app.net.redirects: credentials never follow a cross-origin redirect), reads each body up to the
response cap (a gzip or deflate body inflated up to it, app.net.reading) and keeps no cookies.
tests/app/calls/test_parity.py proves the requests byte for byte, through a proxy too. Each hop is
one request on aiohttp's own pieces (app.calls.aiorequest: its session's request without the layers
this sender does itself), under one deadline (kept by asyncio's Timeout's rules) from connecting to the
body's last byte, its timer set only when the deadline is near (app.calls.deadlines).
"""
from __future__ import annotations

import asyncio
import functools
import time
from typing import Any, Optional

import httpx

from app.calls.answer import REDIRECTS, Answer, Pairs
from app.calls.deadlines import Deadlines
from app.identitymemo import IdentityMemo
from app.net import INFLATED, MAX_REDIRECTS, NetConfig, UnusableProxy, inflated, redirected
from app.net.config import ProxyRoutes
from app.net.redirects import IsSecret, never

# The headers aiohttp would add on its own: the request carries only what the call engine set.
NOT_ADDED = ("Accept", "Accept-Encoding", "User-Agent", "Content-Type")
Received = tuple[list[tuple[str, str]], Optional[str], Optional[str]]  # headers, Content-Type, Content-Encoding


class AioSender:
    """`async with AioSender(concurrency, net) as sender: await sender.exchange(...)`."""

    def __init__(self, concurrency: int, net: Optional[NetConfig] = None) -> None:
        self.net = net or NetConfig()
        self.max_body = self.net.response_max_bytes
        self.concurrency = concurrency
        self._session: Any = None
        self._requester: Any = None
        self._deadlines: Optional[Deadlines] = None
        self._routes = ProxyRoutes()
        self._proxies: dict[int, dict[str, Any]] = {}  # id(proxy) -> aiohttp's proxy arguments
        self._urls: dict[str, Any] = {}  # URL text -> yarl.URL: a batch calls the same URL again and again
        # A parsed URL -> its proxy arguments: a run's calls mostly share a few (each action's), called in
        # turn; bounded, as a dynamic path parses a URL per call.
        self._routes_of: IdentityMemo[dict[str, Any]] = IdentityMemo(64)
        self._received: dict[tuple[tuple[bytes, bytes], ...], Received] = {}  # raw headers -> _headers()
        self._trims: dict[tuple[int, int, int], tuple[Pairs, Any, Pairs]] = {}  # see _trimmed
        self._trimmed_once: dict[Pairs, Pairs] = {}  # trimmed headers -> the one tuple holding them

    async def __aenter__(self) -> "AioSender":
        # Imported here: aiohttp costs ~100 ms to import, which a single CLI call need not pay.
        from aiohttp import ClientSession, DummyCookieJar, TCPConnector

        from app.calls.aiorequest import Requester

        connector = TCPConnector(limit=self.concurrency, ssl=self.net.ssl_context())
        self._session = ClientSession(connector=connector, cookie_jar=DummyCookieJar(), auto_decompress=False,
                                      trust_env=False, skip_auto_headers=NOT_ADDED, timeout=_no_timeout(),
                                      request_class=_request_class())
        self._requester = Requester(self._session, _request_class())
        self._deadlines = Deadlines(asyncio.get_running_loop())
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._deadlines is not None:
            self._deadlines.close()
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def exchange(self, method: str, target: httpx.URL, url: str, headers: Pairs, body: Optional[bytes],
                       deadline: float, secret_header: IsSecret = never, secret_param: IsSecret = never) -> Answer:
        """One attempt, redirects followed (each hop within the same deadline). One coroutine for the
        hops (not one more per hop): each of aiohttp's waits resumes through every frame above it."""
        for _ in range(MAX_REDIRECTS + 1):
            route = self._routes_of.found.get(id(target))  # the common case inline: a URL called before
            proxy = route[1] if route is not None and route[0] is target else self._proxy(target)
            parsed = self._urls.get(url)
            if parsed is None:
                parsed = self._url(url)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError()
            deadlines = self._deadlines
            assert deadlines is not None  # entered
            with deadlines.hop(remaining):  # the whole hop: connecting, sending, reading the body (app.calls.deadlines)
                response = await self._requester.send(method, parsed, self._trimmed(headers, parsed, body), body,
                                                      **proxy)
                try:
                    length, cap = response.content_length, self.max_body
                    if length is not None and length <= cap:
                        # A body that came with the headers is all in already: taken as read() takes it,
                        # without read()'s three coroutines and the waits they would not make.
                        content = response.content
                        done = content.is_eof() and content.exception() is None  # else read() raises, closing
                        raw = content.read_nowait() if done else await response.read()
                        cut = None
                    else:
                        raw, cut = await _read(response, cap)
                finally:
                    response.release()
                    if response._writer is not None:  # aiohttp's writer task, still writing the body
                        await response.wait_for_close()
                received = response.raw_headers
                found = self._received.get(received)
                pairs, content_type, encoding = found if found is not None else self._headers(received)
                answer = Answer(response.status, response.reason or "", pairs, raw, cut, content_type)
            if encoding is not None and encoding in INFLATED:
                answer.body, past = inflated(raw, encoding, self.max_body)
                answer.cut = self.max_body if past or cut is not None else None
            if answer.status not in REDIRECTS:  # Answer.location's test, without its call
                return answer
            location = answer.location
            if location is None:
                return answer
            method, target, headers, keeps_body = redirected(method, target, headers, answer.status, location,
                                                             secret_header, secret_param)
            body, url = body if keeps_body else None, str(target)
            if deadline - time.monotonic() <= 0:
                raise TimeoutError()
        raise httpx.TooManyRedirects(f"more than {MAX_REDIRECTS} redirects")

    def _trimmed(self, headers: Pairs, url: Any, body: Optional[bytes]) -> Pairs:
        """`_trimmed` of these headers, URL and body length, kept for the next call: a run's calls hand in
        the same header tuple and parsed URL again and again (app.calls.credentials keeps them)."""
        key = (id(headers), id(url), -1 if body is None else len(body))
        found = self._trims.get(key)
        if found is not None and found[0] is headers and found[1] is url:
            return found[2]
        trimmed = _trimmed(headers, url, body)
        if type(trimmed) is tuple:  # one object for the same headers whatever the body's length: the request
            trimmed = self._trimmed_once.setdefault(trimmed, trimmed)  # shapes are found by identity (aiorequest)
        if len(self._trims) > 256:
            self._trims.clear()
            self._trimmed_once.clear()
        self._trims[key] = (headers, url, trimmed)  # both held: their ids are not reused meanwhile
        return trimmed

    def _headers(self, raw: tuple[tuple[bytes, bytes], ...]) -> Received:
        """The headers as text, the Content-Type and the Content-Encoding (lowered), made once per distinct
        set: a run's answers repeat the same headers (the Date changes once a second), so they share one
        list (never mutated), whose masked form and history text are then made once too (by identity)."""
        found = self._received.get(raw)
        if found is None:
            pairs = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in raw]
            named = {k.lower(): v for k, v in reversed(pairs)}  # the first of a repeated header, as aiohttp's get
            encoding = named.get("content-encoding")
            if len(self._received) > 256:
                self._received.clear()
            found = self._received[raw] = (pairs, named.get("content-type"),
                                           None if encoding is None else encoding.strip().lower())
        return found

    def _proxy(self, target: httpx.URL) -> dict[str, Any]:
        """aiohttp's proxy arguments for this URL ({} when it goes direct); raises UnusableProxy. A run's
        calls mostly share a few parsed URLs (each action's, in turn): their arguments are kept."""
        found = self._routes_of.get(target)
        return found if found is not None else self._routes_of.put(target, self._route_arguments(target))

    def _route_arguments(self, target: httpx.URL) -> dict[str, Any]:
        route = self._routes.route(target)
        if route is None:
            return {}
        if isinstance(route, UnusableProxy):
            raise UnusableProxy(str(route))
        found = self._proxies.get(id(route))
        if found is None:
            from aiohttp import BasicAuth
            from yarl import URL

            found = self._proxies[id(route)] = {
                "proxy": URL(str(route.url)), "proxy_headers": list(route.headers.items()) or None,
                "proxy_auth": BasicAuth(route.auth[0], route.auth[1]) if route.auth else None}
        return found

    def _url(self, text: str) -> Any:
        """The URL as httpx encoded it (encoded=True: aiohttp sends it unchanged), parsed and checked as
        ClientSession.request would (an HTTP scheme, a host) once per text."""
        found = self._urls.get(text)
        if found is None:
            from aiohttp import InvalidUrlClientError, NonHttpUrlClientError
            from yarl import URL

            found = URL(text, encoded=True)
            if found.scheme not in self._session.connector.allowed_protocol_schema_set:
                raise NonHttpUrlClientError(found)
            if not found.raw_host:
                raise InvalidUrlClientError(found)
            if len(self._urls) > 1024:
                self._urls.clear()
            self._urls[text] = found
        return found


def _trimmed(headers: Pairs, url: Any, body: Optional[bytes]) -> Pairs:
    """The headers but the two aiohttp writes itself where they are: Host first (from the URL) and,
    for a body, its Content-Length last, when they hold what it would write; the same bytes go out
    and aiohttp's per-header work is not done twice for them (callgrind: ~13k instructions of the
    ~420k a call of the bulk path costs in aiohttp)."""
    end = len(headers)
    start = 1 if end and headers[0][0] == "Host" and headers[0][1] == url.host_port_subcomponent else 0
    if body is not None and end > start and headers[-1] == ("Content-Length", str(len(body))):
        end -= 1
    return headers[start:end] if start or end < len(headers) else headers


@functools.cache
def _request_class() -> Any:
    """aiohttp's ClientRequest adding none of its own headers, as the session's skip_auto_headers asks
    (NOT_ADDED holds every header it would add), without making that set again and copying the request's
    headers to check it on every request."""
    from aiohttp import ClientRequest
    from multidict import CIMultiDict

    skipped: CIMultiDict[None] = CIMultiDict((name, None) for name in NOT_ADDED)

    class Request(ClientRequest):
        shaped_key: Any = None  # a request shape's connection key (app.calls.aiorequest): the same for its requests

        def update_auto_headers(self, skip_auto_headers: Any) -> None:
            self._skip_auto_headers = skipped  # read only: aiohttp checks Content-Type against it

        @property
        def connection_key(self) -> Any:  # the connector asks it of every request
            key = self.shaped_key
            return key if key is not None else ClientRequest.connection_key.fget(self)  # type: ignore[attr-defined]

    return Request


def _no_timeout() -> Any:
    from aiohttp import ClientTimeout

    return ClientTimeout(total=None)


async def _read(response: Any, cap: int) -> tuple[bytes, Optional[int]]:
    """An aiohttp response's (raw) body up to `cap` bytes, and the cap when the body was longer: then
    the connection is closed, the rest never read (a huge or endless body)."""
    length = response.content_length
    if length is not None and length <= cap:
        return await response.read(), None
    body = bytearray()
    while len(body) <= cap:
        chunk = await response.content.read(cap + 1 - len(body))
        if not chunk:
            return bytes(body), None
        body += chunk
    response.close()
    return bytes(body[:cap]), cap
