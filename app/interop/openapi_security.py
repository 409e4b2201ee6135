"""OpenAPI security schemes as the platform's authentication: API key (header or query), HTTP
basic, bearer (a secret Authorization header), OAuth2 client credentials (a custom token call).
The secrets are left to fill in; what has no equivalent is said in the report entry."""
from __future__ import annotations

from typing import Any

from app.interop import build
from app.interop.report import Entry


def security_of(doc: Any, node: Any, entry: Entry, missing: list[str], headers: list[dict[str, Any]]) -> dict[str, Any]:
    holder = node if "security" in node else doc
    requirements = (holder / "security").read_value() if "security" in holder else []
    if not requirements or not requirements[0]:
        return {"type": "none"}
    if len(requirements) > 1 or len(requirements[0]) > 1:
        entry.notes.append("several security schemes are allowed: the first one was used")
    scheme_name = next(iter(requirements[0]))
    schemes = doc / "components" / "securitySchemes"
    if scheme_name not in schemes:
        entry.notes.append(f"security scheme {scheme_name} is not defined")
        return {"type": "none"}
    with (schemes / scheme_name).open() as value:
        scheme = dict(value)
    return _scheme(scheme_name, scheme, entry, missing, headers)


def _scheme(name: str, scheme: dict[str, Any], entry: Entry, missing: list[str],
            headers: list[dict[str, Any]]) -> dict[str, Any]:
    kind = scheme.get("type")
    if kind == "apiKey" and scheme.get("in") in ("header", "query"):
        entry.notes.append(f"enter the API key ({name}) in the action's authentication")
        return {"type": "apiKey", "name": scheme.get("name", "x-api-key"), "location": scheme["in"],
                "value": build.secret_or_missing("", "auth.value", missing)}
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
        return {"type": "basic", "username": "", "password": build.secret_or_missing("", "auth.password", missing)}
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
        headers.append({"name": "Authorization", "value": build.secret_or_missing(
            "", "endpoint.headers.Authorization", missing)})
        entry.notes.append("bearer authentication became a secret Authorization header: enter 'Bearer <token>'")
        return {"type": "none"}
    flow = (scheme.get("flows") or {}).get("clientCredentials") if kind == "oauth2" else None
    if flow and flow.get("tokenUrl"):
        params: dict[str, Any] = {"grant_type": "client_credentials", "client_id": "",
                                  "client_secret": build.secret_or_missing("", "auth.body.bodyParams.client_secret",
                                                                           missing)}
        if flow.get("scopes"):
            params["scope"] = " ".join(flow["scopes"])
        entry.notes.append("OAuth2 client credentials: enter client_id and client_secret in the authentication")
        return {"type": "customAuthorization", "endpoint": flow["tokenUrl"], "method": "POST",
                "body": {"bodyType": "form", "bodyParams": params}, "tokenInResponse": "json://access_token",
                "authorizationType": "bearer"}
    entry.notes.append(f"security scheme {name} ({kind}) has no equivalent on the platform: no authentication")
    return {"type": "none"}
