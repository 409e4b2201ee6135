"""Fields a newer version wrote: read around them, keep them in the file on save.

Every model forbids unknown fields (a typo must not pass silently when importing), but a file the
user already has must not become unreadable because a newer version added a field: such fields are
taken out before validating, reported, and put back when the file is written again.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Sequence, TypeVar

from pydantic import BaseModel, ValidationError

Path_ = tuple[Any, ...]  # keys and list indexes into the JSON data
Extras = list[tuple[Path_, Any]]
M = TypeVar("M", bound=BaseModel)


def validate_keeping_unknown(model: type[M], data: Any) -> tuple[M, Extras]:
    """The model, and the unknown fields it was read around; raises the ValidationError of any
    other problem (of the data without the unknown fields)."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        extras = _unknown_in(data, exc)
        if not extras:
            raise
    stripped = copy.deepcopy(data)
    for path, _ in extras:
        _container(stripped, path).pop(path[-1], None)
    return model.model_validate(stripped), extras


def _unknown_in(data: Any, exc: ValidationError) -> Extras:
    out: Extras = []
    for err in exc.errors():
        if err["type"] != "extra_forbidden":
            continue
        path = _data_path(data, err["loc"])
        if path and isinstance(path[-1], str) and path not in [p for p, _ in out]:
            out.append((path, err["input"]))
    return out


def _data_path(data: Any, loc: Sequence[Any]) -> Path_:
    """pydantic's location as keys into the data (union tags and validator steps are not keys)."""
    path: list[Any] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            continue
        path.append(part)
    return tuple(path)


def _container(data: Any, path: Path_) -> Any:
    node = data
    for part in path[:-1]:
        node = node[part]
    return node


def put_back(data: dict[str, Any], extras: Extras, original: Any) -> dict[str, Any]:
    """The data to write with the unknown fields of `original` restored where their place still
    exists (a list whose length changed is skipped: its items may have moved)."""
    for path, value in extras:
        node: Any = data
        before = original
        for part in path[:-1]:
            if isinstance(node, list) and (not isinstance(before, list) or len(node) != len(before)):
                node = None
                break
            try:
                node, before = node[part], before[part]
            except (KeyError, IndexError, TypeError):
                node = None
                break
        if isinstance(node, dict) and path[-1] not in node:
            node[path[-1]] = value
    return data


def describe(extras: Extras) -> str:
    return ", ".join(".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")
                     for path, _ in extras)


def carry_from_file(model: Any, data: dict[str, Any], path: Path) -> dict[str, Any]:
    """`data` with the unknown (newer) fields of the file at `path` put back."""
    try:
        original = json.loads(path.read_text("utf-8"))
        _, unknown = validate_keeping_unknown(model, original)
    except (OSError, ValueError):  # absent or unreadable: nothing to carry (ValidationError is a ValueError)
        return data
    return put_back(data, unknown, original) if unknown else data
