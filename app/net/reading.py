"""Reading a response body up to a cap: a huge or endless body is cut there and the connection
closed, so one answer never takes more memory than the cap (a 500 MB body took 1.3 GB). A gzip or
deflate body is inflated here, at most up to the cap (httpx's decoder inflates a whole network
chunk at once: 64 KB of a gzip bomb are 64 MB)."""
from __future__ import annotations

import zlib
from typing import Any, Optional

import httpx

INFLATED = frozenset({"gzip", "x-gzip", "deflate"})  # the encodings decoded here


async def read_capped(response: httpx.Response, cap: int) -> Optional[int]:
    """Read the (decoded) body up to `cap` bytes, then close the response. Returns None when the
    whole body was read, else `cap` (the body kept is its first `cap` bytes)."""
    if response.is_stream_consumed and hasattr(response, "_content"):  # an answer made whole (a mock)
        return None
    encoding = response.headers.get("content-encoding", "").strip().lower()
    body = bytearray()
    try:
        if encoding in INFLATED:
            await _inflate(response, encoding, cap, body)
        else:
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > cap:
                    break
    finally:
        await response.aclose()  # unread data left: the connection is closed, not reused
    # httpx has no public setter for a body read by hand; .content reads this attribute.
    response._content = bytes(body[:cap])
    return cap if len(body) > cap else None


async def _inflate(response: httpx.Response, encoding: str, cap: int, body: bytearray) -> None:
    inflater = Inflater(encoding)
    async for raw in response.aiter_raw():
        inflater.feed(raw, cap, body)
        if len(body) > cap:
            return


def inflated(raw: bytes, encoding: str, cap: int) -> tuple[bytes, bool]:
    """A gzip or deflate body (read whole, or its first bytes) inflated up to `cap` bytes, and
    whether it went past the cap (only its first `cap` bytes are returned then)."""
    body = bytearray()
    Inflater(encoding).feed(raw, cap, body)
    return bytes(body[:cap]), len(body) > cap


class Inflater:
    """gzip / deflate decoding that never inflates past a cap (a "deflate" body sent raw, as some
    servers do, is decoded too); raises httpx.DecodingError for a body that cannot be decoded."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._zlib: Any = zlib.decompressobj(zlib.MAX_WBITS | 16 if encoding != "deflate" else zlib.MAX_WBITS)
        self._first = True

    def feed(self, data: bytes, cap: int, body: bytearray) -> None:
        while data and len(body) <= cap:
            try:
                body += self._zlib.decompress(data, cap + 1 - len(body))
            except zlib.error as exc:
                if not (self._first and self.encoding == "deflate"):
                    raise httpx.DecodingError(f"the {self.encoding} body cannot be decoded: {exc}") from None
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                self._first = False
                continue
            self._first = False
            data = self._zlib.unconsumed_tail
