"""Export masks secrets; import brings them in empty; a bare customAuthorization imports into auth."""
from __future__ import annotations

import json

import pytest

from app.model import MASK, Action, ApiKeyAuth, CustomAuth, JsonError, SecretRef
from app.secrets import SecretStore
from app.store import Workspace
from app.transfer import ImportProblem, export_bundle, externalize_secrets, import_auth, missing_secrets, read_bundle


def test_export_masks_and_import_asks_for_secrets(sample_home, secrets: SecretStore) -> None:
    from app.sample import seed_sample_secrets

    seed_sample_secrets(secrets)
    actions = Workspace.open(sample_home).load_all()
    text = export_bundle(actions)
    assert "5678" not in text and "sandbox-airship-token" not in text and '"secret"' not in text
    assert text.count(MASK) == 2
    items = read_bundle(text, "bundle.json")
    assert [i.action.name for i in items] == [a.name for a in actions]
    by_name = {i.action.name: i for i in items}
    assert by_name["writeJourneyEvent"].missing_secrets == ["auth.body.bodyParams.client_secret"]
    assert by_name["airshipCustomEvent"].missing_secrets == ["auth.value"]
    assert missing_secrets(by_name["airshipCustomEvent"].action, secrets) == ["missing/auth.value"]
    # everything else survives the round trip
    original = {a.name: a for a in actions}["notifyWebhook"]
    assert by_name["notifyWebhook"].action == original


@pytest.mark.parametrize("text, message", [
    ('{"format": "other", "actions": []}', "unknown format"),
    ('{"actions": {}}', "'actions' must be a list"),
    ('[{"name": "ok"}, {"name": "bad name"}]', "actions[1] (bad name): name: the name contains space"),
    ('[1]', "expected an action object"),
    ('"x"', "expected an action"),
    ('{"type": "customAuthorization"}', "authentication document"),
])
def test_bad_imports_say_what_and_where(text: str, message: str) -> None:
    with pytest.raises(ImportProblem) as info:
        read_bundle(text, "f.json")
    assert message in str(info.value)
    assert str(info.value).startswith("f.json")


def test_invalid_json_import_names_line_and_column() -> None:
    with pytest.raises(JsonError, match=r"f.json: line 2, column 1"):
        read_bundle('{"name": "x",\n}', "f.json")


def test_import_auth_keeps_current_secrets(secrets: SecretStore) -> None:
    ref = secrets.put("5678", "client_secret")
    current = CustomAuth.model_validate({"endpoint": "https://t.example", "body": {"bodyParams": {"client_secret": ref.dump()}}})
    doc = json.dumps({"type": "customAuthorization", "endpoint": "https://t2.example", "method": "POST",
                      "body": {"bodyType": "form", "bodyParams": {"client_secret": MASK, "client_id": "1"}},
                      "tokenInResponse": "json://access_token", "authorizationType": "Bearer"})
    auth = import_auth(doc, current)
    assert auth.body is not None
    assert auth.body.body_params["client_secret"] == ref
    fresh = import_auth(doc, None)
    assert fresh.body is not None and isinstance(fresh.body.body_params["client_secret"], SecretRef)
    with pytest.raises(ImportProblem, match="tokenTarget is required"):
        import_auth(doc.replace('"Bearer"', '"header"'))
    with pytest.raises(ImportProblem, match="customAuthorization"):
        import_auth("{}")


def test_masked_api_key_round_trip(secrets: SecretStore) -> None:
    action = Action(name="k", auth=ApiKeyAuth(name="x-api-key", value=secrets.put("abc")))
    (item,) = read_bundle(export_bundle([action]))
    assert item.missing_secrets == ["auth.value"]


def test_a_secret_between_two_variables_goes_to_the_keyring_and_one_variable_stays_text(secrets: SecretStore) -> None:
    # "{{a}}hunter2{{b}}" was taken for "just a {{variable}}" (it starts and ends with braces) and
    # written to the action file as it was.
    auth = CustomAuth.model_validate({"endpoint": "https://t.example", "body": {"bodyParams": {
        "client_secret": "{{prefix}}hunter2{{suffix}}", "password": " {{ pwd }} "}}})
    stored = externalize_secrets(Action(name="a", auth=auth), secrets)
    params = stored.auth.body.body_params  # type: ignore[union-attr]
    assert isinstance(params["client_secret"], SecretRef)
    assert secrets.get(params["client_secret"]) == "{{prefix}}hunter2{{suffix}}"
    assert params["password"] == " {{ pwd }} "
    assert "hunter2" not in json.dumps(stored.dump())


class _OneSecretKeyring:
    """Stores one secret, then refuses (a keyring that locks or fills up midway)."""

    def __init__(self) -> None:
        self.data: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, key: str):
        return self.data.get((service, key))

    def set_password(self, service: str, key: str, value: str) -> None:
        if self.data:
            raise RuntimeError("the collection is locked")
        self.data[(service, key)] = value

    def delete_password(self, service: str, key: str) -> None:
        self.data.pop((service, key), None)


def test_import_failing_on_the_second_secret_keeps_nothing(tmp_path) -> None:
    from app.secrets import SecretError
    from app.transfer import import_items

    text = json.dumps([{"name": f"a{i}", "auth": {"type": "basic", "username": "u", "password": f"pw{i}"}}
                       for i in range(2)])
    keyring_ = _OneSecretKeyring()
    ws = Workspace.open(tmp_path)
    with pytest.raises(SecretError, match="refused to store a secret"):
        import_items(ws, SecretStore(keyring_, namespace="t"), read_bundle(text), rename=True)
    assert Workspace.open(tmp_path).names() == []
    assert keyring_.data == {}  # the first action's secret was taken back


def test_import_items_names_and_reports(tmp_path, secrets: SecretStore) -> None:
    from app.transfer import import_items

    ws = Workspace.open(tmp_path)
    ws.save(Action(name="a"))
    text = json.dumps([{"name": "a", "auth": {"type": "apiKey", "name": "k", "value": MASK}}, {"name": "b"}])
    saved = import_items(ws, secrets, read_bundle(text), rename=True)
    assert [(s.name_in_file, s.action.name, s.missing_secrets) for s in saved] == [
        ("a", "a_2", ["auth.value"]), ("b", "b", [])]
    assert Workspace.open(tmp_path).names() == ["a", "a_2", "b"]
