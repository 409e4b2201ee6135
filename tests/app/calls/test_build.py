"""The concrete request: URL with dynamic path and query, headers, payload from constants + values."""
from __future__ import annotations

import json

import pytest

from app.calls.build import SetupError, build, join_path, prepare
from app.calls.values import example_values
from app.model import Action, Endpoint, Param, SecretRef, infer_payload
from app.model.payload import set_mode
from app.resolve import Resolver


@pytest.fixture
def plain(secrets) -> Resolver:
    return Resolver(secrets, overrides={"host": "https://api.example", "tenant": "acme"})


def test_join_path_keeps_the_query_last() -> None:
    assert join_path("https://h/collection/x?syncValidation=false", "a/b") == \
        "https://h/collection/x/a/b?syncValidation=false"
    assert join_path("https://h/base/", "/c?d=1") == "https://h/base/c?d=1"


def test_url_headers_query_and_payload(plain: Resolver, secrets) -> None:
    ref = secrets.put("s3cr3t-value")
    payload = infer_payload('{"id": "x", "tenant": "{{tenant}}", "meta": {"v": 1, "tags": ["a"]}}')
    set_mode(payload.find("id"), "variable")
    action = Action(name="t", endpoint=Endpoint(
        url="{{host}}/v1/items?x=1",
        headers=[Param(name="X-Key", value=ref), Param(name="x-req", mode="variable", label="Req")],
        query=[Param(name="q", value="{{tenant}}"), Param(name="page", mode="variable")]),
        request=payload)
    out = build(action, {"id": "i-1", "Req": "r-9", "query:page": "2"}, plain, path_suffix="i-1/events")
    assert out.url == "https://api.example/v1/items/i-1/events?x=1&q=acme&page=2"
    assert out.headers["X-Key"] == "s3cr3t-value" and out.headers["x-req"] == "r-9"
    assert out.headers["Content-Type"] == "application/json"
    assert json.loads(out.body) == {"id": "i-1", "tenant": "acme", "meta": {"v": 1, "tags": ["a"]}}
    assert "s3cr3t-value" in plain.secret_values


def test_array_root_sends_one_item_in_a_list(services, resolver) -> None:
    action = services.workspace.load("airshipCustomEvent")
    values = example_values(action) | {"body.name": "opened", "body.value": 3}
    body = json.loads(build(action, values, resolver).body)
    assert isinstance(body, list) and len(body) == 1
    assert body[0]["body"]["name"] == "opened" and body[0]["body"]["value"] == 3
    assert body[0]["body"]["properties"]["items"][1]["text"] == "Old Line Sneakers"  # constants as configured


def test_optional_unfilled_field_is_omitted_or_null_with_allow_null(plain: Resolver) -> None:
    payload = infer_payload('{"a": "x", "b": "y", "c": null}')
    for name in ("a", "b"):
        set_mode(payload.find(name), "variable")
    payload.find("b").optional = True
    action = Action(name="t", endpoint=Endpoint(url="https://h/x"), request=payload)
    assert json.loads(build(action, {"a": "1"}, plain).body) == {"a": "1"}  # b omitted, null constant c omitted
    nullable = action.model_copy(update={"allow_null": True})
    assert json.loads(build(nullable, {"a": "1"}, plain).body) == {"a": "1", "b": None, "c": None}


def test_constant_list_of_objects_with_a_variable_child(plain: Resolver) -> None:
    payload = infer_payload('{"items": [{"sku": "a", "qty": 1}, {"sku": "b", "qty": 2}]}')
    set_mode(payload.find("items[].qty"), "variable")
    action = Action(name="t", endpoint=Endpoint(url="https://h/x"), request=payload)
    assert json.loads(build(action, {"items[].qty": 5}, plain).body) == \
        {"items": [{"sku": "a", "qty": 5}, {"sku": "b", "qty": 5}]}


def test_undefined_variable_is_a_setup_error_naming_it(secrets) -> None:
    action = Action(name="t", endpoint=Endpoint(url="{{nowhere}}/x"))
    with pytest.raises(SetupError, match=r"\{\{nowhere\}\}"):
        prepare(action, Resolver(secrets))


def test_missing_secret_is_a_setup_error(plain: Resolver) -> None:
    action = Action(name="t", endpoint=Endpoint(url="https://h/x", headers=[Param(name="k", value=SecretRef(secret="gone"))]))
    with pytest.raises(SetupError, match="header k"):
        prepare(action, plain)


def test_get_sends_no_body_and_a_given_body_replaces_the_payload(plain: Resolver) -> None:
    get = Action(name="t", endpoint=Endpoint(url="https://h/x", method="GET"))
    assert build(get, {}, plain).body is None
    post = Action(name="p", endpoint=Endpoint(url="https://h/x"), request=infer_payload('{"a": 1}'))
    prepared = prepare(post, plain)
    assert prepared.render({}, body={"raw": True}).body == b'{"raw":true}'


def test_post_without_a_request_payload_sends_no_body(plain: Resolver) -> None:
    action = Action(name="t", endpoint=Endpoint(url="https://h/x"))
    assert build(action, {}, plain).body is None


def _encoded(prepared, values) -> bytes:
    """The payload as rendered whole, then encoded: what the template must reproduce byte for byte."""
    from app.calls.build import _dumps, _render

    body = _render(prepared.plan, values)
    return _dumps([body] if prepared.root == "array" else body)


def test_payload_template_gives_the_bytes_of_the_whole_payload(services, resolver, plain: Resolver) -> None:
    for name in services.workspace.names():
        action = services.workspace.load(name)
        prepared = prepare(action, resolver)
        if prepared.plan is None:
            continue
        values = prepared.check(example_values(action))
        assert prepared.render(values).body == _encoded(prepared, values), name
    payload = infer_payload('{"a": "x", "b": {"c": 1, "d": "é\\"", "e": [1.5, null]}, "f": true}')
    for path in ("a", "b.d", "b.e", "f"):
        set_mode(payload.find(path), "variable")
    payload.find("b.d").optional = True
    prepared = prepare(Action(name="t", endpoint=Endpoint(url="https://h/x"), request=payload), plain)
    full = {"a": "ü\n\"q\"", "b.d": None, "b.e": [2.25, None, {"k": "v"}], "f": False}
    assert prepared.render(full).body == _encoded(prepared, full)
    assert json.loads(prepared.render(full).body)["b"] == {"c": 1, "d": None, "e": [2.25, None, {"k": "v"}]}
    partial = {k: v for k, v in full.items() if k != "b.d"}  # an unfilled optional field: rendered, omitted
    assert json.loads(prepared.render(partial).body)["b"] == {"c": 1, "e": [2.25, None, {"k": "v"}]}


@pytest.mark.parametrize("suffix", ["../../_sandbox/faults", "a/../../b", "..", "./x", "%2e%2e/x", "x/%2E%2E",
                                    "..%2f..%2fadmin", "a\\..\\..\\b", "../x?y=1"])
def test_a_dynamic_path_may_not_climb_above_the_url_path(plain: Resolver, suffix: str) -> None:
    action = Action(name="t", endpoint=Endpoint(url="{{host}}/v1/items"))
    with pytest.raises(SetupError, match="may not climb above"):
        build(action, {}, plain, path_suffix=suffix)


def test_dots_inside_a_segment_are_fine(plain: Resolver) -> None:
    action = Action(name="t", endpoint=Endpoint(url="{{host}}/v1/items"))
    assert build(action, {}, plain, path_suffix="v1.2/..x/a..b").url == "https://api.example/v1/items/v1.2/..x/a..b"
