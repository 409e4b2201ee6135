"""A re-infer patched against the document the tree came from is the tree a full re-infer and merge
give (fields, settings, kept values, changed rows), and it leaves the old tree as it was."""
from __future__ import annotations

import json
from typing import Any, Callable, Optional

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.model.payload import Payload, PayloadField
from tests.helpers.imports import drawn_with_plain_imports
from ui.payload.infer import changed_rows, example_to_payload, merge, parse_example
from ui.payload.patch import inferred_from, patch

NAMES = ("a", "b", "c", "items", "when")
SCALARS = st.one_of(  # few values: a value changed is often one that shows the same (0.0, -0.0) or another type
    st.none(), st.booleans(), st.sampled_from([0, 1]), st.sampled_from([0.0, -0.0, 1.0]),
    st.sampled_from(["x", "", "2024-05-01", "2024-05-01T10:00:00Z"]))
LEAVES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3))
TYPED = {"string": ["typed", ""], "integer": [0, 5], "decimal": [0.0, -0.0, 2.5], "boolean": [False, True],
         "dateTime": ["2025-01-01T00:00:00Z"], "dateOnly": ["2024-05-01"]}


def _objects(values: st.SearchStrategy[Any], min_size: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(NAMES), values, min_size=min_size, max_size=4)


def _nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(LEAVES, _objects(inner, 1), st.lists(_objects(inner, 1), min_size=1, max_size=2))


VALUES = _nested(_nested(LEAVES))  # three levels at most
DOCS = st.one_of(_objects(VALUES, 3), st.lists(_objects(VALUES, 3), min_size=1, max_size=2))


def _mutated(draw: Callable[..., Any], value: Any, refused: tuple[str, ...] = (), top: bool = True) -> Any:
    """`value` with some of its parts replaced, renamed, dropped, added or moved (most kept); names
    added may be `refused` ones. (Hypothesis favours 0: it keeps the value as it is.)"""
    choice = draw(st.integers(0, 19))
    if choice == 0:
        return value
    if choice == 19 and not top:
        return draw(VALUES)
    if isinstance(value, dict):
        items = [(k, _mutated(draw, v, refused, False)) for k, v in value.items()]
        if choice == 16 and items:
            items.pop(draw(st.integers(0, len(items) - 1)))
        elif choice == 17:
            items.append((draw(st.sampled_from(NAMES + refused)), draw(VALUES)))
        elif choice == 18:
            items.reverse()
        return dict(items)
    if isinstance(value, list):
        return [_mutated(draw, item, refused, False) for item in value]
    return draw(SCALARS) if choice >= 10 else value


# One draw from the test for a whole document or tree: its parts are drawn inside the strategy. (Each
# draw from st.data() in the test itself costs hypothesis about twice a nested one: ~90 against ~45 us, and
# there were ~50 an example.)
mutations = st.composite(_mutated)


def _typed(value: Any) -> Any:
    """A value with its JSON type spelled out (1, 1.0, true and 0.0, -0.0 differ)."""
    if isinstance(value, dict):
        return ("object", tuple((k, _typed(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("array", tuple(_typed(v) for v in value))
    return (type(value).__name__, repr(value))


def _tree(fields: list[PayloadField]) -> Any:
    return tuple((f.name, f.type, f.mode, f.label, f.optional, _typed(f.value), _tree(f.children)) for f in fields)


def _whole(payload: Payload) -> Any:
    return payload.example, payload.root, _tree(payload.fields)


def _infer(text: str) -> Optional[Payload]:
    try:
        return example_to_payload(text, "request")
    except ValueError:
        return None


@st.composite
def _setting_edits(draw: Callable[..., Any], payload: Payload) -> list[tuple[int, Any]]:
    """What a user may do in the tree, a move for each field in walk order: modes, labels, optional
    flags and typed constant values."""
    moves = []
    for _path, field in payload.walk():
        move = draw(st.integers(0, 6))
        value = draw(st.sampled_from(TYPED[field.type])) if move in (2, 3) and field.type in TYPED else None
        moves.append((move, value))
    return moves


def _edit_settings(data: st.DataObject, payload: Payload, kept: set[str]) -> None:
    for (path, field), (move, value) in zip(payload.walk(), data.draw(_setting_edits(payload)), strict=True):
        if move == 0:
            field.mode = "variable"
            field.label = field.label or field.name
        elif move == 1:
            field.optional = not field.optional
        elif move in (2, 3) and field.type in TYPED:
            field.value = value  # of its type: what the tree accepts
            kept.add(path)


@drawn_with_plain_imports
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), older_doc=DOCS)
def test_a_patched_tree_is_the_merged_re_inferred_tree(data: st.DataObject, older_doc: Any) -> None:
    older = _infer(json.dumps(older_doc))
    if older is None:
        return
    kept: set[str] = set()
    _edit_settings(data, older, kept)
    old_doc = data.draw(mutations(older_doc))
    old_text = json.dumps(old_doc, indent=data.draw(st.sampled_from([None, 2])))
    old = _infer(old_text)
    if old is None:
        return
    merge(old, older, frozenset(kept))  # the tree as a re-infer left it, then edited in the tree
    _edit_settings(data, old, kept)
    new_text = json.dumps(data.draw(mutations(old_doc, ("x.y", "$z"))))
    before = _whole(old)
    full = _infer(new_text)
    patched = patch(new_text, parse_example(new_text, "request"), old, parse_example(old_text, "request"),
                    frozenset(kept))
    assert _whole(old) == before  # the shown tree (maybe held by an undo step) is never changed
    assert inferred_from(old, parse_example(old_text, "request"), frozenset(kept))  # what a load checks
    if full is None:  # a refused name or a top level without an object: the full path says why
        assert patched is None
        return
    merge(full, old, frozenset(kept))
    assert patched is not None
    payload, changes, same_shape = patched
    assert _whole(payload) == _whole(full)
    expected = changed_rows(full, old)
    assert same_shape == (expected is not None)
    if expected is not None:
        assert changes is not None and sorted(changes) == sorted(expected)
    elif full.root == old.root and _rows(full.fields) == _rows(old.fields):  # every row where it was
        assert changes is not None
        repainted = set(changes)
        for place in _differing(full.fields, old.fields, ()):
            assert any(place[:depth] in repainted for depth in range(1, len(place) + 1)), place
    else:
        assert changes is None  # rows added, removed or holding other rows: the view is reset


def _rows(fields: list[PayloadField]) -> Any:
    return tuple(_rows(f.children) for f in fields)


def _differing(fields: list[PayloadField], before: list[PayloadField], rows: tuple[int, ...]) -> Any:
    """The rows (of two trees with the same rows) that show something else."""
    for row, (field, previous) in enumerate(zip(fields, before, strict=True)):
        shown = [(f.name, f.type, f.mode, f.label, f.optional,
                  None if f.type in ("object", "listObject") else _typed(f.value)) for f in (field, previous)]
        if shown[0] != shown[1]:
            yield (*rows, row)
        yield from _differing(field.children, previous.children, (*rows, row))


def test_what_did_not_change_is_shared_and_what_changed_is_new() -> None:
    old_text = json.dumps({"a": {"b": 1, "c": [{"d": "x"}]}, "e": [1, 2], "f": "same"})
    new_text = json.dumps({"a": {"b": 2, "c": [{"d": "x"}]}, "e": [1, 2], "f": "same"})
    old = example_to_payload(old_text, "request")
    assert old is not None
    patched = patch(new_text, parse_example(new_text, "request"), old, parse_example(old_text, "request"))
    assert patched is not None
    payload, changes, same_shape = patched
    assert changes == [(0, 0)] and same_shape
    assert payload.fields[1] is old.fields[1] and payload.fields[2] is old.fields[2]
    assert payload.fields[0].children[1] is old.fields[0].children[1]
    assert payload.fields[0] is not old.fields[0] and payload.fields[0].children[0].value == 2
    assert old.fields[0].children[0].value == 1


def test_numbers_orjson_cannot_write_are_left_to_the_full_path() -> None:
    old_text, new_text = '{"a": 1, "b": 123456789012345678901234}', '{"a": 2, "b": 123456789012345678901234}'
    old = example_to_payload(old_text, "request")
    assert old is not None
    assert patch(new_text, parse_example(new_text, "request"), old, parse_example(old_text, "request")) is None


def test_values_python_finds_equal_but_json_does_not_are_changes() -> None:
    for old_doc, new_doc, rows in (({"a": 0.0, "b": "x"}, {"a": -0.0, "b": "x"}, [(0,)]),
                                   ({"a": [1], "b": "x"}, {"a": [1.0], "b": "x"}, None),
                                   ({"a": {"c": 1}, "b": "x"}, {"a": {"c": True}, "b": "x"}, None)):
        # (None: another type, so another shape for changed_rows; the patch repaints that row)
        old_text, new_text = json.dumps(old_doc), json.dumps(new_doc)
        old, full = example_to_payload(old_text, "request"), example_to_payload(new_text, "request")
        assert old is not None and full is not None
        patched = patch(new_text, parse_example(new_text, "request"), old, parse_example(old_text, "request"))
        assert patched is not None
        assert _whole(patched.payload) == _whole(full), new_doc
        assert patched.same_shape == (rows is not None) and rows == changed_rows(full, old), new_doc
        assert patched.changes == (rows or [(0, 0) if "c" in new_doc["a"] else (0,)]), new_doc
