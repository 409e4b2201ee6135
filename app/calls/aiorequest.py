"""One request on aiohttp's own pieces (its ClientRequest, connector and ClientResponse), for AioSender.

`ClientSession.request` wraps these in layers the bulk and journey paths never use: the session's
default headers and URL merged again, a cookie jar's filter (an empty SimpleCookie a call even with
DummyCookieJar), netrc and environment proxies (trust_env is off), traces, middlewares, redirects
(app.net.redirects follows them) and a timeout handle of its own (AioSender sets one deadline for the
whole attempt). Skipping them is ~14 % of the instructions a bulk call costs on loopback (callgrind,
docs/benchmarks.md, session 7). What the request sends is aiohttp's ClientRequest as the session would
have made it (the parity tests compare the bytes), and failures come out as the session's would: an
OSError as ClientOSError, and an idempotent request retried once on a fresh connection when a kept-alive
one turns out dead.
"""
from __future__ import annotations

import asyncio
from typing import Any, Optional

from aiohttp import ClientSession, client_exceptions
from aiohttp.helpers import TimerNoop

# What the session retries once (a kept-alive connection the server closed meanwhile), and what it never
# does (a connect failure is not a dead kept-alive connection), as ClientSession._request.
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
RETRIED = (client_exceptions.ClientOSError, client_exceptions.ServerDisconnectedError)
NOT_RETRIED = (client_exceptions.ClientConnectorError, client_exceptions.ConnectionTimeoutError)
_NO_TIMER = TimerNoop()  # the deadline is the caller's (asyncio.timeout around the whole attempt)


class Requester:
    """`await requester.send(...)`: the response, its status and headers read, its body not yet."""

    def __init__(self, session: ClientSession, request_class: Any) -> None:
        self._session = session
        self._connector: Any = session.connector
        self._loop = asyncio.get_running_loop()
        self._request_class = request_class
        self._response_class = session._response_class
        self._timeout = session.timeout  # the connector's wait for a free connection: none of its own

    async def send(self, method: str, url: Any, headers: Any, body: Optional[bytes],
                   proxy: Any = None, proxy_auth: Any = None, proxy_headers: Any = None) -> Any:
        method = method.upper()  # as the session (and ClientRequest) take it
        retry = method in IDEMPOTENT
        while True:
            request = self._request_class(
                method, url, headers=headers, data=body, loop=self._loop, session=self._session,
                response_class=self._response_class, timer=_NO_TIMER, proxy=proxy, proxy_auth=proxy_auth,
                proxy_headers=proxy_headers)
            try:  # the exchange in this coroutine: one frame less for each of aiohttp's waits to resume through
                try:
                    conn = await self._connector.connect(request, [], self._timeout)
                except TimeoutError as exc:
                    raise client_exceptions.ConnectionTimeoutError(
                        f"Connection timeout to host {request.url}") from exc
                conn.protocol.set_response_params(timer=_NO_TIMER, skip_payload=method == "HEAD",
                                                  read_until_eof=True, auto_decompress=False)
                try:
                    response = await request.send(conn)
                    try:
                        await response.start(conn)
                    except BaseException:
                        response.close()
                        raise
                except BaseException:
                    conn.close()
                    raise
                return response
            except NOT_RETRIED:
                raise
            except RETRIED:
                if not retry:
                    raise
                retry = False
                await request.close()
            except client_exceptions.ClientError:
                raise
            except OSError as exc:
                if exc.errno is None and isinstance(exc, TimeoutError):
                    raise
                raise client_exceptions.ClientOSError(*exc.args) from exc
