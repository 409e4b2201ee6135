"""Custom-events rules: headers, the event list, and each event's fields.

Pure functions over parsed JSON; they stop at the first problem, like the real API, and say
where it is as a JSON path (``[0].body.name``). Plain Python on purpose: it is several times
faster than building models per event, and the sandbox must not slow a benchmark down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

API_CONTENT_TYPE = "application/vnd.urbanairship+json; version=3"
MAX_EVENTS = 100
MAX_PROPERTIES = 100
MAX_STRING = 255
WINDOW = timedelta(days=90)

USER_KEYS = frozenset(
    {"named_user_id", "channel", "ios_channel", "android_channel", "amazon_channel", "web_channel"}
)
_CHANNEL_KEYS = USER_KEYS - {"named_user_id"}
EVENT_KEYS = frozenset({"occurred", "user", "body"})
BODY_STRINGS = ("transaction", "interaction_id", "interaction_type", "session_id", "unique_id")
BODY_KEYS = frozenset({"name", "value", "properties", *BODY_STRINGS})

_OCCURRED = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})Z?$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_VERSION = re.compile(r"version\s*=\s*([^;,\s]*)", re.IGNORECASE)


@dataclass(frozen=True)
class EventError(Exception):
    """The first rule an event list breaks, with the JSON path of the culprit."""

    message: str
    path: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def accept_problem(accept: str | None) -> str | None:
    """Why the ``Accept`` header is not acceptable, or None.

    A missing or generic Accept is allowed; the vendor media type must ask for version 3
    (a trailing ``;`` is tolerated, as some clients send one).
    """
    if not accept or "application/vnd.urbanairship+json" not in accept.lower():
        return None
    match = _VERSION.search(accept)
    if match is None:
        return "Accept header must specify an API version (version=3)"
    if match.group(1) != "3":
        return f"API version {match.group(1)!r} is not supported; use version=3"
    return None


def validate_events(payload: Any, now: datetime | None = None) -> int:
    """Check a request body; returns the number of events or raises :class:`EventError`."""
    moment = now or datetime.now(UTC).replace(tzinfo=None)
    if isinstance(payload, dict):
        _check_event(payload, "", moment)
        return 1
    if not isinstance(payload, list):
        raise EventError("Request body must be a JSON array of events (or one event object)", "")
    if not payload:
        raise EventError("At least one event is required", "")
    if len(payload) > MAX_EVENTS:
        raise EventError(f"At most {MAX_EVENTS} events per request, found {len(payload)}", "")
    for index, event in enumerate(payload):
        _check_event(event, f"[{index}]", moment)
    return len(payload)


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _check_event(event: Any, path: str, now: datetime) -> None:
    if not isinstance(event, dict):
        raise EventError("Event must be a JSON object", path or "")
    for key in event:
        if key not in EVENT_KEYS:
            raise EventError(f"Unrecognized field '{key}'", _join(path, key))
    # Helpers get the event's prefix and join the field name only when they raise.
    _check_user(event.get("user"), path)
    if event.get("occurred") is not None:
        _check_occurred(event["occurred"], path, now)
    _check_body(event.get("body"), path)


def _check_user(user: Any, prefix: str) -> None:
    path = _join(prefix, "user")
    if user is None:
        raise EventError("Missing required field 'user'", path)
    if not isinstance(user, dict):
        raise EventError("'user' must be a JSON object", path)
    keys = list(user)
    if len(keys) != 1 or keys[0] not in USER_KEYS:
        raise EventError(f"'user' must have exactly one of: {', '.join(sorted(USER_KEYS))}", path)
    key = keys[0]
    value = user[key]
    if not isinstance(value, str) or not value:
        raise EventError(f"'{key}' must be a non-empty string", _join(path, key))
    if key in _CHANNEL_KEYS and not _UUID.match(value):
        raise EventError(f"'{key}' must be a channel ID (a UUID)", _join(path, key))


def _check_occurred(value: Any, prefix: str, now: datetime) -> None:
    path = _join(prefix, "occurred")
    if not isinstance(value, str) or (match := _OCCURRED.match(value)) is None:
        raise EventError("'occurred' must be formatted YYYY-MM-DD[T ]hh:mm:ss[Z] (UTC, no offset)", path)
    try:
        year, month, day, hour, minute, second = map(int, match.groups())
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise EventError(f"'occurred' is not a valid date and time: {value}", path) from None
    if moment > now:
        raise EventError("'occurred' must not be in the future", path)
    if moment < now - WINDOW:
        raise EventError("'occurred' must be within the last 90 days", path)


def _check_body(body: Any, prefix: str) -> None:
    path = _join(prefix, "body")
    if body is None:
        raise EventError("Missing required field 'body'", path)
    if not isinstance(body, dict):
        raise EventError("'body' must be a JSON object", path)
    for key in body:
        if key not in BODY_KEYS:
            raise EventError(f"Unrecognized field '{key}'", _join(path, key))
    _check_name(body.get("name"), path)
    if body.get("value") is not None:
        _check_value(body["value"], path)
    for key in BODY_STRINGS:
        if body.get(key) is not None and not isinstance(body[key], str):
            raise EventError(f"'{key}' must be a string", _join(path, key))
    if body.get("properties") is not None:
        _check_properties(body["properties"], _join(path, "properties"))


def _check_name(name: Any, prefix: str) -> None:
    path = _join(prefix, "name")
    if name is None:
        raise EventError("Missing required field 'name'", path)
    if not isinstance(name, str) or not name:
        raise EventError("'name' must be a non-empty string", path)
    if name != name.lower():
        raise EventError("Event name must not contain uppercase characters", path)


def _check_value(value: Any, prefix: str) -> None:
    path = _join(prefix, "value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EventError("'value' must be a number", path)
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        raise EventError("'value' must be a finite number", path)
    if isinstance(value, float) and round(value, 6) != value:
        raise EventError("'value' may have at most 6 decimal places", path)


def _check_properties(properties: Any, path: str) -> None:
    if not isinstance(properties, dict):
        raise EventError("'properties' must be a JSON object", path)
    if len(properties) > MAX_PROPERTIES:
        raise EventError(f"At most {MAX_PROPERTIES} properties allowed, found {len(properties)}", path)
    # Nested values are allowed; every string in them is length-checked. The walk keeps no
    # paths (the common case has no error); only a failure pays for finding where it is.
    stack: list[Any] = [properties]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and len(item) > MAX_STRING:
            raise EventError(f"Property strings may be at most {MAX_STRING} characters, found {len(item)}",
                             _long_string_path(properties, path))


def _long_string_path(properties: dict[str, Any], path: str) -> str:
    """Where the first too-long string is (same walk order as the check above)."""
    stack: list[tuple[Any, str]] = [(properties, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, dict):
            stack.extend((v, _join(where, k)) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(item))
        elif isinstance(item, str) and len(item) > MAX_STRING:
            return where
    return path


def error_body(status: int, error: str, detail: str, path: str | None = None,
               line: int | None = None, column: int | None = None, sub_code: int = 0) -> dict[str, Any]:
    """The JSON error body: ``error_code`` is the status followed by two digits."""
    details: dict[str, Any] = {"error": detail}
    if path is not None:
        details["path"] = path
    if line is not None:
        details["location"] = {"line": line, "column": column}
    return {"ok": False, "error": error, "error_code": status * 100 + sub_code, "details": details}
