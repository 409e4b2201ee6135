"""Example values made from an OpenAPI schema (examples first, then the types), and the paths of
its required properties (the Variable fields). Schemas are jsonschema-path SchemaPaths: every
`$ref` is resolved by the library as the walk goes; a schema met again inside itself (a recursive
`$ref`) is left out, and any walk stops at `MAX_DEPTH`."""
from __future__ import annotations

from typing import Any

MAX_DEPTH = 8
_FORMATS = {"date-time": "2025-01-31T12:00:00Z", "date": "2025-01-31", "email": "user@example.com",
            "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "uri": "https://example.com", "url": "https://example.com",
            "hostname": "example.com", "ipv4": "192.0.2.1"}


def _node(schema: Any) -> dict[str, Any]:
    with schema.open() as value:
        return dict(value) if isinstance(value, dict) else {}


def _identity(schema: Any) -> int:
    """The resolved schema object's identity: the same for every $ref to it."""
    with schema.open() as value:
        return id(value)


def _type(node: dict[str, Any]) -> str:
    kind = node.get("type")
    if isinstance(kind, list):  # 3.1: ["string", "null"]
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = "object" if "properties" in node else "array" if "items" in node else ""
    return str(kind)


def given_example(schema: Any) -> Any:
    """The value the schema itself gives (example, default, const, examples[0]), else None."""
    node = _node(schema)
    for key in ("example", "default", "const"):
        if key in node:
            return node[key]
    examples = node.get("examples")
    return examples[0] if isinstance(examples, list) and examples else None


def example_of(schema: Any, seen: frozenset[int] = frozenset(), depth: int = 0) -> Any:
    """A value for the schema: example, examples[0], default, const, enum[0], else by type; None
    for a schema already being expanded (`seen`: the schemas on the way here)."""
    node = _node(schema)
    here = _identity(schema)
    if here in seen:
        return None
    seen = seen | {here}
    given = given_example(schema)
    if given is not None:
        return given
    if node.get("enum"):
        return node["enum"][0]
    if depth > MAX_DEPTH:
        return None
    if "allOf" in node:
        merged: dict[str, Any] = {}
        for part in schema / "allOf":
            value = example_of(part, seen, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    for key in ("oneOf", "anyOf"):
        if key in node:
            for part in schema / key:
                if _type(_node(part)) != "null":
                    return example_of(part, seen, depth + 1)
    return _by_type(schema, node, seen, depth)


def _by_type(schema: Any, node: dict[str, Any], seen: frozenset[int], depth: int) -> Any:
    kind = _type(node)
    if kind == "object":
        out = {}
        if "properties" in schema:
            for name in (schema / "properties").keys():
                value = example_of(schema / "properties" / name, seen, depth + 1)
                if value is not None:
                    out[str(name)] = value
        return out
    if kind == "array":
        item = example_of(schema / "items", seen, depth + 1) if "items" in schema else "text"
        return [] if item is None else [item]
    if kind == "integer":
        return int(node.get("minimum", 0))  # a value the schema accepts
    if kind == "number":
        return float(node.get("minimum", 0.5))
    if kind == "boolean":
        return True
    if kind == "string":
        return _FORMATS.get(str(node.get("format", "")), "text")
    return None


def required_paths(schema: Any, prefix: str = "", depth: int = 0) -> dict[str, str]:
    """Dotted paths (payload field paths: `a.b`, `list[].b`) of the required properties, each with
    its label (the title, else the name); a required object is walked into (its own required
    properties are the Variable ones), a required list or value is Variable whole."""
    out: dict[str, str] = {}
    node = _node(schema)
    if depth > MAX_DEPTH:
        return out
    if _type(node) == "array" and "items" in schema and not prefix:  # a top-level array: its items' fields
        return required_paths(schema / "items", prefix, depth + 1)
    parts = [schema / "allOf" / i for i in range(len(node.get("allOf", [])))] if "allOf" in node else []
    for part in parts:
        out.update(required_paths(part, prefix, depth + 1))
    if "properties" not in schema:
        return out
    for name in node.get("required", []):
        if name not in schema / "properties":
            continue
        child = schema / "properties" / name
        path = f"{prefix}.{name}" if prefix else str(name)
        child_node = _node(child)
        if _type(child_node) == "object" and "properties" in child_node:
            out.update(required_paths(child, path, depth + 1))
        else:
            out[path] = str(child_node.get("title") or name)
    return out
