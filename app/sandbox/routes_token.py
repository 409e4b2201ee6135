"""``POST /ims/token/v3``: the OAuth server-to-server client-credentials token endpoint.

Client authentication as RFC 6749 section 2.3.1 has it, which OAuth client libraries use:
``client_secret_post`` (``client_id`` and ``client_secret`` in the form body or the query, as the
vendor's console's cURL command does) or ``client_secret_basic`` (``Authorization: Basic`` of the
form-encoded id and secret; a ``client_id`` field may repeat the id). Both at once is refused
(400 ``invalid_request``), as is a body ``client_id`` naming another client. A refused Basic
client gets 401 with ``WWW-Authenticate: Basic``; a refused body client 400 ``invalid_client``.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import parse_qsl, unquote_plus

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.sandbox.jsonbody import read_body
from app.sandbox.state import SandboxState

MAX_FORM_BYTES = 64 * 1024
_NO_STORE = {"Cache-Control": "no-store"}


def _oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status, headers=_NO_STORE)


def _basic_error(description: str) -> JSONResponse:
    headers = {**_NO_STORE, "WWW-Authenticate": 'Basic realm="token"'}
    return JSONResponse({"error": "invalid_client", "error_description": description}, 401, headers=headers)


def _basic(header: str) -> tuple[str, str] | None | JSONResponse:
    """The client id and secret of an ``Authorization: Basic`` header, None without one, or the
    error answer for a malformed one."""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return _basic_error("malformed HTTP Basic credentials (not base64 of UTF-8 text)")
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        return _basic_error("malformed HTTP Basic credentials (no ':' between client id and secret)")
    return unquote_plus(client_id), unquote_plus(secret)


def _client(params: dict[str, str], header: str) -> tuple[str, str | None, bool] | JSONResponse:
    """(client id, secret, by Basic) from the header or the parameters, or the error answer."""
    basic = _basic(header)
    if isinstance(basic, JSONResponse):
        return basic
    if basic is None:
        return params.get("client_id", ""), params.get("client_secret"), False
    if "client_secret" in params:
        return _oauth_error("invalid_request", "client authenticated twice (HTTP Basic and client_secret "
                                               "parameter): use one method")
    if params.get("client_id", basic[0]) != basic[0]:
        return _oauth_error("invalid_request", "client_id parameter differs from the HTTP Basic client id")
    return basic[0], basic[1], True


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
        given = _client(params, request.headers.get("authorization", ""))
        if isinstance(given, JSONResponse):
            return given
        client_id, secret, by_basic = given
        refuse = _basic_error if by_basic else (lambda reason: _oauth_error("invalid_client", reason))
        client = state.accounts.clients.get(client_id)
        if client is None:
            return refuse("invalid client_id " + ("in HTTP Basic credentials" if by_basic else "parameter"))
        if secret != client.client_secret:
            return refuse("invalid client_secret " + ("in HTTP Basic credentials" if by_basic else "parameter"))
        scopes = _scopes(params.get("scope", ""))
        if client.scopes is not None and any(s not in client.scopes for s in scopes):
            bad = ",".join(s for s in scopes if s not in client.scopes)
            return _oauth_error("invalid_scope", f"invalid scope ({bad})")
        ttl = state.config.token_ttl
        access = state.tokens.issue(client.client_id, scopes, ttl)
        return JSONResponse({"access_token": access, "token_type": "bearer", "expires_in": ttl}, headers=_NO_STORE)

    return [Route("/ims/token/v3", token, methods=["POST"])]
