"""``POST /ims/token/v3``: the OAuth server-to-server client-credentials token endpoint."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.sandbox.jsonbody import read_body
from app.sandbox.state import SandboxState

MAX_FORM_BYTES = 64 * 1024
_NO_STORE = {"Cache-Control": "no-store"}


def _oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status, headers=_NO_STORE)


def _scopes(raw: str) -> tuple[str, ...]:
    # The vendor separates scopes with commas; OAuth's standard separator is a space.
    return tuple(s for s in raw.replace(" ", ",").split(",") if s)


def routes(state: SandboxState) -> list[Route]:
    """The token endpoint's route, bound to ``state``."""

    async def token(request: Request) -> Response:
        body = await read_body(request, MAX_FORM_BYTES)
        if body is None:
            return _oauth_error("invalid_request", "request body too large", 413)
        # Query parameters are accepted too; form fields win when both are given.
        params = dict(parse_qsl(request.url.query, keep_blank_values=True))
        ctype = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if body and ctype in ("application/x-www-form-urlencoded", ""):
            params.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        grant = params.get("grant_type")
        if not grant:
            return _oauth_error("invalid_request", "missing grant_type parameter")
        if grant != "client_credentials":
            return _oauth_error("unsupported_grant_type", f"unsupported grant_type {grant}")
        client = state.accounts.clients.get(params.get("client_id", ""))
        if client is None:
            return _oauth_error("invalid_client", "invalid client_id parameter")
        if params.get("client_secret") != client.client_secret:
            return _oauth_error("invalid_client", "invalid client_secret parameter")
        scopes = _scopes(params.get("scope", ""))
        if client.scopes is not None and any(s not in client.scopes for s in scopes):
            bad = ",".join(s for s in scopes if s not in client.scopes)
            return _oauth_error("invalid_scope", f"invalid scope ({bad})")
        ttl = state.config.token_ttl
        access = state.tokens.issue(client.client_id, scopes, ttl)
        return JSONResponse({"access_token": access, "token_type": "bearer", "expires_in": ttl}, headers=_NO_STORE)

    return [Route("/ims/token/v3", token, methods=["POST"])]
