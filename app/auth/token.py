"""Send the token request and read the token and its lifetime out of the answer.

Every failure becomes an AuthError whose reason says what happened and what to check:
connection refused, DNS, TLS, timeout, a non-2xx status with the body's error text, a body that
is not JSON, a token path that is not there (with the keys that are), an expiry that is no number.
The request carries credentials (a client secret, a basic header): a redirect is followed only on
the endpoint's own origin, never to another host. The timeout is a deadline for the whole
exchange (a server trickling its answer is cut too) and the body is read up to a cap.
"""
from __future__ import annotations

import asyncio
import json
import math
import re
import socket
import ssl
import time
from dataclasses import dataclass, field
from typing import Any, Optional

import httpx

from app.auth.errors import AuthError, AuthTimeout
from app.auth.request import TokenRequest
from app.auth.vendors import dns_hint
from app.masking import is_secret_key, mask_all, mask_json, response_secrets
from app.model.auth import UNIT_SECONDS, CustomAuth
from app.net import MAX_REDIRECTS, header_problem, keeps_credentials, origin, read_capped, redirect_request

MAX_BODY = 64 * 1024  # what a test result keeps of a response body
DEFAULT_LIFETIME = 3600.0


@dataclass(frozen=True)
class Exchange:
    """The raw answer of the token endpoint."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes = field(repr=False)
    elapsed_ms: float
    cut_at: Optional[int] = None  # the body was longer than this cap: only its start was read

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def content_type(self) -> str:
        return next((v for k, v in self.headers if k.lower() == "content-type"), "")


@dataclass(frozen=True)
class Grant:
    """A token and how long it may be used, in seconds. The token never shows in repr."""

    token: str = field(repr=False)
    lifetime_s: float


# -- sending ---------------------------------------------------------------------------------
async def asend(request: TokenRequest, client: httpx.AsyncClient, timeout: float, max_bytes: int) -> Exchange:
    """Send within `timeout` seconds in all, reading at most `max_bytes` of the answer."""
    started = time.perf_counter()
    problem = next(filter(None, (header_problem(k, v) for k, v in request.headers.items())), None)
    if problem:
        raise AuthError(f"the token request cannot be sent: {problem}")
    outgoing = client.build_request(request.method, request.url, headers=request.headers,
                                    content=request.body or None)
    try:
        async with asyncio.timeout(timeout):
            response, cut = await _follow(client, outgoing, max_bytes)
    except TimeoutError:
        raise AuthTimeout(_timed_out(request, timeout)) from None
    except httpx.HTTPError as exc:
        raise transport_error(exc, request, timeout) from None
    return Exchange(response.status_code, list(response.headers.multi_items()), response.content,
                    (time.perf_counter() - started) * 1000, cut)


async def _follow(client: httpx.AsyncClient, outgoing: httpx.Request,
                  max_bytes: int) -> tuple[httpx.Response, Optional[int]]:
    for _ in range(MAX_REDIRECTS + 1):
        response = await client.send(outgoing, stream=True, follow_redirects=False)
        cut = await read_capped(response, max_bytes)
        if not response.has_redirect_location:
            return response, cut
        following = redirect_request(outgoing, response)
        if not keeps_credentials(outgoing.url, following.url):
            raise AuthError(f"the token endpoint {origin(outgoing.url)} redirected ({response.status_code}) to "
                            f"{origin(following.url)}, another host: the token request carries credentials, so "
                            "it is not sent there. If that host is the right one, use its URL as the token endpoint")
        outgoing = following
    raise AuthError(f"the token endpoint at {origin(outgoing.url)} redirected too many times")


def _timed_out(request: TokenRequest, timeout: float) -> str:
    # Rounded: the time left of a call's timeout is a hair under what the user set.
    return (f"the token request to {_where(httpx.URL(request.url))} timed out after {round(timeout, 1):g} s "
            "(the server did not answer in time; check the URL or raise the timeout)")


def _where(url: httpx.URL) -> str:
    return f"{url.host}:{url.port or (443 if url.scheme == 'https' else 80)}"


def transport_error(exc: BaseException, request: TokenRequest, timeout: float) -> AuthError:
    """Name the failure the way a person can act on it."""
    url = httpx.URL(request.url)
    where = _where(url)
    causes = list(_chain(exc))
    if isinstance(exc, httpx.TimeoutException):
        return AuthTimeout(_timed_out(request, timeout))
    if any(isinstance(c, socket.gaierror) for c in causes) or _says(causes, "name or service not known",
                                                                    "nodename nor servname", "getaddrinfo"):
        return AuthError(f"DNS failure: the host name {url.host!r} could not be resolved "
                         f"(check the token endpoint URL and your network{dns_hint(url.host)})")
    if any(isinstance(c, ConnectionRefusedError) for c in causes) or _says(causes, "connection refused",
                                                                            "connect call failed"):
        return AuthError(f"connection refused by {where} (nothing is listening there: "
                         "check the host and port, or start the server)")
    if any(isinstance(c, ssl.SSLError) for c in causes) or _says(causes, "certificate", "ssl", "tls"):
        detail = next((str(c) for c in causes if isinstance(c, ssl.SSLError)), str(exc))
        return AuthError(f"TLS error talking to {where}: {detail} (check the URL's scheme and the "
                         "server's certificate)")
    if isinstance(exc, httpx.RemoteProtocolError):
        return AuthError(f"the server at {where} closed the connection without a valid answer ({exc})")
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return AuthError(f"the token endpoint URL cannot be used: {exc}")
    if isinstance(exc, httpx.TooManyRedirects):
        return AuthError(f"the token endpoint at {where} redirected too many times")
    return AuthError(f"the token request to {where} failed: {exc or type(exc).__name__}")


def _chain(exc: BaseException | None) -> Any:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        for inner in getattr(exc, "exceptions", ()):  # exception groups (anyio's happy eyeballs)
            yield from _chain(inner)
        exc = exc.__cause__ or exc.__context__


def _says(causes: list[BaseException], *needles: str) -> bool:
    text = " ".join(str(c).lower() for c in causes)
    return any(n in text for n in needles)


# -- reading the answer ----------------------------------------------------------------------
def interpret(auth: CustomAuth, exchange: Exchange) -> Grant:
    """The token and its lifetime, or an AuthError saying why there is none."""
    if not 200 <= exchange.status < 300:
        raise AuthError(f"the token endpoint answered {exchange.status}{_error_text(exchange)}"
                        f"{_status_hint(exchange.status)}")
    if exchange.cut_at is not None:
        raise AuthError(f"the token response is larger than {exchange.cut_at:,} bytes (tokenResponseMaxBytes in the "
                        "workspace's settings.json): it was not read further and no token is taken from it")
    data: Any = None
    if auth.token_in_response == "response":
        token = exchange.text.strip()
        if not token:
            raise AuthError("the token response body is empty (tokenInResponse is \"response\")")
    else:
        data = _json(exchange, "tokenInResponse")
        token = _token_value(lookup(data, auth.token_in_response, "token"), auth.token_in_response)
    return Grant(token, lifetime(auth, exchange, data))


def lifetime(auth: CustomAuth, exchange: Exchange, data: Any = None) -> float:
    fixed = auth.cache_seconds()
    if fixed is not None:
        return fixed
    assert auth.cache_duration is not None and auth.cache_duration.expiry_in_response is not None
    path, unit = auth.cache_duration.expiry_in_response, auth.cache_duration.time_unit
    if data is None:
        data = _json(exchange, "expiryInResponse")
    raw = lookup(data, path, "expiry")
    number = _number(raw)
    if number is None:
        raise AuthError(f"the expiry path {path} holds {_show(raw, path)}, not a number of {unit}")
    if number <= 0:
        raise AuthError(f"the expiry path {path} holds {_show(raw, path)}: a token lifetime must be positive")
    return number * UNIT_SECONDS[unit]


def _number(raw: Any) -> Optional[float]:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        value = float(raw)
    elif isinstance(raw, str):
        try:
            value = float(raw.strip())
        except ValueError:
            return None
    else:
        return None
    return value if math.isfinite(value) else None


def _json(exchange: Exchange, setting: str) -> Any:
    try:
        return json.loads(exchange.body)
    except (ValueError, UnicodeDecodeError):
        start = mask_all(exchange.text, response_secrets(exchange.text))[:80].replace("\n", " ")
        kind = f" (Content-Type {exchange.content_type})" if exchange.content_type else ""
        hint = ' If the whole body is the token, set tokenInResponse to "response".' \
            if setting == "tokenInResponse" else ""
        raise AuthError(f"the token response is not JSON{kind}; it starts with {start!r}.{hint}") from None


_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_path(path: str) -> list[str | int]:
    """`json://data[0].token` and `json://data.0.token` both give ['data', 0, 'token'] (0 may be a key)."""
    body = path[len("json://"):] if path.startswith("json://") else path
    out: list[str | int] = []
    for match in _SEGMENT.finditer(body):
        out.append(match.group(1) if match.group(1) is not None else int(match.group(2)))
    return out


def lookup(data: Any, path: str, what: str) -> Any:
    """The value at a json:// path; a wrong path says how far it got and what was there."""
    here, reached = data, "the response"
    for segment in parse_path(path):
        if isinstance(here, dict):
            key = str(segment)
            if key not in here:
                keys = ", ".join(map(str, here)) or "none (an empty object)"
                raise AuthError(f"the {what} path {path} was not found: {reached} has no key {key!r}; "
                                f"the keys there are: {keys}")
            here = here[key]
        elif isinstance(here, list):
            index = segment if isinstance(segment, int) else int(segment) if str(segment).isdigit() else None
            if index is None:
                raise AuthError(f"the {what} path {path} was not found: {reached} is a list of "
                                f"{len(here)} items, so use an index like [0] instead of {segment!r}")
            if index >= len(here):
                raise AuthError(f"the {what} path {path} was not found: {reached} is a list of "
                                f"{len(here)} items; there is no item {index}")
            here = here[index]
        else:
            raise AuthError(f"the {what} path {path} was not found: {reached} is {_show(here, reached)}, "
                            f"not an object, so it has no {segment!r}")
        reached = _extend(reached, segment)
    return here


def _extend(reached: str, segment: str | int) -> str:
    base = "" if reached == "the response" else reached
    if isinstance(segment, int):
        return f"{base}[{segment}]"
    return f"{base}.{segment}" if base else str(segment)


def _token_value(value: Any, path: str) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise AuthError(f"the value at {path} is {_show(value)}, not a token string")


def _show(value: Any, where: str = "") -> str:
    """A value for a message; a string under a secret-named key (a wrong path can land on the
    access_token) is never quoted."""
    if isinstance(value, str) and value and is_secret_key(where.removeprefix("json://").rsplit(".", 1)[-1]):
        return "a string its name marks as secret (not shown)"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "an empty string" if not value else repr(value[:40])
    return json.dumps(value)


def _error_text(exchange: Exchange) -> str:
    try:
        data = json.loads(exchange.body)
    except (ValueError, UnicodeDecodeError):
        text = exchange.text.strip()
        text = mask_all(text, response_secrets(text)).replace("\n", " ")[:200]
        return f": {text}" if text else ""
    if not isinstance(data, dict):
        return f": {json.dumps(mask_json(data))[:200]}"
    error = data.get("error")
    if isinstance(error, dict):  # {"error": {"code": ..., "message": ...}}
        error = error.get("message") or error.get("code")
    detail = next((data[k] for k in ("error_description", "message", "title", "detail")
                   if isinstance(data.get(k), str) and data[k]), None)
    parts = [str(p) for p in (error, detail) if p]
    if parts:
        return " " + ": ".join(parts)
    return f": {json.dumps(mask_json(data))[:200]}"


def _status_hint(status: int) -> str:
    if status in (400, 401, 403):
        return " (check the client id, secret and other parameters of the token request)"
    if status == 404:
        return " (check the token endpoint URL)"
    if status == 405:
        return " (check the method: GET or POST)"
    if status >= 500:
        return " (the token service failed; try again later)"
    return ""
