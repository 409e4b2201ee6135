"""Postman auth as the platform's: basic, API key, OAuth2 client credentials (a custom token call),
bearer (an Authorization header); and the customAuthorization document our export keeps in a
pre-request script. What has no equivalent is said in the request's report entry."""
from __future__ import annotations

import json
from typing import Any, Optional

from app.interop import build
from app.interop.postman import CUSTOM_AUTH_MARK
from app.interop.report import Entry
from app.masking import is_secret_header


def _attrs(auth: dict[str, Any], kind: str) -> dict[str, Any]:
    values = auth.get(kind)
    if isinstance(values, dict):  # v2.0 kept them as an object
        return values
    return {a["key"]: a.get("value", "") for a in values or [] if isinstance(a, dict) and "key" in a}


def auth_of(auth: Optional[dict[str, Any]], entry: Entry, missing: list[str],
          headers: list[dict[str, Any]]) -> dict[str, Any]:
    kind = str(auth.get("type", "noauth")) if auth else "noauth"
    attrs = _attrs(auth, kind) if auth else {}
    if kind == "basic":
        return {"type": "basic", "username": str(attrs.get("username", "")),
                "password": build.secret_or_missing(str(attrs.get("password", "")), "auth.password", missing)}
    if kind == "apikey":
        name = str(attrs.get("key") or "x-api-key")
        return {"type": "apiKey", "name": name, "location": "query" if attrs.get("in") == "query" else "header",
                "value": build.secret_or_missing(str(attrs.get("value", "")), "auth.value", missing)}
    if kind == "bearer":
        token = str(attrs.get("token", ""))
        value = f"Bearer {token}" if token else build.secret_or_missing("", "endpoint.headers.Authorization",
                                                                          missing)
        headers.append({"name": "Authorization", "value": value})
        entry.notes.append("bearer token auth became an Authorization header (the platform has no bearer mode)")
        return {"type": "none"}
    if kind == "oauth2":
        return _oauth2(attrs, entry, missing)
    if kind not in ("noauth", "inherit"):
        entry.notes.append(f"auth type {kind} has no equivalent on the platform: the action has no authentication")
    return {"type": "none"}


def _oauth2(attrs: dict[str, Any], entry: Entry, missing: list[str]) -> dict[str, Any]:
    grant = str(attrs.get("grant_type", "authorization_code"))
    if grant != "client_credentials" or not attrs.get("accessTokenUrl"):
        entry.notes.append(f"OAuth2 grant {grant}: only client credentials maps to the platform's custom "
                           "authentication; the action has no authentication")
        return {"type": "none"}
    secret = build.secret_or_missing(str(attrs.get("clientSecret", "")), "auth.body.bodyParams.client_secret",
                                     missing)
    params: dict[str, Any] = {"grant_type": "client_credentials", "client_id": str(attrs.get("clientId", ""))}
    headers: dict[str, Any] = {}
    if attrs.get("client_authentication") == "header":
        entry.notes.append("OAuth2 client authentication by header: the client secret goes in the body "
                           "(client_secret), which token endpoints accept alike")
    params["client_secret"] = secret
    if attrs.get("scope"):
        params["scope"] = str(attrs["scope"])
    return {"type": "customAuthorization", "endpoint": str(attrs["accessTokenUrl"]), "method": "POST",
            "headers": headers, "body": {"bodyType": "form", "bodyParams": params},
            "tokenInResponse": "json://access_token", "authorizationType": "bearer"}


def custom_auth_script(item: dict[str, Any], entry: Entry, missing: list[str]) -> Optional[dict[str, Any]]:
    """The customAuthorization document our export wrote in the pre-request script; other scripts
    are reported (they are not run)."""
    found = None
    for event in item.get("event") or []:
        script = event.get("script", {}) if isinstance(event, dict) else {}
        lines = script.get("exec", []) if isinstance(script, dict) else []
        lines = lines.splitlines() if isinstance(lines, str) else lines
        marked = [ln for ln in lines if isinstance(ln, str) and ln.startswith(CUSTOM_AUTH_MARK)]
        if marked:
            try:
                found = json.loads(marked[0][len(CUSTOM_AUTH_MARK):])
            except ValueError:
                entry.notes.append("the pre-request script's customAuthorization line is not valid JSON")
        elif any(isinstance(ln, str) and ln.strip() for ln in lines):
            entry.notes.append(f"the {event.get('listen', '')} script is not run by the platform and was left out")
    return _unblank(found, "auth", missing) if isinstance(found, dict) else None


def _unblank(node: Any, path: str, missing: list[str], params: bool = False) -> Any:
    """Empty values of secret-named headers and bodyParams (`params`: our export blanks them)
    become secrets to fill in."""
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        here = f"{path}.{key}"
        if params and value == "":
            value = build.secret_or_missing("", here, missing, secret=is_secret_header(key))
        elif isinstance(value, dict):
            value = _unblank(value, here, missing, key in ("headers", "bodyParams"))
        out[key] = value
    return out
