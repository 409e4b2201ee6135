"""``ANY /echo/{path}``: a sink for plain webhooks that answers with what it received."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.masking import masked_headers
from app.sandbox.jsonbody import is_json_type, read_body
from app.sandbox.requestlog import iso_time, now

MAX_BYTES = 8 * 1024 * 1024
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def _parsed(body: bytes, content_type: str | None) -> Any:
    """JSON bodies parsed, anything else as text (undecodable bytes replaced)."""
    if body and is_json_type(content_type):
        try:
            return json.loads(body)
        except (ValueError, RecursionError):
            pass  # Not valid JSON after all: echo the text so the caller sees what it sent.
    return body.decode("utf-8", "replace")


async def echo(request: Request) -> Response:
    """Describe the request back to the caller, secrets in headers masked."""
    body = await read_body(request, MAX_BYTES)
    if body is None:
        return JSONResponse({"error": "request body exceeds 8 MB"}, 413)
    return JSONResponse({
        "method": request.method,
        "path": "/" + request.path_params.get("path", ""),
        "query": dict(request.query_params.multi_items()),
        "headers": masked_headers(request.scope["headers"]),
        "body": _parsed(body, request.headers.get("content-type")),
        "received_at": iso_time(now()),
    })


def routes() -> list[Route]:
    """The echo routes (the sink keeps no state of its own)."""
    return [
        Route("/echo", echo, methods=METHODS),
        Route("/echo/{path:path}", echo, methods=METHODS),
    ]
