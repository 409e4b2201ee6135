"""CallClient: the httpx.AsyncClient one action call goes through (the single-call path; the bulk
and journey paths use app.calls.aiosender, which sends the same requests on aiohttp).

It follows redirects itself (app.net.redirects: credentials stay on their origin), reads every body
up to the response cap (app.net.reading) and keeps no cookies.
"""
from __future__ import annotations

import asyncio
import time
from typing import Any, Optional

import httpx

from app.calls.answer import Answer, Pairs
from app.net import DEFAULT_RESPONSE_MAX_BYTES, MAX_REDIRECTS, read_capped, redirect_request
from app.net.redirects import IsSecret, never


class _NoCookies(httpx.Cookies):
    """A jar that keeps nothing."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


class CallClient(httpx.AsyncClient):
    """An AsyncClient without a cookie jar: each call stands alone, as on the platform (a batch's
    calls must not depend on each other). `max_body`: the bytes read of a response body (the rest
    is not read)."""

    def __init__(self, *args: Any, max_body: int = DEFAULT_RESPONSE_MAX_BYTES, **kwargs: Any) -> None:
        kwargs["follow_redirects"] = False  # `call` follows them, under the credentials rule
        super().__init__(*args, **kwargs)
        self.max_body = max_body

    async def exchange(self, method: str, target: httpx.URL, url: str, headers: Pairs, body: Optional[bytes],
                       deadline: float, secret_header: IsSecret = never, secret_param: IsSecret = never) -> Answer:
        """app.calls.answer.Sender's one method: the request exactly as given (a prebuilt Request:
        client.request() would merge in the client's default headers), redirects followed."""
        remaining = deadline - time.monotonic()
        request = httpx.Request(method, target, headers=list(headers), stream=httpx.ByteStream(body or b""),
                                extensions={"timeout": dict.fromkeys(("connect", "read", "write", "pool"), remaining)})
        request.read()
        response, cut = await self.call(request, deadline, secret_header, secret_param)
        pairs = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw]
        return Answer(response.status_code, response.reason_phrase, pairs, response.content, cut,
                      response.headers.get("content-type"))

    async def call(self, request: httpx.Request, deadline: float, secret_header: IsSecret = never,
                   secret_param: IsSecret = never) -> tuple[httpx.Response, Optional[int]]:
        """Send by `deadline` (time.monotonic()), following redirects: to another origin without the
        headers and query parameters `secret_header` / `secret_param` flag. Returns the last
        response, its body read, and the cap when the body was cut there."""
        async with asyncio.timeout(deadline - time.monotonic()):
            for _ in range(MAX_REDIRECTS + 1):
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
