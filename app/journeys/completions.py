"""What the expression box of a journey offers to complete: the journey's event fields, profile
attributes, the response fields of the actions called before a node on every path, the journey
properties and the function names. No Qt; the examples give the fields."""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping, Optional

from app.journeys import graph
from app.journeys.expr import FUNCTIONS, JOURNEY_PROPERTIES
from app.journeys.model import EventNode, Journey
from app.model.payload import JsonError, parse_json

PROFILE_GROUP = "ExperiencePlatform.ProfileFieldGroup.profile"


def completions(journey: Journey, node_id: str, responses: Mapping[str, Any] = {},
                profiles: Iterable[Mapping[str, Any]] = ()) -> list[str]:
    """Every word for an expression of `node_id`. responses: action name -> response example (a
    JSON text or a value); profiles: example profile attributes (e.g. the profiles file's first rows)."""
    words: list[str] = []
    for event in (n for n in journey.nodes if isinstance(n, EventNode)):
        words += [f"@event{{{event.event}.{p}}}" for p in field_paths(event.example)]
    for attributes in profiles:
        words += [f"#{{{PROFILE_GROUP}.{p}}}" for p in field_paths(attributes)]
    facts = graph.on_every_path(journey, graph.action_facts).get(node_id, frozenset())
    for name in sorted(f.removeprefix("ran:") for f in facts if f.startswith("ran:")):
        words.append(f"@action{{{name}.jo_status_code}}")
        words += [f"@action{{{name}.{p}}}" for p in field_paths(_example(responses.get(name)))]
    words += [f"@journey{{{p}}}" for p in JOURNEY_PROPERTIES]
    words += [f"{name}(" for name in sorted(FUNCTIONS)]
    return list(dict.fromkeys(words))


def field_paths(example: Any, prefix: str = "") -> Iterator[str]:
    """The dotted path of every field of an example object, parents before their children."""
    if not isinstance(example, Mapping):
        return
    for key, value in example.items():
        path = f"{prefix}{_segment(str(key))}"
        yield path
        yield from field_paths(value, path + ".")


def _segment(key: str) -> str:
    # The language quotes a segment that starts with a digit or '-' or holds other characters.
    plain = key and not key[0].isdigit() and key[0] != "-" and all(c.isalnum() or c in "_-" for c in key)
    return key if plain else "'" + key.replace("'", "\\'") + "'"


def _example(value: Any) -> Optional[Any]:
    if isinstance(value, str):
        try:
            return parse_json(value)
        except JsonError:
            return None
    return value
