"""``POST /collection/{id}`` and ``/collection/batch/{id}``: the streaming inlet."""

from __future__ import annotations

import itertools
import random
import time
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.sandbox import inlet
from app.sandbox.jsonbody import BodyError, is_json_type, parse_json, read_body
from app.sandbox.state import SandboxState
from app.sandbox.tokens import TokenState

_PROBLEM = "application/problem+json"
_sequence = itertools.count(1)


def _problem(body: dict[str, Any], status: int) -> JSONResponse:
    return JSONResponse(body, status, media_type=_PROBLEM)


def _bearer(request: Request) -> str | None:
    value = request.headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def _authorize(state: SandboxState, inlet_id: str, request: Request) -> Response | None:
    """The 404/401/403 answer for this request, or None when it may go on."""
    needs_token = state.accounts.inlet_auth(inlet_id)
    if needs_token is None:
        return _problem(inlet.problem(404, "Not Found", f"Inlet [{inlet_id}] does not exist"), 404)
    if not needs_token:
        return None
    token = _bearer(request)
    if token is None:
        return _problem(inlet.auth_problem(401, f"inletId: [{inlet_id}] Ims service token is empty"), 401)
    verdict = state.tokens.check(token)
    if verdict is TokenState.VALID:
        return None
    reason = "expired" if verdict is TokenState.EXPIRED else "invalid"
    return _problem(inlet.auth_problem(403, f"inletId: [{inlet_id}] Ims service token is {reason}"), 403)


async def _read_json(request: Request) -> Any | Response:
    """The parsed body, or the inlet-shaped 413/400 answer."""
    body = await read_body(request, inlet.MAX_BYTES)
    if body is None:
        return _problem(inlet.problem(413, "Payload Too Large", "Request exceeds the 1 MB limit"), 413)
    if not is_json_type(request.headers.get("content-type")):
        return _problem(inlet.problem(400, "Invalid Content-Type", "Content-Type must be application/json"), 400)
    try:
        return parse_json(body)
    except BodyError as exc:
        where = f" at line {exc.line} column {exc.column}" if exc.line else ""
        return _problem(inlet.problem(400, "Invalid JSON", f"Malformed JSON{where}: {exc.message}"), 400)


def _sync(request: Request) -> bool:
    return request.query_params.get("syncValidation", "false").lower() == "true"


def _now_ms() -> int:
    return int(time.time() * 1000)


def routes(state: SandboxState) -> list[Route]:
    """The inlet routes, bound to ``state``."""

    async def single(request: Request) -> Response:
        inlet_id = request.path_params["inlet_id"]
        denied = _authorize(state, inlet_id, request)
        if denied is not None:
            return denied
        message = await _read_json(request)
        if isinstance(message, Response):
            return message
        sync = _sync(request)
        violations = inlet.validate_message(message, sync)
        if violations:
            return _problem(inlet.violation_report(inlet_id, inlet.org_of(message), violations), 400)
        received = _now_ms()
        return JSONResponse({
            "inletId": inlet_id,
            "xactionId": f"{received}:{random.randrange(1000, 10000)}:{next(_sequence)}",
            "receivedTimeMs": received,
            "syncValidation": {"status": "pass"} if sync else {"skipped": True},
        })

    async def batch(request: Request) -> Response:
        inlet_id = request.path_params["inlet_id"]
        denied = _authorize(state, inlet_id, request)
        if denied is not None:
            return denied
        payload = await _read_json(request)
        if isinstance(payload, Response):
            return payload
        messages = payload.get("messages") if isinstance(payload, dict) else None
        if not isinstance(messages, list):
            return _problem(inlet.problem(400, "Invalid Batch", "Body must be {\"messages\": [...]}"), 400)
        batch_id = f"{_now_ms()}:{uuid.uuid4().hex[:8]}"
        sync = _sync(request)
        return JSONResponse({
            "inletId": inlet_id,
            "batchId": batch_id,
            "receivedTimeMs": _now_ms(),
            "responses": [_batch_item(batch_id, i, m, sync) for i, m in enumerate(messages)],
        }, 207)

    return [
        Route("/collection/batch/{inlet_id}", batch, methods=["POST"]),
        Route("/collection/{inlet_id}", single, methods=["POST"]),
    ]


def _batch_item(batch_id: str, index: int, message: Any, sync: bool) -> dict[str, Any]:
    violations = inlet.validate_message(message, sync)
    if violations:
        return {"statusCode": 400, "message": inlet.short_reason(violations)}
    return {"xactionId": f"{batch_id}:{index}"}
