"""Values for Variable fields: type checks naming the field, missing values listed, allowNull."""
from __future__ import annotations

from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.calls.build import prepare
from app.calls.values import (
    _FITS,
    ValuesError,
    _fits_at_sight,
    _test_at_sight,
    check_values,
    coerce_text,
    example_values,
    fitting,
    inputs,
)
from app.model import Action, Endpoint, Param, infer_payload
from app.model.payload import FieldType, set_mode
from app.resolve import Resolver
from app.secrets import MemoryBackend, SecretStore


def action_with(example: str, variables: dict[str, str], allow_null: bool = False, optional: tuple[str, ...] = (),
                headers: list[Param] = ()) -> Action:
    payload = infer_payload(example)
    for path, field in payload.walk():
        if path in variables:
            set_mode(field, "variable")
            field.label = variables[path]
        if path in optional:
            field.optional = True
    return Action(name="t", endpoint=Endpoint(url="https://x.example/e", headers=list(headers)),
                  request=payload, allow_null=allow_null)


def problems(action: Action, values: dict) -> list[str]:
    with pytest.raises(ValuesError) as caught:
        check_values(action, values)
    return caught.value.problems


def test_inputs_and_examples(services) -> None:
    airship = services.workspace.load("airshipCustomEvent")
    assert [i.key for i in inputs(airship)] == ["user.named_user_id", "body.name", "body.value", "body.transaction"]
    assert example_values(airship)["body.value"] == 239.85
    labels = {i.key: i.label for i in inputs(airship)}
    assert labels["body.name"] == "Event name"


def test_type_error_names_the_field_path() -> None:
    action = action_with('{"body": {"count": 1, "when": "2024-01-01T00:00:00Z"}}',
                         {"body.count": "Count", "body.when": "When"})
    found = problems(action, {"body.count": "3", "body.when": "yesterday"})
    assert "body.count (Count): expected an integer, got the string '3'" in found
    assert any(p.startswith("body.when (When): expected a date-time") for p in found)


def test_missing_values_listed_together() -> None:
    action = action_with('{"a": "x", "b": 1, "c": true}', {"a": "A", "b": "B", "c": "C"})
    found = problems(action, {"c": True})
    assert found[0] == "missing values for: a (A), b (B)"


def test_labels_accepted_and_unknown_keys_refused() -> None:
    action = action_with('{"a": "x"}', {"a": "Customer id"})
    assert check_values(action, {"customer ID": "c1"}) == {"a": "c1"}
    found = problems(action, {"a": "x", "nope": 1})
    assert "unknown value 'nope'" in found[0] and "a" in found[0]


def test_without_allow_null_optional_fields_are_omitted_and_nulls_refused() -> None:
    action = action_with('{"a": "x", "b": ["y"], "c": "z"}', {"a": "A", "b": "B", "c": "C"}, optional=("b",))
    assert check_values(action, {"a": "1", "c": "2"}) == {"a": "1", "c": "2"}  # b omitted
    assert check_values(action, {"a": "1", "b": None, "c": "2"}) == {"a": "1", "c": "2"}
    found = problems(action, {"a": None, "c": "2"})
    assert found == ["a (A): null is not allowed (the action does not allow NULL values)"]
    found = problems(action, {"a": "1", "b": ["p", None], "c": "2"})
    assert found == ["b[1]: null item (the action does not allow NULL values)"]


def test_allow_null_keeps_nulls_drops_null_items_and_sends_null_arrays_as_empty() -> None:
    action = action_with('{"a": "x", "b": ["y"], "c": "z", "d": [1]}', {"a": "A", "b": "B", "c": "C", "d": "D"},
                         allow_null=True, optional=("c", "d"))
    checked = check_values(action, {"a": None, "b": ["p", None, "q"]})
    assert checked == {"a": None, "b": ["p", "q"], "c": None, "d": []}
    assert check_values(action, {"a": "1", "b": None, "c": "2", "d": [None, 2]})["b"] == []
    assert check_values(action, {"a": "1", "b": [], "d": [None, 2]})["d"] == [2]


def test_object_and_list_of_objects_values_are_checked_inside() -> None:
    action = action_with('{"items": [{"sku": "a", "qty": 1}]}', {"items": "Items"})
    assert check_values(action, {"items": [{"sku": "b", "qty": 2}]}) == {"items": [{"sku": "b", "qty": 2}]}
    found = problems(action, {"items": [{"sku": "b", "qty": "two"}, {"qty": 1}]})
    assert "items[0].qty: expected an integer, got the string 'two'" in found
    assert "missing value for: items[1].sku" in found


def test_variable_headers_and_query() -> None:
    action = action_with('{"a": "x"}', {"a": "A"},
                         headers=[Param(name="x-request-id", mode="variable", label="Request id")])
    found = problems(action, {"a": "1"})
    assert found == ["missing value for: header:x-request-id (Request id)"]
    assert check_values(action, {"a": "1", "Request id": 7}) == {"a": "1", "header:x-request-id": "7"}
    assert "line break" in problems(action, {"a": "1", "header:x-request-id": "a\nb"})[0]


@pytest.mark.parametrize("ftype, text, value", [
    ("integer", "42", 42), ("decimal", "2.5", 2.5), ("decimal", "3", 3), ("boolean", "yes", True),
    ("boolean", "false", False), ("string", " a ", " a "), ("listString", '["a", "b"]', ["a", "b"]),
    ("listString", "a|b", ["a", "b"]), ("object", '{"k": 1}', {"k": 1}), ("integer", "", None),
    ("string", "null", None),
])
def test_coerce_text(ftype: str, text: str, value: object) -> None:
    assert coerce_text(ftype, text) == value


def test_coerce_text_errors() -> None:
    with pytest.raises(ValueError, match="expected an integer"):
        coerce_text("integer", "4.5")
    with pytest.raises(ValueError, match="true or false"):
        coerce_text("boolean", "maybe")


def test_scalars_fit_exactly_their_type() -> None:
    # The fast path for plain scalars keeps type_problem's verdicts: a bool is no integer or number,
    # an integer is a number, NaN and infinity are no JSON numbers.
    action = action_with('{"i": 1, "d": 1.5, "b": true, "s": "x"}', {"i": "I", "d": "D", "b": "B", "s": "S"})
    assert check_values(action, {"i": 3, "d": 2, "b": False, "s": ""}) == {"i": 3, "d": 2, "b": False, "s": ""}
    found = problems(action, {"i": True, "d": float("nan"), "b": 1, "s": 5})
    assert "i (I): expected an integer, got a boolean" in found
    assert any(p.startswith("d (D): nan is not a JSON number") for p in found)
    assert "b (B): expected true or false, got an integer" in found
    assert "s (S): expected a string, got an integer" in found
    assert any(p.startswith("d (D): inf is not a JSON number") for p in problems(action, {
        "i": 1, "d": float("inf"), "b": True, "s": "x"}))


_ANY_VALUE = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8),
                       st.sampled_from(["2024-01-01T00:00:00Z", "2024-01-01", "2024-13-99T", "x\ny"]),
                       st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2))
_TYPED = action_with('{"s": "x", "i": 1, "d": 1.5, "b": true, "t": "2024-01-01T00:00:00Z", "o": "2024-01-01"}',
                     {k: k.upper() for k in "sidbto"}, headers=[Param(name="X-Id", value="v", mode="variable")])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["s", "i", "d", "b", "t", "o", "header:X-Id", "S"]), _ANY_VALUE))
def test_the_quick_check_gives_what_the_whole_check_gives(raw: dict) -> None:
    """Prepared.check takes a shortcut for values that fit at sight (the bulk and journey paths):
    the same values in the same order, or the same problems, as check_values."""
    prepared = prepare(_TYPED, Resolver(SecretStore(MemoryBackend())))
    try:
        expected = check_values(_TYPED, raw)
    except ValuesError as exc:
        with pytest.raises(ValuesError) as caught:
            prepared.check(raw)
        assert caught.value.problems == exc.problems
        return
    got = prepared.check(raw)
    assert list(got.items()) == list(expected.items())
    if fitting(prepared.inputs, raw) is not None:
        assert list(fitting(prepared.inputs, raw).items()) == list(expected.items())


def test_the_quick_check_takes_dates_and_numbers_as_they_are() -> None:
    prepared = prepare(_TYPED, Resolver(SecretStore(MemoryBackend())))
    raw = {"s": "a", "i": 2, "d": 3, "b": False, "t": "2026-11-23T12:00:00Z", "o": "2026-11-23", "header:X-Id": "7"}
    assert fitting(prepared.inputs, raw) == check_values(_TYPED, raw)
    assert fitting(prepared.inputs, {**raw, "d": float("nan")}) is None  # the whole check names it
    assert fitting(prepared.inputs, {**raw, "t": "yesterday"}) is None
    assert fitting(prepared.inputs, {**raw, "header:X-Id": "a\nb"}) is None


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(get_args(FieldType)), _ANY_VALUE)
def test_a_fields_test_at_sight_is_the_general_one(ftype: str, value: object) -> None:
    # What fitter() asks of a value: its exact type one its field takes as it is, else the field's own test.
    exact = {kind for field_type, kind in _FITS if field_type == ftype}
    assert (type(value) in exact or _test_at_sight(ftype)(value)) == _fits_at_sight(ftype, value)
