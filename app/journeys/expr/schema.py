"""What is known of the fields an expression reads: example payloads of events, action responses and
error responses, an example profile, and the journey properties' types."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from app.journeys.expr.nodes import Ref, Step
from app.journeys.expr.types import NULL, TypeInfo, list_of

# The journey properties the platform documents, and their types.
JOURNEY_PROPERTIES: dict[str, str] = {
    "journeyUID": "string", "journeyVersionUID": "string", "journeyVersionName": "string",
    "journeyVersion": "string", "instanceUID": "string", "externalKey": "string", "profileId": "string",
    "namespace": "string", "currentNodeId": "string", "currentNodeName": "string", "previousNodeId": "string",
    "previousNodeName": "string", "lastErrorCode": "string", "lastExecutedActionErrorCode": "string",
    "lastActionExecutionElapsedTime": "integer",
}


class Unknown:
    """No example says what is there: the type is unknown ("any")."""


UNKNOWN = Unknown()


@dataclass
class Missing:
    """The example has no such field (the reference reads null at run time)."""

    where: str


def type_of_example(value: Any) -> Optional[TypeInfo]:
    """The type an example value stands for (ISO 8601 strings are dates, as in action payloads)."""
    if value is None or isinstance(value, Unknown):
        return None
    from app.model.payload import infer_type as example_type  # here: `expr` on the command line starts faster

    return TypeInfo(example_type(value))


@dataclass
class Schema:
    """events: event name -> example payload; actions: action name -> response example (jo_status_code
    is always there); error_responses: action name -> error response example; profile: an example
    profile (nested or flat, as Context.profile), None when unknown."""

    events: dict[str, Any] = field(default_factory=dict)
    actions: dict[str, Any] = field(default_factory=dict)
    error_responses: dict[str, Any] = field(default_factory=dict)
    profile: Optional[dict[str, Any]] = None

    @classmethod
    def from_examples(cls, events: Optional[dict[str, Any]] = None, actions: Optional[dict[str, Any]] = None,
                      profile: Optional[dict[str, Any]] = None,
                      error_responses: Optional[dict[str, Any]] = None) -> "Schema":
        return cls(dict(events or {}), dict(actions or {}), dict(error_responses or {}), profile)

    def root(self, ref: Ref, steps: list[Step]) -> tuple[Any, list[Step], str]:
        """The example value a reference starts from, the steps left to walk, and words for messages."""
        kind, name = ref.kind, ref.name
        if kind in ("event", "legacy"):
            return self.events.get(name, UNKNOWN), steps, f"the example of event {name!r}"
        if kind == "action":
            if steps[:1] and steps[0].name == "errorResponse":
                return self.error_responses.get(name, UNKNOWN), steps[1:], f"the error response of {name!r}"
            if steps[:1] and steps[0].name == "jo_status_code":
                return "http_200", steps[1:], ""
            return self.actions.get(name, UNKNOWN), steps, f"the response example of action {name!r}"
        if kind == "journey":
            kind_name = JOURNEY_PROPERTIES.get(name)
            return (_SAMPLES[kind_name] if kind_name else UNKNOWN), steps, "the journey properties"
        if kind == "profile":
            if self.profile is None:
                return UNKNOWN, steps, ""
            return _profile_root(self.profile, name, steps), steps, "the example profile"
        return UNKNOWN, steps, ""


_SAMPLES = {"string": "", "integer": 0}


def _profile_root(profile: dict[str, Any], group: str, steps: list[Step]) -> Any:
    found = profile.get(group)
    base = found if isinstance(found, dict) else profile
    names = [s.name for s in steps if not s.is_method]
    dotted = ".".join(names)
    if names and dotted in base and names[0] not in base:
        return _nest(names, base[dotted])
    return base


def _nest(names: list[str], value: Any) -> Any:
    for name in reversed(names):
        value = {name: value}
    return value


def walk_field(example: Any, name: str) -> Any:
    """One field step over an example: a dict's field, each list item's field; Missing when absent."""
    if isinstance(example, (Unknown, Missing)):
        return example
    if isinstance(example, dict):
        return example[name] if name in example else Missing(name)
    if isinstance(example, list):
        items = [walk_field(x, name) for x in example if isinstance(x, dict)]
        known = [x for x in items if not isinstance(x, (Unknown, Missing))]
        return known if known else (items[0] if items else UNKNOWN)
    return Missing(name)


def list_type(example: Any) -> Optional[TypeInfo]:
    kind = type_of_example(example)
    return kind if kind is None or kind.is_list else list_of(kind) if kind != NULL else None
