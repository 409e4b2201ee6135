"""``POST /api/custom-events`` (with or without the trailing slash): the custom-events API."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from app.sandbox import custom_events as rules
from app.sandbox.jsonbody import BodyError, is_json_type, parse_json, read_body
from app.sandbox.state import SandboxState
from app.sandbox.tokens import TokenState

MAX_BYTES = 8 * 1024 * 1024
PARSE_ERROR = "Could not parse request body."
# error_code = status * 100 + one of these.
SUB_SYNTAX = 0
SUB_INVALID = 1


def _unauthorized(reason: str) -> Response:
    return PlainTextResponse(f"Unauthorized: {reason}", 401, headers={"WWW-Authenticate": 'Bearer realm="sandbox"'})


def _bad_request(detail: str, path: str | None = None, line: int | None = None,
                 column: int | None = None, sub: int = SUB_SYNTAX) -> Response:
    return JSONResponse(rules.error_body(400, PARSE_ERROR, detail, path, line, column, sub), 400)


def _header(headers: dict[bytes, bytes], name: bytes) -> str | None:
    value = headers.get(name)
    return None if value is None else value.decode("latin-1")


def _authenticate(state: SandboxState, headers: dict[bytes, bytes]) -> Response | None:
    """The 401 answer, or None when the token and app key are good."""
    scheme, _, token = (_header(headers, b"authorization") or "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return _unauthorized("missing bearer token")
    app_key = _header(headers, b"x-ua-appkey")
    if not app_key:
        return _unauthorized("missing X-UA-Appkey header")
    static_tokens = state.accounts.app_tokens(app_key)
    if isinstance(static_tokens, str):
        return _unauthorized(static_tokens)
    if token in static_tokens:
        return None
    verdict = state.tokens.check(token)
    if verdict is TokenState.VALID:
        return None
    return _unauthorized("token expired" if verdict is TokenState.EXPIRED else "invalid bearer token")


def routes(state: SandboxState) -> list[Route]:
    """The custom-events routes, bound to ``state``."""

    async def custom_events(request: Request) -> Response:
        # One dict for all header look-ups: Starlette's Headers scans the list on every get.
        headers = dict(request.scope["headers"])
        denied = _authenticate(state, headers)
        if denied is not None:
            return denied
        not_acceptable = rules.accept_problem(_header(headers, b"accept"))
        if not_acceptable is not None:
            return JSONResponse(rules.error_body(406, "Not Acceptable", not_acceptable), 406)
        body = await read_body(request, MAX_BYTES)
        if body is None:
            return JSONResponse(rules.error_body(413, "Request entity too large", "Request body exceeds 8 MB"), 413)
        if not is_json_type(_header(headers, b"content-type")):
            return _bad_request("Content-Type must be application/json")
        try:
            payload = parse_json(body)
        except BodyError as exc:
            return _bad_request(exc.message, "" if exc.line else None, exc.line, exc.column)
        try:
            rules.validate_events(payload)
        except rules.EventError as exc:
            return _bad_request(exc.message, exc.path, sub=SUB_INVALID)
        return JSONResponse(
            {"ok": True, "operation_id": str(uuid.uuid4())}, media_type=rules.API_CONTENT_TYPE
        )

    return [
        Route("/api/custom-events", custom_events, methods=["POST"]),
        Route("/api/custom-events/", custom_events, methods=["POST"]),
    ]
