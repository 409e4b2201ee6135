"""Re-inferring keeps the settings of every field whose path and type are unchanged (the merge walks
both trees side by side; it must match exactly the fields a path-by-path lookup would)."""
from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.model.payload import Payload, set_mode
from tests.helpers.imports import drawn_with_plain_imports
from ui.payload.infer import example_to_payload, field_count, merge

NAMES = st.sampled_from(["a", "b", "c", "id"])
LEAVES = st.one_of(st.none(), st.integers(-5, 5), st.text("xy", max_size=2), st.booleans())
VALUES = st.recursive(LEAVES, lambda inner: st.one_of(
    st.dictionaries(NAMES, inner, max_size=3), st.lists(st.dictionaries(NAMES, inner, max_size=3), max_size=2)),
    max_leaves=8)
DOCS = st.dictionaries(NAMES, VALUES, min_size=1, max_size=3)


def _path_merge(new: Payload, old: Payload, kept: frozenset[str]) -> dict[str, tuple[Any, ...]]:
    """The settings a path-by-path merge gives each new field (the rule, written the plain way)."""
    before = dict(old.walk())
    out = {}
    for path, field in new.walk():
        previous = before.get(path)
        if previous is not None and previous.type == field.type:
            out[path] = (previous.mode, previous.label, previous.optional,
                         previous.value if path in kept else field.value)
        else:
            out[path] = (field.mode, field.label, field.optional, field.value)
    return out


def _settings_of(payload: Payload) -> dict[str, tuple[Any, ...]]:
    return {path: (f.mode, f.label, f.optional, f.value) for path, f in payload.walk()}


def _customised(doc: dict[str, Any]) -> Payload:
    old = example_to_payload(json.dumps(doc), "request")
    assert old is not None
    for number, (_, field) in enumerate(old.walk()):
        if number % 2 == 0:
            set_mode(field, "variable")
            field.label = f"label {number}"
        field.optional = number % 3 == 0
        if field.type == "integer":
            field.value = 40 + number
    return old


@drawn_with_plain_imports
@settings(max_examples=150, deadline=None)
@given(DOCS, DOCS, st.booleans())
def test_merge_keeps_the_settings_a_path_lookup_would(before: dict[str, Any], after: dict[str, Any],
                                                       keep: bool) -> None:
    old = _customised(before)
    new = example_to_payload(json.dumps(after), "request")
    assert new is not None
    kept = frozenset(path for path, _ in old.walk()) if keep else frozenset()
    expected = _path_merge(new, old, kept)
    assert _settings_of(merge(new, old, kept)) == expected


def test_fields_below_an_object_that_became_an_array_of_objects_start_afresh() -> None:
    old = _customised({"a": {"b": 1}})
    new = example_to_payload('{"a": [{"b": 2}]}', "request")
    assert new is not None
    merged = merge(new, old)
    assert merged.find("a[].b") is not None and merged.find("a[].b").mode == "constant"
    assert field_count(merged) == (2, 0)
    assert old.find("a.b") is not None and old.find("a.b").mode == "variable"
