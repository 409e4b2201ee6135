"""Import a whole call from a curl command (-X, -H, -d / --data-raw / --json, -u, the URL with
its query) as an action. The command is read by the same parser as the custom auth's Paste cURL
(app.auth.curl.read_command); what an action cannot hold is said in the report."""
from __future__ import annotations

import json
import re
from typing import Any, Optional
from urllib.parse import parse_qsl, urlsplit

from app.auth.curl import CurlCommand, read_command
from app.auth.errors import CurlError
from app.interop import build
from app.interop.report import Entry, InteropError, Report
from app.masking import MASK

_BASIC = re.compile(r"^Basic EncodeBase64\((.*)\)$", re.S)  # how read_command writes -u user:password
_IMPLIED = {"content-length", "host", "connection", "accept-encoding"}


def read_curl(text: str, where: str = "curl", name: Optional[str] = None) -> Report:
    """The call as an action (named `name`, else after the URL's last path segment)."""
    try:
        cmd = read_command(text)
    except CurlError as exc:
        raise InteropError(f"{where}: {exc}") from None
    if not cmd.urls:
        raise InteropError(f"{where}: no URL found in the curl command")
    report = Report("curl", where)
    entry = Entry("curl")
    entry.notes += [f"left out: {w}" for w in cmd.warnings]
    entry.notes += [f"option {o} has no equivalent in an action and was left out" for o in cmd.ignored]
    url = cmd.urls[0].strip()
    if "://" not in url and not url.startswith("{{"):
        url = "http://" + url
        entry.notes.append("the URL had no scheme; curl's http:// was used")
    base, pairs = build.split_query(url)
    method = _method(cmd, where)
    data: dict[str, Any] = {"name": build.action_name(name or _name_of(base), set())}
    entry.name = data["name"]
    missing: list[str] = []
    headers, auth = _headers(cmd, entry, missing)
    body = _body(cmd, entry)
    if body is not None and method == "GET":
        pairs += parse_qsl(_joined(cmd), keep_blank_values=True)
        entry.notes.append("GET with data: the data was moved to the query string (the platform sends no body "
                           "with GET)")
        body = None
    for extra in cmd.query:
        pairs += parse_qsl(extra, keep_blank_values=True)
    data["endpoint"] = {"url": base, "method": method, "headers": headers,
                        "query": [{"name": k, "value": v} for k, v in pairs]}
    data["auth"] = auth
    if body is not None:
        data["request"] = body
    imported, problem = build.validated(data, missing, where)
    if imported is None:
        raise InteropError(f"{where}: {problem}")
    report.add(entry, imported)
    return report


def _method(cmd: CurlCommand, where: str) -> str:
    method = cmd.method or ("GET" if cmd.get or not cmd.data else "POST")
    if method not in ("GET", "POST", "PUT"):
        raise InteropError(f"{where}: method {method}: the platform's custom actions use POST, PUT or GET")
    return method


def _name_of(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return "curlCall"
    segment = next((p for p in reversed(parts.path.split("/")) if p and "{{" not in p), "")
    return segment or (parts.hostname or "curlCall").split(".")[0]


def _headers(cmd: CurlCommand, entry: Entry, missing: list[str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The headers and the authentication (-u); a masked value (a copied call) is a secret to fill in."""
    headers: list[dict[str, Any]] = []
    auth: dict[str, Any] = {"type": "none"}
    for name, value in cmd.headers:
        low = name.lower()
        basic = _BASIC.match(value) if low == "authorization" else None
        if basic:
            user, _, password = basic.group(1).partition(":")
            auth = {"type": "basic", "username": user,
                    "password": build.secret_or_missing("" if password == MASK else password, "auth.password",
                                                        missing, secret=password == MASK)}
        elif low == "content-type":
            if "json" not in value.lower():
                entry.notes.append(f"Content-Type {value} was set to application/json: custom actions send JSON")
                value = "application/json"
            headers.append({"name": "Content-Type", "value": value})
        elif low in _IMPLIED or low == "cookie":
            entry.notes.append(f"header {name} was left out (set by the client, or a cookie)")
        else:
            shown: Any = build.secret_or_missing("", f"endpoint.headers.{name}", missing) if value == MASK else value
            headers = [h for h in headers if h["name"].lower() != low] + [{"name": name, "value": shown}]
    return headers, auth


def _joined(cmd: CurlCommand) -> str:
    text = ""
    for kind, piece in cmd.data:
        text = text + piece if kind == "json" or not text else f"{text}&{piece}"
    return text


def _body(cmd: CurlCommand, entry: Entry) -> Optional[dict[str, Any]]:
    text = _joined(cmd)
    if not text.strip():
        return None
    try:
        data = json.loads(text)
    except ValueError:
        if cmd.json or text.lstrip().startswith(("{", "[")):
            raise InteropError(f"the JSON body is not valid JSON: {text[:60]!r}") from None
        data = dict(parse_qsl(text, keep_blank_values=True))
        entry.notes.append("the form body became a JSON object of text fields: custom actions send JSON")
    try:
        return build.payload_of(data, {}, "body").dump()
    except ValueError as exc:
        entry.notes.append(f"the body cannot be a payload and was left out: {exc}")
        return None
