"""Templates and client-side checks for the two seed endpoints, before anything is sent.

- The streaming inlet's envelope `{header: {schemaRef, imsOrgId, datasetId, source}, body:
  {xdmMeta, xdmEntity}}`; time-series records need `xdmEntity._id` and an ISO 8601 `timestamp`.
- The custom event `{occurred, user: {<one key>}, body: {name, value, ...}}`: lowercase name,
  exactly one user key, `occurred` as YYYY-MM-DD[T ]hh:mm:ss[Z] within the last 90 days and not in
  the future, a numeric value, at most 100 properties with strings of at most 255 characters.
Problems carry the JSON path the endpoint would report, so the GUI can show them inline.
"""
from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Literal, Optional, TypeGuard

from app.model import Action

Kind = Literal["inlet", "custom_event", "raw"]
USER_KEYS = ("named_user_id", "channel", "ios_channel", "android_channel", "amazon_channel", "web_channel")
BODY_STRINGS = ("transaction", "interaction_id", "interaction_type", "session_id", "unique_id")
XDM_CONTENT_TYPE = "application/vnd.adobe.xed-full+json;version=1.0"
WINDOW = timedelta(days=90)
MAX_PROPERTIES = 100
MAX_STRING = 255
_OCCURRED = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})Z?$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$")


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def kind_of(action: Action) -> Kind:
    """Which template fits the action: by its URL, else by the shape of its request example."""
    url = action.endpoint.url
    if "/collection/" in url:
        return "inlet"
    if "/api/custom-events" in url:
        return "custom_event"
    example = _example(action)
    if isinstance(example, dict) and isinstance(example.get("body"), dict) and "xdmEntity" in example["body"]:
        return "inlet"
    first = example[0] if isinstance(example, list) and example else example
    if isinstance(first, dict) and "user" in first and isinstance(first.get("body"), dict) and "name" in first["body"]:
        return "custom_event"
    return "raw"


def _example(action: Action) -> Any:
    if action.request is None:
        return None
    try:
        return json.loads(action.request.example)
    except ValueError:
        return None


def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


# -- the streaming inlet ---------------------------------------------------------------------------
def inlet_envelope(entity: dict[str, Any], action: Optional[Action] = None, schema_id: str = "",
                   org: str = "", dataset: str = "", source: str = "Custom Journey Events") -> dict[str, Any]:
    """An envelope around `entity`; header values come from the action's example where not given."""
    base = _example(action) if action is not None else None
    header = dict(base.get("header", {})) if isinstance(base, dict) else {}
    schema_ref = dict(header.get("schemaRef") or {})
    schema_ref["id"] = schema_id or schema_ref.get("id") or "https://ns.adobe.com/<tenant>/schemas/<id>"
    schema_ref["contentType"] = schema_ref.get("contentType") or XDM_CONTENT_TYPE
    header.update({"schemaRef": schema_ref, "imsOrgId": org or header.get("imsOrgId", ""),
                   "datasetId": dataset or header.get("datasetId", ""),
                   "source": header.get("source") or {"name": source}})
    return {"header": header, "body": {"xdmMeta": {"schemaRef": dict(schema_ref)}, "xdmEntity": entity}}


def inlet_entity(action: Optional[Action] = None) -> dict[str, Any]:
    """The xdmEntity fields of the action's example, with a fresh _id and the current time."""
    base = _example(action) if action is not None else None
    entity = dict(base["body"]["xdmEntity"]) if _has_entity(base) else {}
    entity["_id"] = uuid.uuid4().hex
    entity["timestamp"] = now_utc().isoformat()
    return entity


def _has_entity(base: Any) -> TypeGuard[dict[str, Any]]:
    return (isinstance(base, dict) and isinstance(base.get("body"), dict)
            and isinstance(base["body"].get("xdmEntity"), dict))


def check_inlet(envelope: Any) -> list[Problem]:
    """What the inlet would refuse, found before sending."""
    if not isinstance(envelope, dict):
        return [Problem("", "the message must be a JSON object (the envelope)")]
    found: list[Problem] = []
    header = envelope.get("header")
    if not isinstance(header, dict):
        found.append(Problem("header", "missing: the envelope needs a header object"))
    else:
        _schema_ref(header.get("schemaRef"), "header.schemaRef", found)
        for key in ("imsOrgId", "datasetId"):
            if not isinstance(header.get(key), str) or not header[key]:
                found.append(Problem(f"header.{key}", "required (a non-empty string)"))
    body = envelope.get("body")
    if not isinstance(body, dict):
        found.append(Problem("body", "missing: the envelope needs a body object"))
        return found
    meta = body.get("xdmMeta")
    _schema_ref(meta.get("schemaRef") if isinstance(meta, dict) else None, "body.xdmMeta.schemaRef", found)
    entity = body.get("xdmEntity")
    if not isinstance(entity, dict):
        found.append(Problem("body.xdmEntity", "missing: the record goes in body.xdmEntity"))
        return found
    if not isinstance(entity.get("_id"), str) or not entity["_id"]:
        found.append(Problem("body.xdmEntity._id", "time-series records need an _id string"))
    stamp = entity.get("timestamp")
    if not isinstance(stamp, str) or not _ISO.match(stamp):
        found.append(Problem("body.xdmEntity.timestamp",
                             "needs an ISO 8601 date-time with a zone, e.g. 2018-11-12T20:20:39+00:00"))
    return found


def _schema_ref(ref: Any, path: str, found: list[Problem]) -> None:
    if not isinstance(ref, dict):
        found.append(Problem(path, "missing: {id, contentType}"))
        return
    if not isinstance(ref.get("id"), str) or not ref["id"].startswith(("https://", "http://")):
        found.append(Problem(f"{path}.id", "must be the schema URI (https://ns.adobe.com/...)"))
    if str(ref.get("contentType", "")).replace(" ", "") != XDM_CONTENT_TYPE:
        found.append(Problem(f"{path}.contentType", f"must be {XDM_CONTENT_TYPE}"))


# -- custom events -------------------------------------------------------------------------------
def custom_event(user_key: str, user_value: str, name: str, value: Optional[float] = None,
                 transaction: str = "", interaction_id: str = "", interaction_type: str = "",
                 session_id: str = "", properties: Optional[dict[str, Any]] = None,
                 occurred: str = "") -> dict[str, Any]:
    """One custom event (empty optional parts left out)."""
    body: dict[str, Any] = {"name": name}
    if value is not None:
        body["value"] = value
    for key, text in (("transaction", transaction), ("interaction_id", interaction_id),
                      ("interaction_type", interaction_type), ("session_id", session_id)):
        if text:
            body[key] = text
    if properties:
        body["properties"] = properties
    event: dict[str, Any] = {"user": {user_key: user_value}, "body": body}
    if occurred:
        event["occurred"] = occurred
    return event


def check_custom_events(payload: Any, now: Optional[datetime] = None) -> list[Problem]:
    """Every problem of an event list (or one event), with paths like `[0].body.name`."""
    moment = (now or now_utc()).astimezone(timezone.utc).replace(tzinfo=None)
    if isinstance(payload, dict):
        return check_custom_event(payload, "", moment)
    if not isinstance(payload, list) or not payload:
        return [Problem("", "the body must be a JSON array of 1 to 100 events")]
    found: list[Problem] = []
    if len(payload) > 100:
        found.append(Problem("", f"at most 100 events per request, found {len(payload)}"))
    for i, event in enumerate(payload[:100]):
        found += check_custom_event(event, f"[{i}]", moment)
    return found


def check_custom_event(event: Any, prefix: str = "", now: Optional[datetime] = None) -> list[Problem]:
    moment = now if now is not None else now_utc().replace(tzinfo=None)

    def p(key: str) -> str:
        return f"{prefix}.{key}" if prefix else key
    if not isinstance(event, dict):
        return [Problem(prefix, "an event must be a JSON object")]
    found: list[Problem] = [Problem(p(k), f"unknown field {k!r} (occurred, user, body)")
                            for k in event if k not in ("occurred", "user", "body")]
    user = event.get("user")
    keys = list(user) if isinstance(user, dict) else []
    if not isinstance(user, dict) or len(keys) != 1 or keys[0] not in USER_KEYS:
        found.append(Problem(p("user"), "exactly one user key: " + ", ".join(USER_KEYS)))
    elif not isinstance(user[keys[0]], str) or not user[keys[0]]:
        found.append(Problem(p(f"user.{keys[0]}"), "must be a non-empty string"))
    if event.get("occurred") is not None:
        problem = occurred_problem(event["occurred"], moment)
        if problem:
            found.append(Problem(p("occurred"), problem))
    body = event.get("body")
    if not isinstance(body, dict):
        found.append(Problem(p("body"), "required: {name, ...}"))
        return found
    found += _body_problems(body, p("body"))
    return found


def _body_problems(body: dict[str, Any], path: str) -> list[Problem]:
    found: list[Problem] = []
    name = body.get("name")
    if not isinstance(name, str) or not name:
        found.append(Problem(f"{path}.name", "required: the event name"))
    elif name != name.lower():
        found.append(Problem(f"{path}.name", f"must not contain uppercase letters (try {name.lower()!r})"))
    value = body.get("value")
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        found.append(Problem(f"{path}.value", "must be a number"))
    elif isinstance(value, float) and round(value, 6) != value:
        found.append(Problem(f"{path}.value", "at most 6 decimal places"))
    for key in BODY_STRINGS:
        if body.get(key) is not None and not isinstance(body[key], str):
            found.append(Problem(f"{path}.{key}", "must be a string"))
    props = body.get("properties")
    if props is not None:
        found += properties_problems(props, f"{path}.properties")
    return found


def properties_problems(props: Any, path: str = "properties") -> list[Problem]:
    if not isinstance(props, dict):
        return [Problem(path, "must be a JSON object")]
    found = []
    if len(props) > MAX_PROPERTIES:
        found.append(Problem(path, f"at most {MAX_PROPERTIES} properties, found {len(props)}"))
    stack: list[tuple[Any, str]] = [(props, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, dict):
            stack += [(v, f"{where}.{k}") for k, v in item.items()]
        elif isinstance(item, list):
            stack += [(v, f"{where}[{i}]") for i, v in enumerate(item)]
        elif isinstance(item, str) and len(item) > MAX_STRING:
            found.append(Problem(where, f"strings may be at most {MAX_STRING} characters, found {len(item)}"))
    return found


def occurred_problem(value: Any, now: datetime) -> Optional[str]:
    """Why `occurred` would be refused (now: naive UTC), or None."""
    match = _OCCURRED.match(value) if isinstance(value, str) else None
    if match is None:
        return "format YYYY-MM-DD[T ]hh:mm:ss[Z], in UTC with no offset (e.g. 2020-05-02T02:31:22)"
    try:
        year, month, day, hour, minute, second = map(int, match.groups())
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return f"not a real date and time: {value}"
    if moment > now:
        return "must not be in the future"
    if moment < now - WINDOW:
        return "must be within the last 90 days"
    return None


def check(kind: Kind, body: Any) -> list[Problem]:
    """The client-side checks of a body for a template kind (none for raw JSON)."""
    if kind == "inlet":
        return check_inlet(body)
    if kind == "custom_event":
        return check_custom_events(body)
    return []
