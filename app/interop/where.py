"""Where a JSON path sits in the file's text, as "line L, column C": JSON through app.jsonpos, YAML
through PyYAML's node marks (an OpenAPI document may be either)."""
from __future__ import annotations

from typing import Any, Optional, Sequence, Union

from app.jsonpos import position_of

Part = Union[str, int]


def place(text: str, path: Sequence[Part]) -> str:
    """'line L, column C' of the deepest part of `path` written in `text`, or "" when unknown."""
    found = position_of(text, list(path)) if text.lstrip().startswith(("{", "[")) else _yaml_position(text, path)
    return f"line {found[0]}, column {found[1]}" if found else ""


def _yaml_position(text: str, path: Sequence[Part]) -> Optional[tuple[int, int]]:
    import yaml  # type: ignore[import-untyped]  # PyYAML ships no stubs

    try:
        node: Any = yaml.compose(text)
    except yaml.YAMLError:
        return None
    found = None
    for part in path:
        child = _child(node, part)
        if child is None:
            break
        found, node = child
    return found


def _child(node: Any, part: Part) -> Optional[tuple[tuple[int, int], Any]]:
    """Where the key (or item) `part` of a YAML node is written, and its value node."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if str(key.value) == str(part):
                return (key.start_mark.line + 1, key.start_mark.column + 1), value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        item = node.value[part]
        return (item.start_mark.line + 1, item.start_mark.column + 1), item
    return None
