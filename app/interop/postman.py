"""Export to Postman: actions as a Collection v2.1 and environments as Postman environments.

Secrets never leave the keyring: a secret value is exported empty (an environment's as an empty
`secret`-type value) and comes back from an import as a secret to fill in. Variable payload fields
are `{{variables}}` in the raw JSON body, declared in the item's `variable` list (their example
value, type and label), so an import gets them back as Variable fields. A custom authentication is
Postman's OAuth2 client-credentials auth when it is one; otherwise it is a pre-request script that
fetches the token as the platform does, with the customAuthorization document in a comment line
(`CUSTOM_AUTH_MARK`) that an import reads back.
"""
from __future__ import annotations

import json
import re
import uuid
from typing import Any, Iterable, Optional

from app.masking import is_secret_header
from app.model import Action, CustomAuth
from app.model.base import SecretRef, Value, only_placeholder
from app.model.environment import Environment
from app.model.payload import Payload, PayloadField

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
VAR_MARK = "Variable field"  # item variables so described ("Variable field: <label>") are the Variable fields
EXPORT_MARK = "Exported by Action Studio"  # the collection's description: only declared variables are fields
PARAM_MARK = "Variable:"  # a header or query parameter so described is Variable (the label follows)
CUSTOM_AUTH_MARK = "// action-studio customAuthorization: "
SETTING_PREFIX = "actionStudio."  # item variables holding the action's settings Postman has no place for
SETTING_MARK = "Action Studio setting (no Postman equivalent)"
_VAR_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")


def collection(actions: Iterable[Action], name: str = "Action Studio") -> dict[str, Any]:
    """A Postman Collection v2.1 with one request per action."""
    return {
        "info": {"_postman_id": str(uuid.uuid4()), "name": name, "schema": SCHEMA,
                 "description": EXPORT_MARK + ": secrets are left empty (fill them in Postman); "
                                "Variable payload fields are {{variables}} declared on each request."},
        "item": [item_of(a) for a in actions],
    }


def environment(env: Environment) -> dict[str, Any]:
    """A Postman environment; a secret variable is exported as an empty `secret`-type value."""
    values = [{"key": v.name, "value": "" if isinstance(v.value, SecretRef) else v.value,
               "type": "secret" if isinstance(v.value, SecretRef) else "default", "enabled": True}
              for v in env.variables]
    return {"id": str(uuid.uuid4()), "name": env.name, "values": values,
            "_postman_variable_scope": "environment"}


def item_of(action: Action) -> dict[str, Any]:
    """One request item: URL, method, headers, query, body, auth (and the token script if needed)."""
    endpoint = action.endpoint
    request: dict[str, Any] = {
        "method": endpoint.method,
        "header": [_param(p) for p in endpoint.headers],
        "url": _url(endpoint.url, [_param(p) for p in endpoint.query]),
    }
    if action.description:
        request["description"] = action.description
    item: dict[str, Any] = {"name": action.name, "request": request}
    variables: list[dict[str, Any]] = []
    if action.request is not None:
        body, variables = body_with_placeholders(action.request)
        request["body"] = {"mode": "raw", "raw": json.dumps(body, indent=2, ensure_ascii=False),
                           "options": {"raw": {"language": "json"}}}
    auth, script = _auth(action)
    request["auth"] = auth
    if script:
        item["event"] = [{"listen": "prerequest", "script": {"type": "text/javascript", "exec": script}}]
    variables += _settings(action)
    if variables:
        item["variable"] = variables
    responses = [_response(p, code, action.name) for p, code in ((action.response, 200),
                                                                 (action.error_response, 400)) if p]
    if responses:
        item["response"] = responses
    return item


def _text(value: Value, name: str = "") -> str:
    """A value as exported: a secret reference empty, and so a literal under a secret's name (the
    rule that files follow: app.transfer.externalize_secrets keeps those in the keyring)."""
    if isinstance(value, SecretRef) or name and is_secret_header(name) and value and not only_placeholder(value):
        return ""
    return value


def _param(param: Any) -> dict[str, Any]:
    if param.mode == "variable":
        return {"key": param.name, "value": "{{" + var_name(param.name) + "}}",
                "description": f"{PARAM_MARK} {param.label}"}
    return {"key": param.name, "value": _text(param.value, param.name)}


def _url(url: str, query: list[dict[str, Any]]) -> dict[str, Any]:
    sep = "&" if "?" in url else "?"
    raw = url + (sep + "&".join(f"{q['key']}={q['value']}" for q in query) if query else "")
    out: dict[str, Any] = {"raw": raw}
    url = url.partition("?")[0]
    scheme, slashes, rest = url.partition("://")
    if slashes:
        host, _, path = rest.partition("/")
        out["protocol"], out["host"] = scheme, host.split(".")
        out["path"] = [p for p in path.split("/") if p]
    else:  # {{baseUrl}}/path: Postman keeps the variable as the host
        host, _, path = url.partition("/")
        out["host"], out["path"] = [host], [p for p in path.split("/") if p]
    out["query"] = query  # even empty: an import then leaves a query written in the URL there
    return out


def var_name(path: str) -> str:
    """A {{variable}} name for a field path or parameter name (a letter or _, then letters, digits,
    _ . -, as our placeholders are)."""
    name = _VAR_CHARS.sub("_", path).strip("_") or "value"
    return name if name[0].isalpha() and name[0].isascii() or name[0] == "_" else "v_" + name


def body_with_placeholders(payload: Payload) -> tuple[Any, list[dict[str, Any]]]:
    """The example with each Variable field's value replaced by its {{variable}}, and the item
    variables declaring them (example value, Postman type, label)."""
    data = json.loads(payload.example) if payload.example.strip() else {}
    declared: dict[str, dict[str, Any]] = {}  # field path -> its item variable
    _replace(_first_object(data) if isinstance(data, list) else data, payload.fields, "", declared)
    return data, list(declared.values())


def _first_object(items: list[Any]) -> Any:
    """The element of an array that gives its fields (as the payload inference takes it): the only
    one whose Variable fields become {{variables}}, the others stay example values as they are."""
    return next((x for x in items if isinstance(x, dict)), None)


def _replace(node: Any, fields: list[PayloadField], prefix: str, declared: dict[str, dict[str, Any]]) -> None:
    if not isinstance(node, dict):
        return
    for field in fields:
        if field.name not in node:
            continue
        path = f"{prefix}.{field.name}" if prefix else field.name
        if field.mode == "variable":
            if path not in declared:
                name, n = var_name(path), 1
                while any(v["key"] == name for v in declared.values()):  # "a b" and "a_b" both make a_b
                    n += 1
                    name = f"{var_name(path)}_{n}"
                declared[path] = {"key": name, "value": node[field.name], "type": _ptype(node[field.name]),
                                  "description": f"{VAR_MARK}: {field.label}"}
            node[field.name] = "{{" + declared[path]["key"] + "}}"
        elif field.type == "object":
            _replace(node[field.name], field.children, path, declared)
        elif field.type == "listObject" and isinstance(node[field.name], list):
            _replace(_first_object(node[field.name]), field.children, path + "[]", declared)


def _settings(action: Action) -> list[dict[str, Any]]:
    """What Postman has no place for, when not the default: the timeout, allow-NULL, the optional
    payload fields (item variables an import reads back)."""
    out: list[dict[str, Any]] = []
    if action.timeout_seconds != 30:
        out.append({"key": SETTING_PREFIX + "timeoutSeconds", "value": action.timeout_seconds, "type": "number"})
    if action.allow_null:
        out.append({"key": SETTING_PREFIX + "allowNull", "value": True, "type": "boolean"})
    for key, payload in (("request", action.request), ("response", action.response),
                         ("errorResponse", action.error_response)):
        optional = [path for path, field in payload.walk() if field.optional] if payload else []
        if optional:
            out.append({"key": f"{SETTING_PREFIX}{key}.optional", "value": optional, "type": "any"})
    for var in out:
        var["description"] = SETTING_MARK
    return out


def _ptype(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "string" if isinstance(value, str) else "any"


def _response(payload: Payload, code: int, name: str) -> dict[str, Any]:
    return {"name": f"{name} {'example' if code < 400 else 'error example'}", "code": code,
            "status": "OK" if code < 400 else "Bad Request", "body": payload.example,
            "header": [{"key": "Content-Type", "value": "application/json"}]}


def _attrs(pairs: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"key": k, "value": v, "type": "boolean" if isinstance(v, bool) else "string"} for k, v in pairs.items()]


def _auth(action: Action) -> tuple[dict[str, Any], list[str]]:
    """Postman's auth for the action's, and a pre-request script when it has no Postman equivalent."""
    auth = action.auth
    if auth.type == "basic":
        password = _text(auth.password, "password")
        return {"type": "basic", "basic": _attrs({"username": auth.username, "password": password})}, []
    if auth.type == "apiKey":
        return {"type": "apikey", "apikey": _attrs({"key": auth.name, "value": _text(auth.value, "api_key"),
                                                     "in": auth.location})}, []
    if auth.type == "customAuthorization":
        oauth2 = oauth2_of(auth)
        if oauth2 is not None:
            return {"type": "oauth2", "oauth2": _attrs(oauth2)}, []
        return {"type": "noauth"}, token_script(auth)
    return {"type": "noauth"}, []


def oauth2_of(auth: CustomAuth) -> Optional[dict[str, Any]]:
    """Postman's OAuth2 client-credentials attributes when the custom auth is exactly that call
    (POST form grant_type=client_credentials, client_id, client_secret, optional scope; the token
    at access_token as a bearer; no other headers; the default cache), else None."""
    body = auth.body.body_params if auth.body is not None else {}
    if (auth.method != "POST" or auth.body is None or auth.body.body_type != "form" or auth.headers
            or body.get("grant_type") != "client_credentials" or not {"client_id", "client_secret"} <= set(body)
            or set(body) - {"grant_type", "client_id", "client_secret", "scope"}
            or auth.token_in_response != "json://access_token" or auth.authorization_type != "bearer"
            or auth.cache_duration is not None or isinstance(body["client_id"], SecretRef)):
        return None
    secret = _text(body["client_secret"], "client_secret")
    attrs: dict[str, Any] = {"grant_type": "client_credentials", "accessTokenUrl": auth.endpoint,
                             "clientId": body["client_id"], "clientSecret": secret,
                             "client_authentication": "body", "addTokenTo": "header", "headerPrefix": "Bearer"}
    if "scope" in body:
        attrs["scope"] = _text(body["scope"])
    return attrs


def token_script(auth: CustomAuth) -> list[str]:
    """A pre-request script doing the platform's token call (secrets left empty: fill them in
    Postman), then adding the token as the authorizationType says."""
    doc = _blank_secrets(auth.dump())
    return [
        "// The action's custom authentication, done as the platform does it: a token call, then the",
        "// token added to the request. Secret values were left empty: fill them in (Postman's vault).",
        CUSTOM_AUTH_MARK + json.dumps(doc, ensure_ascii=False, separators=(",", ":")),
        "const auth = JSON.parse(pm.variables.replaceIn(JSON.stringify(" + json.dumps(doc, ensure_ascii=False) + ")));",
        "const body = auth.body || {bodyType: 'form', bodyParams: {}};",
        "const encode = (v) => v.replace(/EncodeBase64\\(([^)]*)\\)/g, (_, s) => btoa(s));",
        "const headers = Object.entries(auth.headers || {}).map(([key, value]) => ({key, value: encode(value)}));",
        "const params = Object.entries(body.bodyParams).map(([key, value]) => ({key, value: encode(value)}));",
        "pm.sendRequest({url: auth.endpoint, method: auth.method, header: headers,",
        "  body: auth.method === 'GET' ? undefined : body.bodyType === 'json'",
        "    ? {mode: 'raw', raw: JSON.stringify(Object.fromEntries(params.map((p) => [p.key, p.value])))}",
        "    : {mode: 'urlencoded', urlencoded: params}}, (err, res) => {",
        "  if (err) { throw err; }",
        "  const path = auth.tokenInResponse.replace('json://', '').split('.');",
        "  const token = auth.tokenInResponse === 'response'",
        "    ? res.text() : path.reduce((o, k) => o && o[k], res.json());",
        "  const type = (auth.authorizationType || 'bearer').toLowerCase();",
        "  if (type === 'bearer') { pm.request.headers.upsert({key: 'Authorization', value: 'Bearer ' + token}); }",
        "  else if (type === 'header') { pm.request.headers.upsert({key: auth.tokenTarget, value: token}); }",
        "  else { pm.request.url.query.upsert({key: auth.tokenTarget, value: token}); }",
        "});",
    ]


def _blank_secrets(node: Any, params: bool = False) -> Any:
    """The document with its secrets empty: references, and in headers and bodyParams (`params`)
    the literals under a secret's name."""
    if isinstance(node, dict):
        if set(node) == {"secret"}:
            return ""
        return {k: _text(v, k) if params and isinstance(v, str) else
                _blank_secrets(v, k in ("headers", "bodyParams")) for k, v in node.items()}
    if isinstance(node, list):
        return [_blank_secrets(v) for v in node]
    return node
