"""Turn an edited example into a field tree, keeping what the user set on fields that did not change.

Runs in a worker thread (touches no widget): the validator of the payload editors.
"""
from __future__ import annotations

import json
from typing import Any, Iterator, Optional

from app.model.payload import JsonError, Payload, PayloadField, field_name_problem, parse_json, payload_of
from ui.jsonedit import key_position

_CONTAINERS = ("object", "listObject")  # their value is not shown: their children are
_UNPARSED = object()


def example_to_payload(text: str, where: str, data: Any = _UNPARSED) -> Optional[Payload]:
    """The inferred payload of an example, None for an empty editor; JsonError marks the line.
    `data`: the text already parsed (`parse_example`)."""
    if not text.strip():
        return None
    try:
        return payload_of(parse_json(text, where) if data is _UNPARSED else data, text, where)
    except JsonError:
        raise
    except ValueError as exc:
        located = _locate_bad_name(text)
        if located is not None:
            raise located from None
        raise ValueError(_strip_where(str(exc), where)) from None


def parse_example(text: str, where: str) -> Any:
    """The parsed example (None for an empty editor); JsonError marks the line."""
    return parse_json(text, where) if text.strip() else None


def _strip_where(message: str, where: str) -> str:
    prefix = f"{where}: "
    return message[len(prefix):] if message.startswith(prefix) else message


def _locate_bad_name(text: str) -> Optional[JsonError]:
    """A refused field name (`.` inside, `$` first) as a JsonError at the line where it is written."""
    try:
        data = parse_json(text)
    except JsonError:
        return None
    for name in _keys(data):
        problem = field_name_problem(name)
        if problem:
            line, column = key_position(text, name) or (1, 1)
            return JsonError(problem, line, column)
    return None


def _keys(node: Any) -> Iterator[str]:
    stack = [node]
    while stack:
        item = stack.pop(0)
        if isinstance(item, dict):
            for key, value in item.items():
                yield key
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)


def merge(new: Payload, old: Optional[Payload], kept_values: frozenset[str] = frozenset()) -> Payload:
    """`new` with the mode, label and optional flag of every old field whose path and type match.

    Constant values come from the new example, except on `kept_values` paths, where the user typed
    a value in the tree (kept while the type is unchanged).
    """
    if old is None:
        return new
    # Both trees walked side by side, level by level (not two 20,000-path walks and a dict of
    # every path: a third of the time, in a worker sharing the GIL with the UI thread; issue 14).
    # Fields below one whose array-ness changed have other paths (a[].b is not a.b): not matched.
    stack: list[tuple[list[PayloadField], list[PayloadField], str]] = [(new.fields, old.fields, "")]
    while stack:
        fields, before, prefix = stack.pop()
        by_name = {field.name: field for field in before}
        for field in fields:
            previous = by_name.get(field.name)
            if previous is None:
                continue
            path = f"{prefix}.{field.name}" if prefix else field.name
            if previous.type == field.type:
                _copy_settings(previous, field, keep_value=path in kept_values)
            listed = field.type == "listObject"
            if field.children and previous.children and listed == (previous.type == "listObject"):
                stack.append((field.children, previous.children, path + "[]" if listed else path))
    return new


def _copy_settings(source: PayloadField, target: PayloadField, keep_value: bool) -> None:
    # The fields were built by model_construct; plain attribute writes keep the merge fast.
    object.__setattr__(target, "mode", source.mode)
    object.__setattr__(target, "label", source.label)
    object.__setattr__(target, "optional", source.optional)
    if keep_value:
        object.__setattr__(target, "value", source.value)


def field_count(payload: Optional[Payload]) -> tuple[int, int]:
    """(fields, variables) of a payload, for the status line."""
    if payload is None:
        return 0, 0
    total = variables = 0
    stack = list(payload.fields)  # no paths needed: walk() would build 20,000 of them
    while stack:
        field = stack.pop()
        total += 1
        variables += field.mode == "variable"
        stack += field.children
    return total, variables


def changed_rows(new: Optional[Payload], old: Optional[Payload]) -> Optional[list[tuple[int, ...]]]:
    """The rows (a row number per level) whose shown settings differ between two trees of the same
    shape (the same names and types at the same rows, level by level); None when the shapes differ.

    Run in the worker after `merge`: a re-infer that kept the shape (most typing does) then
    swaps the tree under the view and repaints only those rows, instead of a reset that repaints
    and lays out the whole tree on the UI thread (issue 14: UI stalls)."""
    if new is None or old is None or new.root != old.root:
        return None
    out: list[tuple[int, ...]] = []
    stack: list[tuple[list[PayloadField], list[PayloadField], tuple[int, ...]]] = [(new.fields, old.fields, ())]
    while stack:
        fields, before, rows = stack.pop()
        if len(fields) != len(before):
            return None
        for row, (field, previous) in enumerate(zip(fields, before, strict=True)):
            if field.name != previous.name or field.type != previous.type:
                return None
            if ((field.mode, field.label, field.optional) != (previous.mode, previous.label, previous.optional)
                    or (field.type not in _CONTAINERS and not _same_value(field.value, previous.value))):
                out.append((*rows, row))
            if field.children or previous.children:
                stack.append((field.children, previous.children, (*rows, row)))
    return out


def _same_value(a: Any, b: Any) -> bool:
    """Whether two values show the same in the tree (1 and True, or 0.0 and -0.0, do not)."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return repr(a) == repr(b)
    if isinstance(a, (list, dict)):
        return json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)
    return bool(a == b)
