"""Build the custom token request from a CustomAuth: variables, secrets and EncodeBase64 resolved.

A built request carries both what goes on the wire and what a person may see (secrets masked),
plus the cache key (a hash of everything that decides which token comes back).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from app.auth import encode
from app.auth.errors import AuthError
from app.auth.result import RecordedRequest
from app.masking import credential_part, is_secret_key, mask_all, mask_value
from app.model.auth import CustomAuth
from app.model.base import SecretRef, Value
from app.resolve import MissingVariable, Resolver, UnsafeValue
from app.secrets import SecretError

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@dataclass(frozen=True)
class TokenRequest:
    """A fully resolved token request. Its repr shows only the masked view."""

    method: str
    url: str = field(repr=False)
    headers: dict[str, str] = field(repr=False)
    body: bytes = field(repr=False)
    shown: RecordedRequest
    key: str = field(repr=False)
    sensitive: frozenset[str] = field(repr=False)

    def mask(self, text: str) -> str:
        """Replace every secret of this request (and the base64 values built from them) by the mask."""
        return mask_all(text, self.sensitive)


def guarded(where: str, func: Callable[[], str]) -> str:
    """Run a resolution step, turning missing secrets/variables into an AuthError naming where."""
    try:
        return func()
    except (MissingVariable, UnsafeValue) as exc:  # their messages already say where
        raise AuthError(str(exc)) from None
    except SecretError as exc:
        raise AuthError(str(exc)) from None
    except ValueError as exc:  # a {{variable}} loop
        raise AuthError(f"{where}: {exc}") from None


def resolve_value(value: Value, resolver: Resolver, where: str, encoded: set[str]) -> tuple[str, bool]:
    """The wire text of a value and whether it is a secret (EncodeBase64 evaluated either way)."""
    if isinstance(value, SecretRef):
        plain = guarded(where, lambda: resolver.value(value, where))
        if encode.has_call(plain):
            plain = encode.evaluate(plain, lambda t: t, where, encoded)
        return plain, True
    text = encode.evaluate(value, lambda t: guarded(where, lambda: resolver.text(t, where)), where, encoded)
    return text, False


def build_request(auth: CustomAuth, resolver: Resolver) -> TokenRequest:
    """Resolve everything; raises AuthError for a missing secret/variable or an unusable URL."""
    encoded: set[str] = set()
    named_secrets: set[str] = set()
    url = guarded("the token endpoint URL", lambda: resolver.text(auth.endpoint, "the token endpoint URL"))
    _check_url(url)

    headers: dict[str, str] = {}
    secret_names: set[str] = set()
    for name, value in auth.headers.items():
        real, secret = resolve_value(value, resolver, f"header {name}", encoded)
        headers[name] = real
        if secret or is_secret_key(name):
            named_secrets.add(credential_part(real))
            secret_names.add(name)
    params: dict[str, str] = {}
    body_type = auth.body.body_type if auth.body else "form"
    if auth.method == "POST" and auth.body is not None:
        for name, value in auth.body.body_params.items():
            real, secret = resolve_value(value, resolver, f"body parameter {name}", encoded)
            params[name] = real
            if secret or is_secret_key(name):
                named_secrets.add(real)
                secret_names.add(name)
    for name, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if is_secret_key(name):
            named_secrets.add(value)

    body = b""
    if auth.method == "POST":
        if not any(h.lower() == "content-type" for h in headers):
            headers = {"Content-Type": FORM if body_type == "form" else JSON, **headers}
        body = _encode_body(body_type, params).encode("utf-8")

    resolver.remember_secrets(encoded | named_secrets)  # sent under innocent names too (?code=)
    sensitive = frozenset(s for s in resolver.secret_values if s)
    shown_params = {k: mask_value(v, sensitive, k in secret_names) for k, v in params.items()}
    shown = RecordedRequest(
        method=auth.method,
        url=mask_all(url, sensitive),
        headers={k: mask_value(v, sensitive, k in secret_names) for k, v in headers.items()},
        body=_encode_body(body_type, shown_params, safe="*") if auth.method == "POST" else "",
    )
    return TokenRequest(auth.method, url, headers, body, shown, _key(auth, url, headers, body), sensitive)


def _encode_body(body_type: str, params: dict[str, str], safe: str = "") -> str:
    if body_type == "json":
        return json.dumps(params, ensure_ascii=False, separators=(",", ":"))
    return urlencode(list(params.items()), safe=safe)


def _check_url(url: str) -> None:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise AuthError(f"the token endpoint {url!r} is not a valid URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise AuthError(f"the token endpoint {url!r} is not an http(s) URL with a host")


def _key(auth: CustomAuth, url: str, headers: dict[str, str], body: bytes) -> str:
    # The extraction settings are part of the key: the same request read with another
    # tokenInResponse or lifetime is a different cached token.
    material = json.dumps([
        auth.method, url, sorted((k.lower(), v) for k, v in headers.items()), body.hex(),
        auth.token_in_response, auth.cache_duration.dump() if auth.cache_duration else None,
    ])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()
