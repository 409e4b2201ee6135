"""A re-infer as a patch of the shown tree: only the parts of the example that changed are inferred.

Every pause in typing re-inferred the whole example: for 1 MB (20,000 fields) ~110 ms of Python in
the worker (infer ~50, merge ~28, changed rows ~30) holding the GIL the UI thread needs, and the UI
thread stalls for as long as that worker is not running while it holds the GIL (issue 14). The tab
keeps the parsed document its tree was inferred from; the new document is compared with it key by
key (C-level: orjson's bytes for objects and arrays, so 1, 1.0 and true differ as their types do),
the fields of what did not change are taken over as they are (the new tree shares them: neither
tree's fields are ever changed in place, the model copies on write), and only what changed is
inferred and merged. The result is what `merge(infer(text), old)` and `changed_rows` give, as long
as the old tree is the merge of that document (true from one re-infer to the next: edits in the tree
change settings, and the values typed there are `kept_values`); a property test holds them equal.
"""
from __future__ import annotations

import math
from typing import Any, NamedTuple, Optional

import orjson

from app.model.payload import Payload, PayloadField, build_field, infer_field, infer_type
from ui.payload.infer import _CONTAINERS, _same_value

Rows = list[tuple[int, ...]]


class _Mismatch(Exception):
    """The old tree is not the merge of the document said to be its own: re-infer in full."""


class _Patch:
    def __init__(self, kept_values: frozenset[str]) -> None:
        self.kept = kept_values
        self.same_shape = True  # the same names and types at the same rows (changed_rows's shape)
        self.same_rows = True  # at least as many rows under each row as before: the view may keep them
        self.changes: Rows = []
        self.renamed: Rows = []  # rows showing another name or type (what is under them too)


class Patched(NamedTuple):
    payload: Payload
    # The rows to repaint when the new tree is swapped under the view (with what is under them), or
    # None when it must be reset (rows added, removed, or holding another number of rows)
    changes: Optional[Rows]
    same_shape: bool  # `changes` is `changed_rows`'s; else fields were renamed, moved or retyped


def patch(text: str, data: Any, old: Payload, basis: Any,
          kept_values: frozenset[str] = frozenset()) -> Optional[Patched]:
    """The tree of `text`, parsed to `data`, with the settings of `old`, given `basis`, the document
    `old` was inferred from. None when the caller must infer in full (a refused name, a top level
    that is no object, numbers orjson does not write): that path says what is wrong."""
    new_root, new_obj = _top(data)
    old_root, old_obj = _top(basis)
    if new_obj is None or old_obj is None:
        return None
    state = _Patch(kept_values)
    state.same_shape = state.same_rows = new_root == old.root
    try:
        if _dump(data) == _dump(basis):
            fields = list(old.fields)
        else:
            fields = _level(old.fields, old_obj, new_obj, "", (), state)
    except (_Mismatch, ValueError, TypeError, orjson.JSONEncodeError):
        return None
    payload = Payload.model_construct(example=text, root=new_root, fields=fields)
    if state.same_shape:
        return Patched(payload, state.changes, True)
    # A renamed key (most shape changes while typing) keeps every row where it was: swapped, the
    # view keeps what is expanded and repaints those rows, instead of a reset's re-layout and repaint
    # of the whole tree on the UI thread (15-21 ms of its CPU for the 1 MB example; issue 14).
    return Patched(payload, state.changes + state.renamed if state.same_rows else None, False)


def _top(data: Any) -> tuple[str, Optional[dict[str, Any]]]:
    if isinstance(data, dict):
        return "object", data
    if isinstance(data, list):
        return "array", next((x for x in data if isinstance(x, dict)), None)
    return "", None


def _dump(value: Any) -> bytes:
    return orjson.dumps(value)


def _same(a: Any, b: Any) -> bool:
    """Whether two parsed values are the same JSON (1, 1.0 and true are not; nor are 0.0 and -0.0)."""
    kind = type(a)
    if kind is not type(b):
        return False
    if kind is dict or kind is list:
        return _dump(a) == _dump(b)
    if kind is float:
        return bool(a == b and (a != 0.0 or math.copysign(1.0, a) == math.copysign(1.0, b)))
    return bool(a == b)


def _level(old_fields: list[PayloadField], old_obj: dict[str, Any], new_obj: dict[str, Any], prefix: str,
           rows: tuple[int, ...], state: _Patch) -> list[PayloadField]:
    """The fields of one object level, matched by name as `merge` does."""
    if len(old_fields) != len(old_obj):
        raise _Mismatch
    by_name = {field.name: field for field in old_fields}
    if state.same_shape and list(new_obj) != list(by_name):
        state.same_shape = False  # a field added, removed, renamed or moved: the rows move
    out = []
    for row, (name, value) in enumerate(new_obj.items()):
        path = f"{prefix}.{name}" if prefix else name
        previous = by_name.get(name)
        if previous is None:
            out.append(infer_field(name, value, path))
            continue
        if name not in old_obj:
            raise _Mismatch
        before = old_obj[name]
        out.append(previous if _same(value, before) else _changed(previous, before, value, path, (*rows, row), state))
    if not state.same_shape and state.same_rows:
        _compare_rows(out, old_fields, rows, state)
    return out


def _compare_rows(fields: list[PayloadField], before: list[PayloadField], rows: tuple[int, ...],
                  state: _Patch) -> None:
    """Note the rows of one level that show another field than before, or that the rows moved."""
    if len(fields) != len(before):
        state.same_rows = False
        return
    for row, (field, previous) in enumerate(zip(fields, before, strict=True)):
        if field is previous or (field.name == previous.name and field.type == previous.type):
            continue  # the same field, or one merged from it (its own rows compared below it)
        if not _alike(field, previous):
            state.same_rows = False
            return
        state.renamed.append((*rows, row))


def _alike(a: PayloadField, b: PayloadField) -> bool:
    """Whether two fields hold as many rows under them, level by level."""
    return len(a.children) == len(b.children) and all(
        _alike(x, y) for x, y in zip(a.children, b.children, strict=True))


def _changed(previous: PayloadField, before: Any, value: Any, path: str, rows: tuple[int, ...],
             state: _Patch) -> PayloadField:
    """The field of a value that changed, with the settings of the field it replaces (as `merge`)."""
    ftype = infer_type(value)
    if ftype != previous.type:
        state.same_shape = False
        return infer_field(previous.name, value, path)  # another type: nothing of the old is kept
    if infer_type(before) != ftype:
        raise _Mismatch
    children: list[PayloadField] = []
    if ftype == "object":
        children = _level(previous.children, before, value, path, rows, state)
        value = None
    elif ftype == "listObject":
        children = _level(previous.children, _first(before), _first(value), path + "[]", rows, state)
    elif previous.children:
        raise _Mismatch
    if path in state.kept:
        value = previous.value  # typed in the tree: kept while the type is
    field = build_field(previous.name, ftype, value, previous.optional, children, previous.mode, previous.label)
    if ftype not in _CONTAINERS and not _same_value(value, previous.value):
        state.changes.append(rows)
    return field


def _first(items: list[Any]) -> dict[str, Any]:
    return next(x for x in items if isinstance(x, dict))


def inferred_from(old: Payload, basis: Any, kept_values: frozenset[str] = frozenset()) -> bool:
    """Whether `old` is what `merge(infer(basis), ...)` gives (its names, types and values; settings
    aside), so a re-infer may patch it against `basis`: a tree loaded from a file may hold values or
    fields its example does not show. ~20 ms for 20,000 fields instead of a full re-infer's ~110."""
    root, obj = _top(basis)
    try:
        return obj is not None and root == old.root and _matches(old.fields, obj, "", kept_values)
    except (TypeError, orjson.JSONEncodeError):
        return False


def _matches(fields: list[PayloadField], obj: dict[str, Any], prefix: str, kept: frozenset[str]) -> bool:
    if len(fields) != len(obj):
        return False
    for field, (name, value) in zip(fields, obj.items(), strict=True):
        path = f"{prefix}.{name}" if prefix else name
        ftype = infer_type(value)
        if field.name != name or field.type != ftype:
            return False
        if ftype == "object":
            if field.value is not None or not _matches(field.children, value, path, kept):
                return False
            continue
        if ftype == "listObject":
            if not _matches(field.children, _first(value), path + "[]", kept):
                return False
        elif field.children:
            return False
        if path not in kept and not _same(field.value, value):
            return False
    return True
