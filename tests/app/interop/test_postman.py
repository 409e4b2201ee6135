"""Postman Collection v2.1: our exports validate against the published schema and import back to
the same actions (secrets aside); a collection as Postman writes it imports with a clear report."""
from __future__ import annotations

import json
import re

import pytest

from app.interop import postman, postman_read
from app.interop.report import InteropError
from app.model import Action, CustomAuth
from app.model.base import SecretRef
from app.model.environment import Environment, Variable
from app.secrets import SecretStore
from app.store import Workspace
from app.transfer import import_items
from tests.app.interop.helpers import DATA, comparable, postman_errors, sample_actions


def _variable_header_action() -> Action:
    return Action.model_validate({
        "name": "variableParts", "description": "Variable header and query, a custom auth Postman lacks",
        "endpoint": {"url": "https://api.example.com/v1/things?fixed=1", "method": "PUT",
                     "headers": [{"name": "X-Tenant", "mode": "variable", "label": "Tenant id"},
                                 {"name": "X-Env", "value": "{{envName}}"}],
                     "query": [{"name": "lang", "mode": "variable", "label": "Language"},
                               {"name": "v", "value": "2"}]},
        "auth": {"type": "customAuthorization", "endpoint": "https://auth.example.com/token", "method": "POST",
                 "headers": {"X-Client": "studio"}, "body": {"bodyType": "json", "bodyParams": {
                     "user": "svc", "password": {"secret": "k/password"}}},
                 "tokenInResponse": "json://data.token", "authorizationType": "header", "tokenTarget": "X-Token",
                 "cacheDuration": {"duration": 50, "timeUnit": "minutes"}},
        "request": {"example": json.dumps({"items": [{"sku": "a", "qty": 1}], "when": "2025-01-31T12:00:00Z",
                                           "flag": True, "note": None})},
        "response": {"example": json.dumps({"ok": True, "id": "x"})},
        "errorResponse": {"example": json.dumps({"error": {"code": 7, "message": "no"}})},
        "timeoutSeconds": 12, "allowNull": True,
    })


def _with_variables(action: Action) -> Action:
    request = action.request
    assert request is not None
    request.find("flag").optional = True  # and "note" (null in the example) is optional already
    for path, label in (("items", "Items"), ("when", "When")):
        field = request.find(path)
        assert field is not None
        from app.model.payload import set_mode

        set_mode(field, "variable")
        field.label = label
    return action.model_copy(update={"request": request.model_validate(request.model_dump(by_alias=True))})


@pytest.mark.parametrize("make", [sample_actions, lambda: [_with_variables(_variable_header_action())]],
                         ids=["sample", "variables-and-script-auth"])
def test_export_is_valid_v21_and_imports_back_the_same_actions(make) -> None:
    actions = make()
    exported = postman.collection(actions)
    assert postman_errors(exported) == []
    report = postman_read.read_collection(json.dumps(exported), "export.json")
    assert [i.action.name for i in report.items] == [a.name for a in actions]
    for original, back in zip(actions, report.items, strict=True):
        assert comparable(back.action) == comparable(original)


def test_secrets_never_leave_and_come_back_to_be_filled_in(secrets: SecretStore) -> None:
    action = _variable_header_action()
    secret_value = "pa55-word-never-exported"
    ref = secrets.put(secret_value, "k/password")
    assert isinstance(action.auth, CustomAuth) and action.auth.body is not None
    action.auth.body.body_params["password"] = ref
    text = json.dumps(postman.collection([action]))
    assert secret_value not in text and ref.secret not in text
    [item] = postman_read.read_collection(text, "x.json").items
    assert item.missing_secrets == ["auth.body.bodyParams.password"]


def test_custom_auth_maps_to_oauth2_client_credentials_when_it_is_one() -> None:
    writer = next(a for a in sample_actions() if a.name == "writeJourneyEvent")
    assert isinstance(writer.auth, CustomAuth) and writer.auth.cache_duration is not None
    assert postman.item_of(writer)["request"]["auth"]["type"] == "noauth"  # a fixed cache: Postman has none
    writer = writer.model_copy(update={"auth": writer.auth.model_copy(update={"cache_duration": None})})
    item = postman.item_of(writer)
    attrs = {a["key"]: a["value"] for a in item["request"]["auth"]["oauth2"]}
    assert item["request"]["auth"]["type"] == "oauth2" and "event" not in item
    assert attrs["grant_type"] == "client_credentials" and attrs["clientSecret"] == ""
    assert attrs["accessTokenUrl"] == "{{imsUrl}}/ims/token/v3"
    [back] = postman_read.read_collection(json.dumps(postman.collection([writer])), "c.json").items
    assert comparable(back.action) == comparable(writer)
    other = postman.item_of(_variable_header_action())
    assert other["request"]["auth"] == {"type": "noauth"}
    script = "\n".join(other["event"][0]["script"]["exec"])
    assert "pm.sendRequest" in script and postman.CUSTOM_AUTH_MARK in script


def test_environment_exports_secrets_as_empty_secret_values() -> None:
    env = Environment(name="prod", variables=[Variable(name="baseUrl", value="https://x.example.com"),
                                              Variable(name="apiKey", value=SecretRef(secret="env/prod/apiKey"))])
    out = postman.environment(env)
    assert out["name"] == "prod" and out["_postman_variable_scope"] == "environment"
    assert out["values"] == [{"key": "baseUrl", "value": "https://x.example.com", "type": "default", "enabled": True},
                             {"key": "apiKey", "value": "", "type": "secret", "enabled": True}]


def test_a_real_collection_with_folders_variables_and_auth_imports_with_a_report() -> None:
    text = (DATA / "postman" / "shop.postman_collection.json").read_text("utf-8")
    report = postman_read.read_collection(text, "shop.postman_collection.json")
    by_name = {i.action.name: i.action for i in report.items}
    assert list(by_name) == ["Create_order", "Get_order", "Add_points", "Partner_webhook_legacy", "Digest_audit"]
    assert report.variables == {"baseUrl": "https://api.shop.example.com/v2",
                                "authUrl": "https://auth.shop.example.com", "clientId": "shop-client",
                                "partner_secret": "partner-var-secret-7"}
    create = by_name["Create_order"]
    assert create.endpoint.url == "{{baseUrl}}/orders"
    assert [(q.name, q.value) for q in create.endpoint.query] == [("notify", "true")]
    assert isinstance(create.auth, CustomAuth)  # the collection's OAuth2, inherited through the folder
    assert create.auth.endpoint == "{{authUrl}}/oauth/token" and create.auth.body is not None
    assert create.auth.body.body_params["client_secret"] == "shop-secret-9f2"  # plain: the import moves it
    assert create.request is not None and create.request.find("customerId").mode == "variable"
    assert create.response is not None and json.loads(create.response.example)["orderId"] == "o-1"
    assert by_name["Get_order"].endpoint.url == "{{baseUrl}}/orders"  # cut at :orderId
    points = by_name["Add_points"]
    assert points.auth.type == "apiKey" and points.auth.name == "X-Loyalty-Key"  # the folder's auth
    assert points.request is not None and json.loads(points.request.example) == {"customer": "c-1", "points": "10"}
    partner = by_name["Partner_webhook_legacy"]
    assert ("Authorization", "Bearer {{partnerToken}}") in [(h.name, h.value) for h in partner.endpoint.headers]
    assert partner.endpoint.headers[0].value == "application/json" and partner.request is None
    text_report = "\n".join(report.lines())
    for expected in ("Update order status: not imported: method PATCH",
                     "X-Trace is disabled", "the test script is not run",
                     "'/:orderId/lines' were cut from the URL", "urlencoded body became a JSON object",
                     "raw body is not JSON", "Content-Type application/xml became application/json",
                     "auth type digest has no equivalent", "collection variables"):
        assert expected in text_report


def test_imported_collection_saves_its_plain_secrets_to_the_keyring(tmp_path, secrets: SecretStore) -> None:
    text = (DATA / "postman" / "shop.postman_collection.json").read_text("utf-8")
    report = postman_read.read_collection(text, "shop.json")
    workspace = Workspace.open(tmp_path / "ws")
    import_items(workspace, secrets, report.items)
    on_disk = "".join(p.read_text("utf-8") for p in (tmp_path / "ws" / "actions").glob("*.json"))
    assert "shop-secret-9f2" not in on_disk and len(workspace.names()) == 5


@pytest.mark.parametrize("text, message", [
    ("{", "line 1, column 2"),
    ('{"item": []}', "not a Postman collection"),
    ('{"info": {"name": "x", "schema": "https://schema.getpostman.com/collection/v1"}, "item": []}',
     "export the collection as Collection v2.1"),
    ('{"info": {"name": "x", "schema": "' + postman.SCHEMA + '"}, "item": {}}', "item must be a list"),
])
def test_bad_collections_say_what_and_where(text: str, message: str) -> None:
    with pytest.raises(InteropError, match=message.replace("(", r"\(")):
        postman_read.read_collection(text, "c.json")


def test_a_bad_request_is_skipped_with_its_json_path() -> None:
    text = json.dumps({"info": {"name": "x", "schema": postman.SCHEMA}, "item": [
        {"name": "folder", "item": [{"name": "no request"}, {"name": "bad url", "request": {
            "method": "POST", "url": "ftp://files.example.com/x"}}]},
        {"name": "ok", "request": {"method": "GET", "url": "https://api.example.com/ok"}}]})
    report = postman_read.read_collection(text, "c.json")
    assert [i.action.name for i in report.items] == ["ok"]
    skipped = {e.source: e.skipped for e in report.skipped}
    assert skipped["item[0].item[0] folder / no request"] == (
        "item[0].item[0] (line 1, column 144): 'request' is a required property, or 'item' is a required property")
    assert "endpoint.url" in skipped["item[0].item[1] folder / bad url"]


def _shop() -> dict:
    return json.loads((DATA / "postman" / "shop.postman_collection.json").read_text("utf-8"))


@pytest.mark.parametrize("where, value, skipped, message", [
    (("item", 0, "item", 0, "request", "header", 1), True, "item[0].item[0]",
     "item[0].item[0].request.header[1]: True is not of type 'object'"),
    (("item", 0, "item", 0, "response", 0, "code"), "{{x}}", "item[0].item[0]",
     "item[0].item[0].response[0].code: '{{x}}' is not of type 'integer'"),
    (("item", 1, "item", 0, "request", "body", "urlencoded"), 2.5, "item[1].item[0]",
     "item[1].item[0].request.body.urlencoded: 2.5 is not of type 'array'"),
])
def test_a_request_breaking_the_format_is_skipped_at_its_json_path(where, value, skipped, message) -> None:
    data = _shop()
    node = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    text = json.dumps(data, indent=2)
    report = postman_read.read_collection(text, "shop.json")
    [entry] = [e for e in report.entries if e.skipped and e.source.startswith(skipped + " ")]
    path, _, reason = message.partition(": ")
    found = re.fullmatch(re.escape(path) + r" \(line (\d+), column (\d+)\): " + re.escape(reason), entry.skipped)
    assert found, entry.skipped
    assert json.dumps(value) in text.splitlines()[int(found[1]) - 1]  # the line holding the value
    assert len(report.items) == 4  # the others import


def test_a_collection_breaking_the_format_at_the_top_is_refused_with_its_path() -> None:
    data = _shop()
    data["auth"]["oauth2"] = True
    with pytest.raises(InteropError, match=r"shop.json: auth: True is not of type 'null'|shop.json: auth.oauth2"):
        postman_read.read_collection(json.dumps(data), "shop.json")


def test_literal_values_under_secret_names_are_not_exported_either() -> None:
    action = Action.model_validate({
        "name": "literal", "endpoint": {"url": "https://api.example.com/x", "headers": [
            {"name": "X-Api-Key", "value": "literal-key-1"}, {"name": "X-Token", "value": "{{token}}"}]},
        "auth": {"type": "customAuthorization", "endpoint": "https://auth.example.com/t", "method": "POST",
                 "headers": {"Authorization": "Basic EncodeBase64(id:literal-secret-2)"},
                 "body": {"bodyType": "form", "bodyParams": {"grant_type": "password", "password": "literal-pw-3"}}}})
    text = json.dumps(postman.collection([action]))
    for literal in ("literal-key-1", "literal-secret-2", "literal-pw-3"):
        assert literal not in text
    assert "{{token}}" in text  # a {{variable}} is no secret: the environment gives it
    [back] = postman_read.read_collection(text, "x.json").items
    assert set(back.missing_secrets) == {"auth.headers.Authorization", "auth.body.bodyParams.password"}


def test_a_postman_environment_reads_back_with_its_secrets_marked() -> None:
    from app.interop import files

    env = Environment(name="prod", variables=[Variable(name="baseUrl", value="https://x.example.com"),
                                              Variable(name="apiKey", value=SecretRef(secret="env/prod/apiKey"))])
    exported = postman.environment(env)
    exported["values"].append({"key": "vaultToken", "value": "given-in-file", "type": "secret", "enabled": True})
    exported["values"].append({"key": "old", "value": "x", "enabled": False})
    text = json.dumps(exported)
    assert files.sniff(text) == "postman-environment"
    report = files.read(text, "prod.postman_environment.json")
    assert report.title == "prod" and report.items == []
    assert report.variables == {"baseUrl": "https://x.example.com", "apiKey": "", "vaultToken": "given-in-file"}
    assert report.secret_variables == {"apiKey", "vaultToken"}
    assert any("the secret apiKey is empty" in line for line in report.lines())
