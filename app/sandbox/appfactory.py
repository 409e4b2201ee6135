"""Builds the sandbox's ASGI application from its state."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp

from app.sandbox import routes_admin, routes_custom_events, routes_echo, routes_inlet, routes_token
from app.sandbox.middleware import SandboxMiddleware
from app.sandbox.state import SandboxState


async def _not_found(request: Request, exc: Exception) -> Response:
    return JSONResponse({"error": "not found", "path": request.url.path}, 404)


async def _server_error(request: Request, exc: Exception) -> Response:
    # A bug in a route must not take the sandbox down or print a secret-bearing traceback
    # for a client's request; the log entry records the 500.
    return JSONResponse({"error": "internal sandbox error", "type": type(exc).__name__}, 500)


def build_app(state: SandboxState) -> ASGIApp:
    """The full application: control API, the four endpoints, wrapped in the log/fault layer."""
    # Hot endpoints first: Starlette tries routes in order.
    routes = [
        *routes_custom_events.routes(state),
        *routes_inlet.routes(state),
        *routes_echo.routes(),
        *routes_token.routes(state),
        *routes_admin.routes(state),
    ]
    app = Starlette(routes=routes, exception_handlers={404: _not_found, Exception: _server_error})
    return SandboxMiddleware(app, state)
