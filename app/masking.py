"""What counts as a secret and how it is hidden: the one secret-name rule and the maskers.

Everything shown to a person (auth test results, the sandbox's request log and echo, cURL,
history) decides "is this a secret?" with `is_secret_key` / `is_secret_header` and hides with
the same `********`, so a name masked in one place is masked in every place.
"""
from __future__ import annotations

import json
import re
import threading
from typing import Any, Iterable
from urllib.parse import parse_qsl, urlencode

MASK = "********"
_MASK_BYTES = MASK.encode()

# One rule for parameter, header, JSON and form names that carry a secret.
_SECRET_NAME = re.compile(r"secret|passw|pwd|token|api[-_]?key|private|credential|authorization", re.I)
_NOT_SECRET = frozenset({"token_type", "grant_type"})  # name a secret's kind, never hold one
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key",
                            "api-key", "x-ims-token"})
# A JWT (header.payload.signature, base64url, the header always starts '{"' = eyJ): a token
# whatever the name of the field it sits in.
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
_BARE_TOKEN = re.compile(r"[A-Za-z0-9._~+/-]{16,}={0,2}")
_MIN_SECRET = 3  # shorter values would mask ordinary text everywhere


def is_secret_key(name: str) -> bool:
    """Whether a parameter, form, query or JSON key names a secret (client_secret, password, api_key...)."""
    return _SECRET_NAME.search(name) is not None and name.lower() not in _NOT_SECRET


def is_secret_header(name: str) -> bool:
    """Whether a header's value must never be shown (Authorization, Cookie, X-Api-Key, *token*...)."""
    return name.lower() in SECRET_HEADERS or is_secret_key(name)


def mask_all(text: str, values: Iterable[str]) -> str:
    """`text` with every occurrence of each value (3 characters or more) replaced by the mask;
    longest first, so a secret that contains another is masked whole."""
    for value in sorted({v for v in values if v and len(v) >= _MIN_SECRET}, key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    return text


def mask_json(value: Any) -> Any:
    """A copy of a parsed JSON value with the values of secret-named keys masked, at any depth."""
    if isinstance(value, dict):
        return {k: MASK if is_secret_key(k) else mask_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_json(v) for v in value]
    return value


def secret_values(data: Any, secret: bool = False) -> set[str]:
    """The scalar values held under secret-named keys of parsed JSON (or form pairs), at any depth."""
    found: set[str] = set()
    stack: list[tuple[Any, bool]] = [(data, secret)]
    while stack:
        item, hidden = stack.pop()
        if isinstance(item, dict):
            stack.extend((v, hidden or is_secret_key(str(k))) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, hidden) for v in item)
        elif hidden and item is not None and not isinstance(item, bool):
            found.add(str(item))
    return found


def response_secrets(body: str) -> set[str]:
    """The credentials a response body shows, whatever path was asked for: values of secret-named
    JSON or form keys (access_token, id_token, refresh_token...), any JWT, a body that is one bare token."""
    found = set(_JWT.findall(body))
    stripped = body.strip()
    try:
        return found | secret_values(json.loads(stripped))
    except (ValueError, RecursionError):
        pass
    if _BARE_TOKEN.fullmatch(stripped):
        found.add(stripped)  # not JSON, one word: most likely the token itself
    elif "=" in stripped:  # access_token=...&token_type=bearer (form-encoded answers exist)
        found |= {v for k, v in parse_qsl(stripped, keep_blank_values=True) if is_secret_key(k)}
    return found


class ValueMasker:
    """Known secret values, registered while a process runs, masked wherever they appear.

    Thread-safe: callers register from worker threads while a server thread reads the log.
    """

    def __init__(self) -> None:
        self._values: frozenset[str] = frozenset()
        self._lock = threading.Lock()

    def add(self, values: Iterable[str]) -> None:
        fresh = {v for v in values if v and len(v) >= _MIN_SECRET}
        with self._lock:
            if not fresh <= self._values:
                self._values = self._values | fresh

    def __bool__(self) -> bool:
        return bool(self._values)

    def text(self, text: str) -> str:
        return mask_all(text, self._values) if self._values else text


# -- recorded HTTP requests (the sandbox's log and echo) --------------------------------------
_HEADER_VERDICTS: dict[bytes, bool] = {}  # header names repeat: remember the verdict per name
_MAX_REMEMBERED = 512


def _secret_header_bytes(name: bytes) -> bool:
    verdict = _HEADER_VERDICTS.get(name)
    if verdict is None:
        verdict = is_secret_header(name.decode("latin-1"))
        if len(_HEADER_VERDICTS) < _MAX_REMEMBERED:
            _HEADER_VERDICTS[name] = verdict
    return verdict


def _masked_value(name: bytes, value: bytes) -> bytes:
    # Keep the auth scheme (``Bearer ********``): it helps and reveals nothing.
    if name in (b"authorization", b"proxy-authorization") and b" " in value:
        return value.split(b" ", 1)[0] + b" " + _MASK_BYTES
    return _MASK_BYTES


def mask_raw_headers(raw: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """ASGI headers (lower-case names) with secret values replaced; cheap enough for every request."""
    return [(n, _masked_value(n, v)) if _secret_header_bytes(n) else (n, v) for n, v in raw]


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
    """A query string as a dict, secret-named parameters masked."""
    if not query:
        return {}
    return {k: MASK if is_secret_key(k) else v for k, v in parse_qsl(query, keep_blank_values=True)}


# Cheap pre-check: only bodies containing one of these get parsed and masked. Plain substring
# tests on a lowered copy are several times faster than a case-insensitive regex.
_SECRET_NEEDLES = (b"secret", b"passw", b"pwd", b"token", b"key", b"private", b"credential", b"authorization")


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
