"""Reading a response body up to a cap: a huge or endless body is cut there and the connection
closed, so one answer can never take more memory than the cap (a 500 MB body took 1.3 GB)."""
from __future__ import annotations

from typing import Optional

import httpx

# Extensions (httpx's per-request and per-response dicts; transports ignore keys they do not know):
MAX_BODY = "action_studio.max_body"  # request: the cap a transport that reads bodies itself applies
CUT = "action_studio.cut_at"  # response: the cap, when the transport cut the body there


async def read_capped(response: httpx.Response, cap: int) -> Optional[int]:
    """Read the (decoded) body up to `cap` bytes, then close the response. Returns None when the
    whole body was read, else `cap` (the body kept is its first `cap` bytes)."""
    if response.is_stream_consumed and hasattr(response, "_content"):  # read by the transport already
        return response.extensions.get(CUT)
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in response.aiter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > cap:
                break
    finally:
        await response.aclose()  # unread data left: the connection is closed, not reused
    body = b"".join(chunks)
    # httpx has no public setter for a body read by hand; .content reads this attribute.
    response._content = body[:cap]
    return cap if size > cap or response.extensions.get(CUT) else None
