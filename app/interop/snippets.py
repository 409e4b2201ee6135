"""Calls as text to copy: a curl command (app.auth.curl.curl_command) or a Python httpx snippet,
for a recorded call or for an action's template (its {{variables}} kept, secrets `********`)."""
from __future__ import annotations

import json
from typing import Any, Iterable, Optional
from urllib.parse import urlencode

from app.auth.curl import curl_command
from app.masking import MASK, is_secret_header
from app.model import Action, CustomAuth
from app.model.base import SecretRef, Value, only_placeholder


def httpx_snippet(method: str, url: str, headers: Iterable[tuple[str, str]], body: Optional[str]) -> str:
    """A runnable Python snippet sending the request with httpx."""
    lines = ["import httpx", "", "response = httpx.request(", f"    {method!r},", f"    {url!r},"]
    pairs = list(headers)
    if pairs:
        lines.append("    headers={")
        lines += [f"        {name!r}: {value!r}," for name, value in pairs]
        lines.append("    },")
    if body is not None:
        lines.append(f"    content={body!r},")
    lines += ["    timeout=30,", ")", "print(response.status_code, response.text)"]
    return "\n".join(lines) + "\n"


def _shown(value: Value, name: str = "") -> str:
    """A value as exported: a secret reference, or a literal under a secret's name, masked."""
    if isinstance(value, SecretRef) or (name and is_secret_header(name) and value and not only_placeholder(value)):
        return MASK
    return value


def template_request(action: Action) -> tuple[str, str, list[tuple[str, str]], Optional[str]]:
    """The action's call as written: method, URL with its query, headers (Variable ones as
    {{name}}), its authentication applied with secrets masked, and the example payload."""
    endpoint = action.endpoint
    query = [(q.name, "{{" + q.name + "}}" if q.mode == "variable" else _shown(q.value, q.name))
             for q in endpoint.query]
    headers = [(h.name, "{{" + h.name + "}}" if h.mode == "variable" else _shown(h.value, h.name))
               for h in endpoint.headers]
    auth = action.auth
    if auth.type == "basic":
        # The platform's own notation (and what a curl import reads back as Basic authentication).
        headers.append(("Authorization", f"Basic EncodeBase64({auth.username}:{MASK})"))
    elif auth.type == "apiKey":
        (headers if auth.location == "header" else query).append((auth.name, _shown(auth.value)))
    elif auth.type == "customAuthorization":
        target = auth.token_target or "Authorization"
        if auth.authorization_type == "queryParam":
            query.append((target, "$TOKEN"))
        else:
            headers.append((target, "Bearer $TOKEN" if auth.authorization_type == "bearer" else "$TOKEN"))
    url = endpoint.url
    if query:
        url += ("&" if "?" in url else "?") + urlencode(query, safe="{}$*")
    body = None
    if action.request is not None and endpoint.method != "GET":
        body = json.dumps(json.loads(action.request.example or "{}"), ensure_ascii=False, separators=(",", ":"))
    return endpoint.method, url, headers, body


def token_request(auth: CustomAuth) -> tuple[str, str, list[tuple[str, str]], Optional[str]]:
    """The custom authentication's token call as written, secrets masked."""
    headers = [(k, _shown(v, k)) for k, v in auth.headers.items()]
    body = None
    if auth.body is not None and auth.method == "POST":
        params = {k: _shown(v, k) for k, v in auth.body.body_params.items()}
        if auth.body.body_type == "json":
            body = json.dumps(params, ensure_ascii=False, separators=(",", ":"))
            headers.append(("Content-Type", "application/json"))
        else:
            body = urlencode(params, safe="{}*")
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    return auth.method, auth.endpoint, headers, body


def action_snippet(action: Action, fmt: str) -> str:
    """The action as a curl command or an httpx snippet ("curl" / "httpx"); a custom
    authentication's token call comes first, its token used as $TOKEN."""
    write = curl_command if fmt == "curl" else httpx_snippet
    parts: list[Any] = []
    if action.auth.type == "customAuthorization":
        parts.append(f"# {action.name}: the token call first (its token is $TOKEN below; "
                     f"read it at {action.auth.token_in_response})")
        parts.append(write(*token_request(action.auth)))
    parts.append(f"# {action.name}: {action.description}".rstrip(": "))
    parts.append(write(*template_request(action)))
    return "\n".join(p.rstrip("\n") for p in parts) + "\n"
