"""``/_sandbox/...``: the control API (request log, counters, faults, token expiry, health)."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.sandbox.errors import SandboxError
from app.sandbox.faults import FaultSpec
from app.sandbox.state import SandboxState


def _error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message}, status)


def routes(state: SandboxState) -> list[Route]:
    """The control routes, bound to ``state``."""

    async def list_requests(request: Request) -> Response:
        try:
            entries = state.log.entries(request.query_params.get("path"), request.query_params.get("since"))
        except ValueError as exc:
            return _error(str(exc))
        return JSONResponse(entries)

    async def clear_requests(request: Request) -> Response:
        return JSONResponse({"ok": True, "cleared": state.log.clear()})

    async def counters(request: Request) -> Response:
        return JSONResponse(state.log.counters())

    async def list_faults(request: Request) -> Response:
        return JSONResponse([spec.to_json() for spec in state.faults.active()])

    async def set_fault(request: Request) -> Response:
        try:
            data: Any = json.loads(await request.body())
            spec = FaultSpec.from_json(data)
            seed = data.get("seed")
            if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
                raise SandboxError("seed must be an integer")
        except (ValueError, RecursionError):
            return _error("body must be a JSON object describing the fault")
        except SandboxError as exc:
            return _error(str(exc))
        state.faults.set(spec, seed)
        return JSONResponse({"ok": True, "fault": spec.to_json()})

    async def clear_faults(request: Request) -> Response:
        state.faults.clear(request.query_params.get("endpoint"))
        return JSONResponse({"ok": True})

    async def expire_tokens(request: Request) -> Response:
        return JSONResponse({"ok": True, "expired": state.tokens.expire_all()})

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return [
        Route("/_sandbox/requests", list_requests, methods=["GET"]),
        Route("/_sandbox/requests", clear_requests, methods=["DELETE"]),
        Route("/_sandbox/counters", counters, methods=["GET"]),
        Route("/_sandbox/faults", list_faults, methods=["GET"]),
        Route("/_sandbox/faults", set_fault, methods=["POST"]),
        Route("/_sandbox/faults", clear_faults, methods=["DELETE"]),
        Route("/_sandbox/expire-tokens", expire_tokens, methods=["POST"]),
        Route("/_sandbox/health", health, methods=["GET"]),
    ]
