"""Postman bodies and saved responses as payloads: raw JSON (its {{variables}} Variable fields,
their example values and labels from the item's variables when our export declared them),
urlencoded and form-data as a JSON object of text; what cannot be a payload is reported."""
from __future__ import annotations

import json
from typing import Any, Optional

from app.interop import build
from app.interop.postman import VAR_MARK
from app.interop.report import Entry


def description_text(value: Any) -> str:
    """A Postman description (text, or an object with content) as text."""
    if isinstance(value, dict):
        value = value.get("content")
    return value.strip() if isinstance(value, str) else ""


def body_of(body: Any, item: dict[str, Any], entry: Entry, ours: bool) -> Optional[dict[str, Any]]:
    """The request's payload; `ours`: a collection we exported, whose only Variable fields are the
    declared ones (in another, every {{variable}} value of a JSON body is one)."""
    if not isinstance(body, dict) or body.get("disabled"):
        return None
    mode = body.get("mode")
    if mode == "raw":
        return _raw_body(str(body.get("raw") or ""), item, entry, ours)
    if mode in ("urlencoded", "formdata"):
        values = {}
        for param in body.get(mode) or []:
            if not isinstance(param, dict) or param.get("disabled") or not param.get("key"):
                continue
            if param.get("type") == "file":
                entry.notes.append(f"form field {param['key']} is a file upload, which a custom action cannot send")
                continue
            values[str(param["key"])] = str(param.get("value") or "")
        entry.notes.append(f"the {mode} body became a JSON object of text fields: custom actions send JSON")
        return _payload(values, {}, entry) if values else None
    if mode:
        entry.notes.append(f"the {mode} body cannot be mapped: custom actions send a JSON payload")
    return None


def _raw_body(raw: str, item: dict[str, Any], entry: Entry, ours: bool) -> Optional[dict[str, Any]]:
    if not raw.strip():
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        entry.notes.append("the raw body is not JSON (custom actions send JSON) and was left out")
        return None
    declared = {str(v.get("key")): v for v in item.get("variable") or []
                if isinstance(v, dict) and description_text(v.get("description")).startswith(VAR_MARK)}
    variables: dict[str, str] = {}
    _restore(data, "", declared, variables, every=not ours and not declared)
    if not ours and not declared and variables:
        entry.notes.append("body {{variables}} became Variable fields (text): " + ", ".join(sorted(variables)))
    return _payload(data, variables, entry)


def _restore(node: Any, prefix: str, declared: dict[str, Any], found: dict[str, str], every: bool) -> None:
    """Put each declared {{variable}} of the body back to its example value (`every`: each one,
    as empty text), collecting path -> label."""
    if isinstance(node, list):
        for element in node:
            _restore(element, prefix + "[]" if prefix else "", declared, found, every)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        path = f"{prefix}.{key}" if prefix else key
        if build.is_placeholder(value):
            name = value.strip()[2:-2].strip()
            var = declared.get(name)
            if var is not None:
                node[key] = var.get("value")
                found[path] = _label(var.get("description"))
            elif every:
                node[key] = ""
                found[path] = key
        else:
            _restore(value, path, declared, found, every)


def _label(description: Any) -> str:
    """The label after "Variable field: ", exactly (spaces are the user's)."""
    if isinstance(description, dict):
        description = description.get("content")
    return description[len(VAR_MARK) + 2:] if isinstance(description, str) else ""


def _payload(data: Any, variables: dict[str, str], entry: Entry) -> Optional[dict[str, Any]]:
    try:
        return build.payload_of(data, variables, "body").dump()
    except ValueError as exc:
        entry.notes.append(f"the body cannot be a payload: {exc}")
        return None


def response_into(response: Any, data: dict[str, Any], entry: Entry) -> None:
    """A saved example response: the first 2xx one is the response payload, the first other the error."""
    if not isinstance(response, dict) or not isinstance(response.get("body"), str):
        return
    key = "response" if 200 <= int(response.get("code") or 200) < 300 else "errorResponse"
    if key in data:
        return
    try:
        data[key] = build.payload_of(json.loads(response["body"]), {}, "response").dump()
    except ValueError:
        entry.notes.append(f"example response {response.get('name', '')!r} is not a JSON object and was left out")
