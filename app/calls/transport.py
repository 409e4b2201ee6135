"""httpx transports for the bulk path, all behind the same `httpx.AsyncClient` API.

- `httpx`: httpx's own (httpcore) pool; it degrades under concurrency (issue 6: ~460 calls/s at 16).
- `aiohttp-stream`: httpx-aiohttp's `AiohttpTransport` as shipped: the body is streamed through
  httpx's chunk iterators, which costs more than the call itself on loopback.
- `aiohttp` (the default): the same transport and aiohttp session, reading each (bounded) body at
  once (up to the cap the request carries, app.net.reading), so httpx gets a complete `Response`.
  bench/bench_batch.py measures the three.
Every kind is made with the TLS context and proxy app.net.NetConfig gives (`ssl_context`, `proxy`).
"""
from __future__ import annotations

import ssl
from typing import Any, Literal, Optional, Sequence

import httpx

from app.net.reading import CUT, MAX_BODY

Transport = Literal["aiohttp", "aiohttp-stream", "httpx"]
TRANSPORTS: tuple[Transport, ...] = ("aiohttp", "aiohttp-stream", "httpx")


def make_transport(kind: Transport, concurrency: int, ssl_context: Optional[ssl.SSLContext] = None,
                   proxy: Optional[httpx.Proxy] = None) -> httpx.AsyncBaseTransport:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    options: dict[str, Any] = {"limits": limits, "verify": ssl_context if ssl_context is not None else True,
                               "proxy": proxy, "trust_env": False}
    if kind == "httpx":
        return httpx.AsyncHTTPTransport(**options)
    from httpx_aiohttp import AiohttpTransport

    if kind == "aiohttp-stream":
        return AiohttpTransport(**options)
    return _eager_class()(**options)


_EAGER: "type | None" = None


def _eager_class() -> type:
    """Defined on first use: importing aiohttp costs ~100 ms, which a single CLI call need not pay."""
    global _EAGER
    if _EAGER is not None:
        return _EAGER
    from aiohttp import BasicAuth, ClientSession, ClientTimeout
    from httpx_aiohttp import AiohttpTransport
    from httpx_aiohttp.transport import map_aiohttp_exceptions

    class EagerAiohttpTransport(AiohttpTransport):
        """httpx-aiohttp's transport, returning responses whose body is already read."""

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._timeouts: dict[int, ClientTimeout] = {}
            proxy = self.proxy
            # The same per-request proxy arguments as the streaming AiohttpTransport passes.
            self._proxy_args: dict[str, Any] = {} if proxy is None else {
                "proxy": str(proxy.url), "proxy_headers": proxy.headers,
                "proxy_auth": BasicAuth(proxy.auth[0], proxy.auth[1]) if proxy.auth else None}

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if not isinstance(self.client, ClientSession):
                self.client = self.get_client()
            timeout = request.extensions.get("timeout", {})
            try:
                # Plain pairs: aiohttp iterating an httpx.Headers decodes every value through a property.
                headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw]
                async with self.client.request(
                    method=request.method, url=str(request.url), headers=headers,
                    # aread: a redirected request (307) is not read yet.
                    data=await request.aread() or None, allow_redirects=False, auto_decompress=False, compress=False,
                    # One deadline per request (the longest of httpx's four): aiohttp re-arms a timer
                    # on every read for sock_read, which costs more than the read on loopback.
                    timeout=self._timeout(max((t for t in timeout.values() if t is not None), default=None)),
                    **self._proxy_args,
                ) as response:
                    body, cut = await _read(response, request.extensions.get(MAX_BODY))
                    reason = response.reason
                    status, raw = response.status, response.raw_headers
            except Exception:
                with map_aiohttp_exceptions():  # here, not around the call: a context manager per call costs
                    raise
            extensions: dict[str, Any] = {"http_version": b"HTTP/1.1"}
            if reason:
                extensions["reason_phrase"] = reason.encode()
            if cut:
                extensions[CUT] = cut
            return _response(status, raw, body, request, extensions)

        def _timeout(self, total: Optional[float]) -> ClientTimeout:
            """ClientTimeout(total) cut to the millisecond (earlier, never past the caller's deadline),
            made once per value: building one costs more than the rest of this method."""
            ms = int(total * 1000) if total is not None else 0
            if ms <= 0:
                return ClientTimeout(total=total)
            found = self._timeouts.get(ms)
            if found is None:
                if len(self._timeouts) > 1024:
                    self._timeouts.clear()
                found = self._timeouts[ms] = ClientTimeout(total=ms / 1000)
            return found

    _EAGER = EagerAiohttpTransport
    return _EAGER


async def _read(response: Any, cap: Optional[int]) -> tuple[bytes, Optional[int]]:
    """An aiohttp response's (raw) body up to `cap` bytes, and the cap when the body was longer: then
    the connection is closed, the rest never read (a huge or endless body)."""
    length = response.content_length
    if cap is None or length is not None and length <= cap:
        return await response.read(), None
    body = bytearray()
    while len(body) <= cap:
        chunk = await response.content.read(cap + 1 - len(body))
        if not chunk:
            return bytes(body), None
        body += chunk
    response.close()
    return bytes(body[:cap]), cap


def _response(status: int, headers: "Sequence[tuple[bytes, bytes]]", body: bytes, request: httpx.Request,
              extensions: dict[str, Any]) -> httpx.Response:
    """An httpx.Response already read. Without a Content-Encoding the body is the content as is: set
    directly, as `read()` would (its decoder chain costs 8 us per call); else it is left to be
    decoded by the reader (app.net.reading, up to the cap; httpx's `aread` otherwise)."""
    if any(name.lower() == b"content-encoding" for name, _ in headers):
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(body), request=request,
                              extensions=extensions)
    response = httpx.Response(status, headers=headers, stream=httpx.ByteStream(body), request=request,
                              extensions=extensions)
    response._content, response.is_stream_consumed, response.is_closed = body, True, True
    return response
