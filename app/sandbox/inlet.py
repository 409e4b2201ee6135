"""Streaming inlet rules: the message envelope checks and the documented response bodies.

Pure functions over parsed JSON (no web framework), used by ``routes_inlet``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MAX_VIOLATIONS = 5  # The inlet stops validating after 5 errors.
MAX_BYTES = 1024 * 1024

XDM_CONTENT_TYPE = "application/vnd.adobe.xed-full+json;version=1.0"
PROBLEM_INLET = "http://ns.adobe.com/adobecloud/problem/data-collection-service/inlet"
PROBLEM_AUTH = "http://ns.adobe.com/adobecloud/problem/data-collection-service-authorization"

_ISO_8601 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$"
)
_SCHEMA_ID = re.compile(r"^https?://\S+$")


@dataclass(frozen=True, slots=True)
class Violation:
    """One schema violation, as listed under ``causingExceptions``."""

    pointer: str
    keyword: str
    message: str

    def to_json(self) -> dict[str, str]:
        location = "#/properties/" + "/properties/".join(self.pointer.strip("#/").split("/"))
        return {
            "schemaLocation": location if self.pointer != "#" else "#",
            "pointerToViolation": self.pointer,
            "keyword": self.keyword,
            "message": self.message,
        }


def validate_message(message: Any, sync: bool) -> list[Violation]:
    """Violations of one envelope (at most 5). Record checks run only with sync validation."""
    found: list[Violation] = []
    if not isinstance(message, dict):
        return [Violation("#", "type", f"expected type: JSONObject, found: {_kind(message)}")]
    header = _object(message, "header", "#/header", found)
    if header is not None:
        _check_schema_ref(header.get("schemaRef"), "#/header/schemaRef", found)
        _string(header, "imsOrgId", "#/header/imsOrgId", found)
        _string(header, "datasetId", "#/header/datasetId", found)
    body = _object(message, "body", "#/body", found)
    if body is not None:
        meta = _object(body, "xdmMeta", "#/body/xdmMeta", found)
        if meta is not None:
            _check_schema_ref(meta.get("schemaRef"), "#/body/xdmMeta/schemaRef", found)
        entity = _object(body, "xdmEntity", "#/body/xdmEntity", found)
        if entity is not None and sync:
            _check_entity(entity, found)
    return found[:MAX_VIOLATIONS]


def _check_schema_ref(ref: Any, pointer: str, found: list[Violation]) -> None:
    if not isinstance(ref, dict):
        found.append(_missing_or_type(ref, pointer, "JSONObject"))
        return
    ref_id = ref.get("id")
    if not isinstance(ref_id, str) or not _SCHEMA_ID.match(ref_id):
        found.append(Violation(pointer + "/id", "format", f"{_show(ref_id)} is not a valid schema URI"))
    ctype = ref.get("contentType")
    if not isinstance(ctype, str) or ctype.replace(" ", "") != XDM_CONTENT_TYPE:
        found.append(
            Violation(pointer + "/contentType", "enum",
                      f"contentType must be {XDM_CONTENT_TYPE}, found: {_show(ctype)}")
        )


def _check_entity(entity: dict[str, Any], found: list[Violation]) -> None:
    # Pointers here are relative to xdmEntity, as the real inlet reports them.
    record_id = entity.get("_id")
    if not isinstance(record_id, str):
        found.append(_missing_or_type(record_id, "#/_id", "String", key="_id"))
    stamp = entity.get("timestamp")
    if not isinstance(stamp, str):
        found.append(_missing_or_type(stamp, "#/timestamp", "String", key="timestamp"))
    elif not _ISO_8601.match(stamp):
        found.append(Violation("#/timestamp", "format", f"[{stamp}] is not a valid date-time"))


def _object(parent: dict[str, Any], key: str, pointer: str, found: list[Violation]) -> dict[str, Any] | None:
    value = parent.get(key)
    if isinstance(value, dict):
        return value
    found.append(_missing_or_type(value, pointer, "JSONObject", key=key))
    return None


def _string(parent: dict[str, Any], key: str, pointer: str, found: list[Violation]) -> None:
    value = parent.get(key)
    if not isinstance(value, str) or not value:
        found.append(_missing_or_type(value, pointer, "String", key=key))


def _missing_or_type(value: Any, pointer: str, expected: str, key: str | None = None) -> Violation:
    if value is None:
        parent = pointer.rsplit("/", 1)[0] or "#"
        name = key or pointer.rsplit("/", 1)[-1]
        return Violation(parent, "required", f"required key [{name}] not found")
    if expected == "String" and value == "":
        return Violation(pointer, "minLength", "expected minLength: 1, actual: 0")
    return Violation(pointer, "type", f"expected type: {expected}, found: {_kind(value)}")


def _kind(value: Any) -> str:
    """The Java-style type names the real validator prints."""
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Long"
    if isinstance(value, float):
        return "Double"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list):
        return "JSONArray"
    if isinstance(value, dict):
        return "JSONObject"
    return "Null"


def _show(value: Any) -> str:
    return f"[{value}]" if isinstance(value, str) else _kind(value)


def violation_report(inlet_id: str, org: str, violations: list[Violation]) -> dict[str, Any]:
    """The 400 problem+json body for a message that failed validation."""
    return {
        "type": PROBLEM_INLET,
        "status": 400,
        "title": "Invalid XDM Message Format",
        "report": {
            "message": f"inletId: [{inlet_id}] imsOrgId: [{org}] Message is invalid",
            "cause": {
                "_streamingValidation": [
                    {
                        "schemaLocation": "#",
                        "pointerToViolation": "#",
                        "causingExceptions": [v.to_json() for v in violations],
                        "message": f"{len(violations)} schema violations found",
                    }
                ]
            },
        },
    }


def short_reason(violations: list[Violation]) -> str:
    """One line for a batch response: the first violation and how many there were."""
    first = violations[0]
    more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
    return f"Invalid XDM Message Format: {first.pointer}: {first.message}{more}"


def problem(status: int, title: str, message: str) -> dict[str, Any]:
    """A problem+json body in the inlet's shape (bad JSON, 404, 413...)."""
    return {"type": PROBLEM_INLET, "status": status, "title": title, "report": {"message": message}}


def auth_problem(status: int, message: str) -> dict[str, Any]:
    """The 401/403 body; the real service sends the status as a string here."""
    return {"type": PROBLEM_AUTH, "status": str(status), "title": "Authorization", "report": {"message": message}}


def org_of(message: Any) -> str:
    """The message's imsOrgId, for error messages ('' when absent)."""
    header = message.get("header") if isinstance(message, dict) else None
    org = header.get("imsOrgId") if isinstance(header, dict) else None
    return org if isinstance(org, str) else ""
