"""CallClient: the httpx.AsyncClient action calls go through, one per run (a single call or a batch).

It follows redirects itself (app.net.redirects: credentials stay on their origin), reads every body
up to the response cap (app.net.reading) and keeps no cookies.
"""
from __future__ import annotations

import asyncio
import time
from typing import Any, Optional

import httpx

from app.net import DEFAULT_RESPONSE_MAX_BYTES, MAX_REDIRECTS, read_capped, redirect_request
from app.net.redirects import IsSecret, never


class _NoCookies(httpx.Cookies):
    """A jar that keeps nothing."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


class CallClient(httpx.AsyncClient):
    """An AsyncClient without a cookie jar: each call stands alone, as on the platform (a batch's
    calls must not depend on each other), and the bulk path skips the jar's per-response work.

    `eager`: the transport returns responses already read and ends a request at its timeout as a
    whole (app.calls.transport's `aiohttp`): `call` then goes to it directly and need not arm its
    own asyncio timeout. `max_body`: the bytes read of a response body (the rest is not read).
    """

    def __init__(self, *args: Any, eager: bool = False, max_body: int = DEFAULT_RESPONSE_MAX_BYTES,
                 **kwargs: Any) -> None:
        kwargs["follow_redirects"] = False  # `call` follows them, under the credentials rule
        super().__init__(*args, **kwargs)
        self.eager = eager
        self.max_body = max_body

    async def call(self, request: httpx.Request, deadline: float, secret_header: IsSecret = never,
                   secret_param: IsSecret = never) -> tuple[httpx.Response, Optional[int]]:
        """Send by `deadline` (time.monotonic()), following redirects: to another origin without the
        headers and query parameters `secret_header` / `secret_param` flag. Returns the last
        response, its body read, and the cap when the body was cut there."""
        if self.eager:
            return await self._follow(request, deadline, secret_header, secret_param)
        async with asyncio.timeout(deadline - time.monotonic()):
            return await self._follow(request, deadline, secret_header, secret_param)

    async def _follow(self, request: httpx.Request, deadline: float, secret_header: IsSecret,
                      secret_param: IsSecret) -> tuple[httpx.Response, Optional[int]]:
        for _ in range(MAX_REDIRECTS + 1):
            if self.eager:
                # The transport directly: httpx's per-call layers (auth flow, hooks, logging, re-wrapping
                # a body already read) cost ~15 us on the bulk path. _transport_for_url applies the mounts.
                response = await self._transport_for_url(request.url).handle_async_request(request)
            else:
                response = await self.send(request, stream=True)
            cut = await read_capped(response, self.max_body)
            if not response.has_redirect_location:
                return response, cut
            request = redirect_request(request, response, secret_header, secret_param)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError()
            request.extensions["timeout"] = dict.fromkeys(("connect", "read", "write", "pool"), remaining)
        raise httpx.TooManyRedirects(f"more than {MAX_REDIRECTS} redirects", request=request)

    @property
    def cookies(self) -> httpx.Cookies:
        jar = self.__dict__.get("_no_cookies")
        if jar is None:
            jar = self.__dict__["_no_cookies"] = _NoCookies()
        return jar

    @cookies.setter
    def cookies(self, value: Any) -> None:
        pass
