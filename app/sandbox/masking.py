"""Masking of secrets in recorded requests: headers, query strings, form and JSON bodies.

Everything that reaches the request log, the echo response or a printout goes through here,
so a secret is never shown; the mask is the same ``********`` the UI uses.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

MASK = "********"

_SECRET_HEADERS = frozenset(
    {b"authorization", b"proxy-authorization", b"x-api-key", b"cookie", b"set-cookie"}
)
_SECRET_PARTS = (b"secret", b"token", b"password", b"passwd", b"api-key", b"apikey", b"api_key")
_SECRET_KEY = re.compile(r"secret|password|passwd|token|api[-_]?key|authorization", re.IGNORECASE)
# Cheap pre-check: only bodies containing one of these get parsed and masked. Plain
# substring tests on a lowered copy are several times faster than a case-insensitive regex.
_SECRET_NEEDLES = (b"secret", b"passw", b"token", b"key", b"authorization")


# Header names repeat from request to request: remember the verdict per name.
_HEADER_VERDICTS: dict[bytes, bool] = {}
_MAX_REMEMBERED = 512
_MASK_BYTES = MASK.encode()


def is_secret_header(name: bytes) -> bool:
    """True for a lower-case header name whose value must never be shown."""
    verdict = _HEADER_VERDICTS.get(name)
    if verdict is None:
        verdict = name in _SECRET_HEADERS or any(part in name for part in _SECRET_PARTS)
        if len(_HEADER_VERDICTS) < _MAX_REMEMBERED:
            _HEADER_VERDICTS[name] = verdict
    return verdict


def is_secret_key(name: str) -> bool:
    """True for a form, query or JSON key named like a secret (client_secret, password...)."""
    return _SECRET_KEY.search(name) is not None


def _masked_value(name: bytes, value: bytes) -> bytes:
    # Keep the auth scheme (``Bearer ********``): it helps and reveals nothing.
    if name in (b"authorization", b"proxy-authorization") and b" " in value:
        return value.split(b" ", 1)[0] + b" " + _MASK_BYTES
    return _MASK_BYTES


def mask_raw_headers(raw: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """ASGI headers with secret values replaced; cheap enough for every request."""
    return [(n, _masked_value(n, v)) if is_secret_header(n) else (n, v) for n, v in raw]


def headers_dict(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """ASGI headers as a dict; repeated names are joined with ', '."""
    out: dict[str, str] = {}
    for name, value in raw:
        key, text = name.decode("latin-1"), value.decode("latin-1")
        out[key] = f"{out[key]}, {text}" if key in out else text
    return out


def masked_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """ASGI headers as a dict with secrets masked."""
    return headers_dict(mask_raw_headers(raw))


def masked_query(query: str) -> dict[str, str]:
    """A query string as a dict, secret parameters masked."""
    if not query:
        return {}
    return {k: MASK if is_secret_key(k) else v for k, v in parse_qsl(query, keep_blank_values=True)}


def mask_json(value: Any) -> Any:
    """A copy of a parsed JSON value with secret-named keys masked, at any depth."""
    if isinstance(value, dict):
        return {k: MASK if is_secret_key(k) else mask_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_json(v) for v in value]
    return value


def mask_body(body: bytes, content_type: str) -> bytes:
    """A body safe to record: form and JSON parameters named like secrets are masked.

    Bodies that cannot contain a secret-named key are returned as they are (no copy), so the
    log stays cheap for the common case.
    """
    if not body:
        return body
    lowered = body.lower()
    if not any(needle in lowered for needle in _SECRET_NEEDLES):
        return body
    ctype = content_type.split(";", 1)[0].strip().lower()
    if ctype == "application/x-www-form-urlencoded":
        pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        return urlencode([(k, MASK if is_secret_key(k) else v) for k, v in pairs], safe="*").encode()
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        # Unparseable: it may still hold a secret in a shape we cannot see, so hide it all.
        return b"<body hidden: it may contain a secret>"
    return json.dumps(mask_json(parsed)).encode()
