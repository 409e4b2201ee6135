"""OpenAPI 3.0 (YAML) and 3.1 (JSON): the bundled documents import; an operation becomes an action
with its server and path, parameters, security and a payload (examples first, then the types)."""
from __future__ import annotations

import json

import pytest

from app.interop import openapi
from app.interop.report import InteropError
from app.model import CustomAuth
from tests.app.interop.helpers import DATA

ORDERS = DATA / "openapi" / "orders-3.0.yaml"
EVENTS = DATA / "openapi" / "events-3.1.json"


def _read(path, operation=None):
    return openapi.read_operation(path.read_text("utf-8"), path.name, operation)


def test_operations_are_listed_with_their_ids() -> None:
    ops = openapi.operations(openapi.load(ORDERS.read_text("utf-8"), ORDERS.name))
    assert [(o.id, o.method, o.path) for o in ops] == [
        ("createOrder", "POST", "/orders"), ("getOrder", "GET", "/orders/{orderId}"),
        ("updateOrderStatus", "PUT", "/orders/{orderId}"), ("cancelOrder", "DELETE", "/orders/{orderId}")]


def test_create_order_gets_url_headers_auth_and_a_payload_from_the_schema() -> None:
    report = _read(ORDERS, "createOrder")
    [item] = report.items
    action = item.action
    assert action.name == "createOrder" and action.description == "Create an order"
    assert action.endpoint.url == "https://eu.orders.example.com/v1/orders"  # the server variable's default
    assert [(h.name, h.mode) for h in action.endpoint.headers[2:]] == [("X-Request-Id", "variable")]
    assert [(q.name, q.value) for q in action.endpoint.query] == [("dryRun", "false")]
    notes = "\n".join(report.lines())
    assert "optional query parameter trace was left out (no example value)" in notes
    assert "cookie parameter session cannot be sent" in notes
    assert isinstance(action.auth, CustomAuth) and action.auth.endpoint == "https://auth.example.com/oauth/token"
    assert item.missing_secrets == ["auth.body.bodyParams.client_secret"]
    request = action.request
    assert request is not None
    example = json.loads(request.example)
    # examples first (cust-42, SKU-1), then the types (format, minimum); the recursive $ref left out
    assert example == {"customer": {"id": "cust-42", "email": "user@example.com"},
                       "lines": [{"sku": "SKU-1", "quantity": 1, "price": 0.5}],
                       "placedAt": "2025-01-31T12:00:00Z", "giftWrap": True}
    variables = {path for path, field in request.walk() if field.mode == "variable"}
    assert {"customer.id", "lines"} <= variables and "customer.email" not in variables
    assert request.find("placedAt").type == "dateTime"
    assert action.response is not None and json.loads(action.response.example)["status"] == "new"  # allOf merged


def test_path_parameters_are_cut_and_said() -> None:
    report = _read(ORDERS, "updateOrderStatus")
    action = report.items[0].action
    assert action.endpoint.url == "https://eu.orders.example.com/v1/orders" and action.endpoint.method == "PUT"
    assert action.auth.type == "apiKey" and action.auth.name == "X-Api-Key"  # the operation's own security
    assert json.loads(action.request.example) == {"status": "shipped", "note": "left at the door"}
    assert any("'{orderId}' were cut" in line for line in report.lines())


def test_openapi_31_json_imports_with_examples_and_bearer() -> None:
    report = _read(EVENTS)  # one operation: no need to choose
    action = report.items[0].action
    assert action.endpoint.url == "https://go.example.com/api/custom-events"
    request = action.request
    assert request is not None and request.root == "array"
    assert json.loads(request.example)[0]["body"]["value"] == 239.85  # the media type's examples
    variables = {path for path, field in request.walk() if field.mode == "variable"}
    assert variables == {"occurred", "user.named_user_id", "body.name"}
    headers = {h.name: h for h in action.endpoint.headers}
    assert headers["Accept"].value == "application/vnd.urbanairship+json; version=3"
    assert report.items[0].missing_secrets == ["endpoint.headers.Authorization"]


@pytest.mark.parametrize("text, operation, message", [
    (ORDERS.read_text("utf-8"), None, "4 operations; choose one with --operation: createOrder"),
    (ORDERS.read_text("utf-8"), "nope", "no operation 'nope'"),
    (ORDERS.read_text("utf-8"), "cancelOrder", "DELETE /orders/{orderId}: the platform's custom actions use"),
    ("openapi: 3.0.3\ninfo: {title: x\n", None, "line 3, column 1"),
    ('{"swagger": "2.0"}', None, "convert Swagger 2.0 to OpenAPI 3"),
    ('{"openapi": "3.0.3", "info": {"title": "x"}, "paths": {}}', None,
     r"\$.info \(line 1, column 22\): 'version' is a required"),
    ("openapi: 3.0.3\ninfo:\n  title: x\n  version: '1'\npaths:\n  /a:\n    get:\n      responses:\n"
     "        '200': {}\n", None, r"\$.paths\['/a'\].get.responses\['200'\] \(line 9, column 9\): "),
])
def test_bad_documents_and_choices_say_what_and_where(text: str, operation, message: str) -> None:
    with pytest.raises(InteropError, match=message.replace("{", r"\{").replace("}", r"\}")):
        openapi.read_operation(text, "api.yaml", operation)


def test_a_ref_outside_the_document_is_refused_without_fetching_it() -> None:
    from tests.helpers.servers import Server, answer

    with Server(answer(200, {"Thing": {"type": "object"}})) as server:
        doc = {"openapi": "3.0.3", "info": {"title": "x", "version": "1"},
               "paths": {"/x": {"post": {"operationId": "x", "requestBody": {"content": {"application/json": {
                   "schema": {"$ref": f"{server.url}/remote.yaml#/Thing"}}}},
                   "responses": {"200": {"description": "ok"}}}}}}
        with pytest.raises(InteropError, match="points outside the document; bundle the document"):
            openapi.read_operation(json.dumps(doc), "remote.json")
    assert server.requests == []


def test_yaml_reads_as_pyyaml_reads_it_and_a_bad_one_says_what_pyyaml_says() -> None:
    """(libyaml reads it when PyYAML has it; its messages are terser: a refused text is read again.)"""
    import yaml

    text = ORDERS.read_text("utf-8")
    assert openapi._parse(text, "orders.yaml") == openapi._plain(yaml.safe_load(text))
    with pytest.raises(InteropError, match=r"line 2, column 1: not valid YAML \(expected ',' or '}', but got"):
        openapi._parse("a: {b: c\n", "x.yaml")
