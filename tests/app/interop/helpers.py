"""Shared by the interop tests: the bundled files, the Postman schema validator, action comparison."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from app.model import Action

DATA = Path(__file__).resolve().parents[2] / "data" / "interop"
RESOURCES = Path(__file__).resolve().parents[3] / "resources"
SAMPLE_ACTIONS = RESOURCES / "sample_workspace" / "actions"


def sample_actions() -> list[Action]:
    return [Action.model_validate_json(p.read_text("utf-8")) for p in sorted(SAMPLE_ACTIONS.glob("*.json"))]


def postman_errors(collection: dict[str, Any]) -> list[str]:
    """What the published Collection v2.1 schema finds wrong with a collection (none: valid)."""
    schema = json.loads((RESOURCES / "schemas" / "postman-collection-v2.1.0.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(collection)]


def comparable(action: Action) -> dict[str, Any]:
    """The action without what an import gives anew (id, dates), its secrets reduced to 'a secret'
    and its examples parsed (an import writes them indented)."""
    data = action.dump()
    for key in ("id", "created", "modified"):
        data.pop(key)
    for key in ("request", "response", "errorResponse"):
        if key in data:
            data[key]["example"] = json.loads(data[key]["example"])
    return _secrets_aside(data)


def _secrets_aside(node: Any) -> Any:
    if isinstance(node, dict):
        if set(node) == {"secret"}:
            return "<secret>"
        return {k: _secrets_aside(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_secrets_aside(v) for v in node]
    return node
