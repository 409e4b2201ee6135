"""Inferred fields are built without model_construct's per-field loop: they must be the very objects it
would build (same values, fields-set, copies, dumps, validated assignment)."""
from __future__ import annotations

import copy

from app.model import infer_payload
from app.model.payload import PayloadField

EXAMPLE = '{"a": null, "b": {"c": [{"d": 1.5, "e": "2024-05-01"}]}, "f": [1, 2], "g": true}'


def _reference(field: PayloadField) -> PayloadField:
    return PayloadField.model_construct(
        name=field.name, type=field.type, mode="constant", value=field.value, label="", optional=field.optional,
        children=[_reference(child) for child in field.children])


def test_an_inferred_field_is_what_model_construct_builds() -> None:
    payload = infer_payload(EXAMPLE, "request")
    for path, field in payload.walk():
        reference = _reference(field)
        assert field == reference, path
        assert list(field.__dict__) == list(reference.__dict__), path
        assert field.model_fields_set == reference.model_fields_set, path
        assert field.model_dump(by_alias=True) == reference.model_dump(by_alias=True), path
        assert (field.__pydantic_extra__, field.__pydantic_private__) == (None, None), path


def test_changing_a_copy_or_an_assignment_leaves_other_fields_alone() -> None:
    payload = infer_payload(EXAMPLE, "request")
    first, second = payload.fields[0], payload.fields[3]
    copied = copy.copy(first)
    copied.label = "Label"  # validated assignment: the fields-set only ever gains a name it has
    first.mode = "variable"
    assert (first.mode, copied.label, second.mode, second.label) == ("variable", "Label", "constant", "")
    assert second.model_fields_set == set(PayloadField.model_fields)
    assert PayloadField.model_validate(second.model_dump()) == second
