"""Reading a response body up to a cap: a huge or endless body is cut there and the connection
closed, so one answer never takes more memory than the cap (a 500 MB body took 1.3 GB). A gzip or
deflate body is inflated here, at most up to the cap (httpx's decoder inflates a whole network
chunk at once: 64 KB of a gzip bomb are 64 MB)."""
from __future__ import annotations

import zlib
from typing import Any, Optional

import httpx

# Extensions (httpx's per-request and per-response dicts; transports ignore keys they do not know):
MAX_BODY = "action_studio.max_body"  # request: the cap a transport that reads bodies itself applies
CUT = "action_studio.cut_at"  # response: the cap, when the transport cut the body there


async def read_capped(response: httpx.Response, cap: int) -> Optional[int]:
    """Read the (decoded) body up to `cap` bytes, then close the response. Returns None when the
    whole body was read, else `cap` (the body kept is its first `cap` bytes)."""
    if response.is_stream_consumed and hasattr(response, "_content"):  # read by the transport already
        return response.extensions.get(CUT)
    encoding = response.headers.get("content-encoding", "").strip().lower()
    body = bytearray()
    try:
        if encoding in ("gzip", "x-gzip", "deflate"):
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
    return cap if len(body) > cap or response.extensions.get(CUT) else None


async def _inflate(response: httpx.Response, encoding: str, cap: int, body: bytearray) -> None:
    inflater: Any = zlib.decompressobj(zlib.MAX_WBITS | 16 if encoding != "deflate" else zlib.MAX_WBITS)
    first = True
    async for raw in response.aiter_raw():
        data = raw
        while data and len(body) <= cap:
            try:
                body += inflater.decompress(data, cap + 1 - len(body))
            except zlib.error as exc:
                if not (first and encoding == "deflate"):
                    raise httpx.DecodingError(f"the {encoding} body cannot be decoded: {exc}") from None
                inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # "deflate" sent raw, as some servers do
                first = False
                continue
            first = False
            data = inflater.unconsumed_tail
        if len(body) > cap:
            return
