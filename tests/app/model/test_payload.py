"""Payload inference on the seeds' payloads; JSON errors with line and column; modes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.model import JsonError, infer_payload
from app.model.payload import infer_type, set_mode, type_problem

SEEDS = Path(__file__).resolve().parents[2] / "seeds"  # copies of shared/seeds pages 000 and 004


def _seed_blocks(name: str) -> list[str]:
    text = next(SEEDS.glob(name)).read_text("utf-8")
    blocks, inside, cur = [], False, []
    for line in text.splitlines():
        if line.strip().startswith("```"):
            if inside:
                blocks.append("\n".join(cur))
                cur = []
            inside = not inside
            continue
        if inside:
            cur.append(line)
    return blocks


def test_seed_000_request_payload_is_broken_and_says_where() -> None:
    broken = next(b for b in _seed_blocks("000_*") if '"xdmMeta"' in b and "advertising.completes" in b)
    with pytest.raises(JsonError) as info:
        infer_payload(broken, "request payload")
    err = info.value
    line = broken.splitlines()[err.line - 1]
    assert '"eventType": "advertising.completes,' in line
    assert "not closed" in err.message
    assert str(err).startswith("request payload: line 16, column ")


def test_seed_000_envelope_infers_every_field_constant() -> None:
    envelope = next(b for b in _seed_blocks("000_*") if b.lstrip().startswith("{\n\"header\""))
    payload = infer_payload(envelope)
    paths = dict((p, f) for p, f in payload.walk())
    assert paths["body.xdmEntity._id"].type == "string"
    assert paths["body.xdmEntity.timestamp"].type == "dateTime"
    assert paths["header.schemaRef"].type == "object"
    assert paths["body.xdmEntity.<your_org>.nodeId"].type == "string"
    assert all(f.mode == "constant" for f in paths.values())


def test_seed_004_event_types() -> None:
    example = next(b for b in _seed_blocks("004_*") if b.lstrip().startswith("POST /api/custom-events"))
    body = example[example.index("["):]
    payload = infer_payload(body)
    assert payload.root == "array"
    types = {p: f.type for p, f in payload.walk()}
    assert types["occurred"] == "dateTime"
    assert types["body.value"] == "decimal"
    assert types["body.properties.colors"] == "listString"
    assert types["body.properties.items"] == "listObject"
    assert types["body.properties.items[].price"] == "string"
    assert types["user.named_user_id"] == "string"


@pytest.mark.parametrize("value, expected", [
    ("x", "string"), (1, "integer"), (1.5, "decimal"), (True, "boolean"), ("2020-05-02T02:31:22", "dateTime"),
    ("2018-11-12T20:20:39+00:00", "dateTime"), ("2020-05-02", "dateOnly"), ({}, "object"), ([1, 2], "listInteger"),
    ([1, 2.5], "listDecimal"), (["a"], "listString"), ([True], "listBoolean"), (["2020-01-01T00:00:00Z"], "listDateTime"),
    ([{"a": 1}], "listObject"), ([1, "a"], "listAny"), ([[1]], "listAny"), ([], "listAny"), ([None, 1], "listInteger"),
])
def test_type_inference(value: object, expected: str) -> None:
    assert infer_type(value) == expected


def test_first_object_of_an_array_defines_the_items() -> None:
    payload = infer_payload(json.dumps({"items": [{"a": 1}, {"b": 2}]}))
    assert [p for p, _ in payload.walk()] == ["items", "items[].a"]


@pytest.mark.parametrize("doc, where", [({"a.b": 1}, "a.b"), ({"x": {"$ref": 1}}, "x.$ref"), ({"l": [{"p.q": 1}]}, "l[].p.q")])
def test_refused_field_names(doc: dict, where: str) -> None:
    with pytest.raises(ValueError) as info:
        infer_payload(json.dumps(doc))
    assert where in str(info.value)


def test_top_level_scalar_refused() -> None:
    with pytest.raises(ValueError, match="object or an array"):
        infer_payload("42")


def test_array_variable_carries_children() -> None:
    payload = infer_payload(json.dumps({"items": [{"a": 1, "b": {"c": 2}}], "n": 1}))
    items = payload.find("items")
    assert items is not None
    set_mode(items, "variable")
    assert [f.mode for _, f in payload.walk()] == ["variable", "variable", "variable", "variable", "constant"]
    assert [p for p, _ in payload.variables()] == ["items"]


def test_type_problems_name_what_was_expected() -> None:
    assert type_problem("integer", "3") == "expected an integer, got the string '3'"
    assert type_problem("integer", True) is not None
    assert type_problem("decimal", 3) is None
    assert type_problem("listInteger", [1, "x"]) == "item 1: expected an integer, got the string 'x'"
    assert type_problem("dateTime", "yesterday") is not None
    assert type_problem("listObject", [{"a": 1}]) is None


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=5), kids, max_size=3),
                    max_leaves=20))
def test_inference_never_crashes(doc: object) -> None:
    try:
        infer_payload(json.dumps(doc))
    except ValueError:
        pass  # refused with a message (a scalar document, a refused field name) is fine


def test_an_example_without_fields_gets_them_inferred() -> None:
    from app.model import Payload

    payload = Payload(example='[{"sku": "X", "qty": 2, "tags": ["a"]}]')
    assert payload.root == "array"
    assert [(p, f.type, f.value) for p, f in payload.walk()] == [
        ("sku", "string", "X"), ("qty", "integer", 2), ("tags", "listString", ["a"])]
    assert Payload(example="{}").fields == [] and Payload(example="").fields == []


@pytest.mark.parametrize("example, says", [
    ("{bad", "example: line 1, column 2: expected a property name"),
    ("[1, 2]", "example: a top-level array must hold objects"),
    ('"text"', "example: the example must be a JSON object or an array of objects"),
])
def test_an_unreadable_example_without_fields_is_refused(example: str, says: str) -> None:
    from pydantic import ValidationError

    from app.model import Action, error_lines

    with pytest.raises(ValidationError) as info:
        Action.model_validate({"name": "a", "request": {"example": example}})
    (line,) = error_lines(info.value)
    assert line.startswith("request: " + says) and "the payload lists no fields" in line
