"""The authentication section driven as a user: modes, form <-> JSON, cURL, and the real test."""
from __future__ import annotations

import json
import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QPushButton

from app.model.action import Action
from app.model.auth import ApiKeyAuth, BasicAuth, CacheDuration, CustomAuth, CustomBody
from app.model.base import MASK, SecretRef
from tests.helpers.servers import HOLD_S, Server, answer
from tests.ui.sections.conftest import SEED_CURL
from tests.ui.tabwalk import framed, tab_stops
from ui.auth import curldialog
from ui.auth.params import SECRET, VALUE
from ui.auth.section import AuthSection


@pytest.fixture
def section(qtbot, services, quick_checks):
    widget = AuthSection(services)
    qtbot.addWidget(widget)
    return widget


def custom_auth(endpoint: str, secret: SecretRef | str, **extra) -> CustomAuth:
    params = {"grant_type": "client_credentials", "client_id": "1234", "client_secret": secret, "scope": "openid"}
    return CustomAuth(endpoint=endpoint, body=CustomBody(body_type="form", body_params=params),
                      cache_duration=CacheDuration(duration=28000, time_unit="seconds"), **extra)


def choose_mode(qtbot, section: AuthSection, mode: str) -> None:
    combo = section.findChild(QComboBox, "authModeCombo")
    with qtbot.waitSignal(section.changed):
        combo.setCurrentIndex(combo.findData(mode))
        combo.activated.emit(combo.currentIndex())


def type_json(qtbot, section: AuthSection, text: str) -> None:
    """Replace the JSON as a user would (select all, paste) and wait for the debounced check."""
    editor = section.findChild(QPlainTextEdit, "authJsonEdit")
    with qtbot.waitSignal(editor.problemChanged if "BROKEN" in text else editor.validated, timeout=5000):
        editor.selectAll()
        editor.insertPlainText(text.replace("BROKEN", ""))


def test_switch_modes(qtbot, section):
    combo = section.findChild(QComboBox, "authModeCombo")
    assert combo.currentData() == "none" and section.problems() == []
    choose_mode(qtbot, section, "basic")
    assert section.pages.currentWidget() is section.pages.basic
    assert section.problems() == ["authentication.username: enter the username",
                                  "authentication.password: enter the password"]
    section.pages.basic.username.setText("ada")
    section.pages.basic.password.line.setFocus()
    qtbot.keyClicks(section.pages.basic.password.line, "s3cret")
    assert section.pages.basic.password.line.echoMode() == section.pages.basic.password.line.EchoMode.Password
    section.pages.basic.password.eye.click()
    assert section.pages.basic.password.line.echoMode() == section.pages.basic.password.line.EchoMode.Normal
    action = section.apply_to(Action(name="x"))
    assert isinstance(action.auth, BasicAuth) and isinstance(action.auth.password, SecretRef)
    assert section.pending_secrets() == {action.auth.password.secret: "s3cret"}
    choose_mode(qtbot, section, "apiKey")
    section.pages.api_key.name.setText("x-api-key")
    qtbot.keyClicks(section.pages.api_key.value.line, "{{apiKey}}")  # a variable stays text, not a secret
    action = section.apply_to(Action(name="x"))
    assert action.auth == ApiKeyAuth(name="x-api-key", value="{{apiKey}}") and section.pending_secrets() == {}
    choose_mode(qtbot, section, "customAuthorization")
    assert section.pages.currentWidget() is section.pages.custom_views
    choose_mode(qtbot, section, "basic")  # what was typed on a page is still there
    assert section.pages.basic.username.text() == "ada"


def test_stored_secret_is_never_read_back(qtbot, section, services):
    ref = services.secrets.put("hunter22", "t")
    action = Action(name="x", auth=BasicAuth(username="ada", password=ref))
    with qtbot.assertNotEmitted(section.changed, wait=100):
        section.set_action(action)
    line = section.pages.basic.password.line
    assert line.text() == "" and "stored" in line.placeholderText()
    assert section.apply_to(action).auth.password == ref and section.pending_secrets() == {}
    assert section.problems() == []


def test_form_edits_render_masked_json(qtbot, section, services):
    ref = services.secrets.put("5678", "t")
    section.set_action(Action(name="x", auth=custom_auth("https://ims.example/token", ref)))
    editor = section.findChild(QPlainTextEdit, "authJsonEdit")
    doc = json.loads(editor.toPlainText())
    assert doc["body"]["bodyParams"]["client_secret"] == MASK and "5678" not in editor.toPlainText()
    assert doc["cacheDuration"] == {"duration": 28000, "timeUnit": "seconds"}
    form = section.pages.custom
    with qtbot.waitSignal(section.changed):
        form.endpoint.setFocus()
        form.endpoint.selectAll()
        qtbot.keyClicks(form.endpoint, "https://other.example/token")
        qtbot.keyClick(form.endpoint, Qt.Key.Key_Return)
    assert json.loads(editor.toPlainText())["endpoint"] == "https://other.example/token"
    # Token target only for header / queryParam.
    assert form.token_target.isHidden()
    form.auth_type.setCurrentIndex(form.auth_type.findData("header"))
    form.auth_type.activated.emit(form.auth_type.currentIndex())
    assert not form.token_target.isHidden()
    assert section.problems() == ["authentication: tokenTarget is required when authorizationType is header"]
    form.token_target.setText("x-token")
    form.token_target.textEdited.emit("x-token")
    assert json.loads(editor.toPlainText())["tokenTarget"] == "x-token" and section.problems() == []
    # Expiry read from the response instead of a fixed duration.
    form.cache.setCurrentIndex(form.cache.findData("expiry"))
    form.cache.activated.emit(form.cache.currentIndex())
    form.expiry_path.setText("json://expires_in")
    form.expiry_path.textEdited.emit("json://expires_in")
    assert json.loads(editor.toPlainText())["cacheDuration"] == {"expiryInResponse": "json://expires_in",
                                                                 "timeUnit": "seconds"}
    # A new secret row, typed in the table: masked in the JSON, pending for Save.
    model = form.body.model
    index = model.add_row()
    model.setData(index, "password")
    model.setData(index.siblingAtColumn(VALUE), "pa55word")
    assert model.index(index.row(), SECRET).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.index(index.row(), VALUE).data() == MASK
    text = editor.toPlainText()
    assert json.loads(text)["body"]["bodyParams"]["password"] == MASK and "pa55word" not in text
    auth = section.apply_to(Action(name="x")).auth
    assert auth.body.body_params["client_secret"] == ref  # the stored one is kept
    assert section.pending_secrets() == {auth.body.body_params["password"].secret: "pa55word"}


def test_json_edits_fill_the_form_and_keep_secrets(qtbot, section, services):
    ref = services.secrets.put("5678", "t")
    section.set_action(Action(name="x", auth=custom_auth("https://ims.example/token", ref)))
    section.show_json()
    editor = section.findChild(QPlainTextEdit, "authJsonEdit")
    doc = json.loads(editor.toPlainText())
    doc["endpoint"] = "{{tokenUrl}}"
    doc["body"]["bodyParams"]["scope"] = "openid,AdobeID"
    doc["headers"] = {"x-api-key": "abcdef"}  # typed in plain: becomes a secret
    with qtbot.waitSignal(section.changed, timeout=5000):
        type_json(qtbot, section, json.dumps(doc, indent=2))
    form = section.pages.custom
    assert form.endpoint.text() == "{{tokenUrl}}"
    auth = section.apply_to(Action(name="x")).auth
    assert auth.body.body_params["scope"] == "openid,AdobeID"
    assert auth.body.body_params["client_secret"] == ref  # ******** kept the stored secret
    header = auth.headers["x-api-key"]
    assert isinstance(header, SecretRef) and section.pending_secrets() == {header.secret: "abcdef"}
    section.pages.render_json()  # what leaving the editor does
    assert "abcdef" not in editor.toPlainText() and json.loads(editor.toPlainText())["headers"]["x-api-key"] == MASK


def test_invalid_json_marked_at_its_line_and_form_kept(qtbot, section):
    section.import_curl(SEED_CURL)
    section.show_json()
    editor = section.findChild(QPlainTextEdit, "authJsonEdit")
    good = editor.toPlainText()
    broken = good.replace('"method": "POST",', '"method": "POST"')  # line 4 lacks its comma
    type_json(qtbot, section, broken + "BROKEN")
    assert editor.error_line() == 5  # JSON reports the next line, where the ',' was expected
    assert any(p.startswith("authentication JSON: line 5") for p in section.problems())
    assert section.pages.custom.endpoint.text() == "https://ims-na1.adobelogin.com/ims/token/v3"
    # Valid JSON, invalid document: the refused key is marked.
    type_json(qtbot, section, good.replace('"json://access_token"', '"access_token"') + "BROKEN")
    assert editor.error_line() == 15 and "tokenInResponse" in section.problems()[0]
    assert section.pages.custom.token_path.text() == "json://access_token"
    type_json(qtbot, section, good)
    assert section.problems() == [] and editor.error_line() is None


def test_paste_seed_curl(qtbot, section, monkeypatch):
    monkeypatch.setattr(curldialog, "ask_curl", lambda parent: SEED_CURL)
    with qtbot.waitSignal(section.changed):
        section.findChild(QPushButton, "pasteCurlButton").click()
    assert section.findChild(QComboBox, "authModeCombo").currentData() == "customAuthorization"
    form = section.pages.custom
    assert form.endpoint.text() == "https://ims-na1.adobelogin.com/ims/token/v3"
    assert form.method.currentData() == "POST" and form.body_type.currentData() == "form"
    params = form.body.model
    shown = {params.index(r, 0).data(): params.index(r, VALUE).data() for r in range(params.rowCount())}
    assert shown == {"grant_type": "client_credentials", "client_id": "1234", "client_secret": MASK,
                     "scope": "openid,AdobeID,read_organizations,additional_info.projectedProductContext,session"}
    assert "5678" not in section.pages.json.toPlainText()
    assert list(section.pending_secrets().values()) == ["5678"]
    auth = section.apply_to(Action(name="x")).auth
    assert auth.body.body_params["client_secret"].secret in section.pending_secrets()


def test_curl_ignored_options_are_listed(qtbot, section):
    assert section.import_curl(SEED_CURL + " --compressed -k -o out.json")
    notes = section.findChild(QLabel, "authNotes")
    assert not notes.isHidden() and "Not imported" in notes.text()
    assert not section.import_curl("curl")  # nothing usable: said so, form untouched
    assert "could not be used" in notes.text()
    assert section.pages.custom.endpoint.text() == "https://ims-na1.adobelogin.com/ims/token/v3"


def test_copy_as_curl_masks_secrets(qtbot, section):
    section.import_curl(SEED_CURL)
    QGuiApplication.clipboard().setText("")
    section.findChild(QPushButton, "copyCurlButton").click()
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text().startswith("curl"), timeout=5000)
    text = QGuiApplication.clipboard().text()
    assert "client_id=1234" in text and "5678" not in text and "client_secret=" in text


# -- test authentication against the sandbox --------------------------------------------------
def start_test(qtbot, section: AuthSection):
    with qtbot.waitSignal(section.testFinished, timeout=15_000) as finished:
        section.findChild(QPushButton, "testAuthButton").click()
        assert section.is_testing() and section.test_button.text() == "Testing…"
    return finished.args[0]


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, when the Details dialog opens
def test_authentication_green_with_pending_secret(qtbot, section, sandbox, memory_keyring):
    section.import_curl(SEED_CURL.replace("https://ims-na1.adobelogin.com", sandbox.base_url))
    section.pages.custom.cache.setCurrentIndex(section.pages.custom.cache.findData("duration"))
    section.pages.custom.duration.setValue(28000)
    result = start_test(qtbot, section)
    assert result.ok, result.reason
    label = section.findChild(QLabel, "authResult")
    assert label.text() == "● token ok, expires in 7 h 46 min", label.text()
    assert not section.is_testing() and section.busy.isHidden()
    text = section.details_text()
    assert "POST " + sandbox.base_url + "/ims/token/v3" in text and "HTTP 200" in text
    assert "5678" not in text and "5678" not in label.text() and "client_secret=********" in text
    assert " ms" in text.splitlines()[0]
    section.show_details()
    assert section._details.text.toPlainText() == text
    section._details.close()
    assert memory_keyring.data == {}  # the pending secret was used without touching the keyring


def test_authentication_red_with_wrong_secret(qtbot, section, sandbox):
    section.import_curl(SEED_CURL.replace("https://ims-na1.adobelogin.com", sandbox.base_url)
                        .replace("client_secret=5678", "client_secret=wrong-secret"))
    result = start_test(qtbot, section)
    assert not result.ok
    label = section.findChild(QLabel, "authResult")
    assert "invalid_client" in label.text() and "wrong-secret" not in label.text()
    assert "wrong-secret" not in section.details_text()


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, when the Details dialog opens
def test_details_never_show_the_token_a_wrong_path_missed(qtbot, section, sandbox, services):
    ref = services.secrets.put("5678", "t")
    section.set_action(Action(name="x", auth=custom_auth(sandbox.base_url + "/ims/token/v3", ref,
                                                         token_in_response="json://data.token")))
    result = start_test(qtbot, section)
    assert not result.ok and "json://data.token was not found" in result.reason
    section.show_details()
    text = section._details.text.toPlainText()
    assert '"access_token": "********"' in text and '"token_type": "bearer"' in text
    assert "eyJ" not in text  # the sandbox's tokens are JWT-shaped
    section._details.close()


def test_stored_secret_is_used_by_the_test(qtbot, section, sandbox, services):
    sandbox.add_client("abc", "stored-secret")
    ref = services.secrets.put("stored-secret", "t")
    auth = custom_auth(sandbox.base_url + "/ims/token/v3", ref)
    auth.body.body_params["client_id"] = "abc"
    section.set_action(Action(name="x", auth=auth))
    assert start_test(qtbot, section).ok


def test_ui_keeps_running_during_a_slow_test(qtbot, section):
    release = threading.Event()

    def held_token(handler, seen) -> None:  # answers once the test has seen the UI run meanwhile
        release.wait(HOLD_S)
        answer(200, {"access_token": "tok-held", "token_type": "bearer", "expires_in": 3600})(handler, seen)

    with Server(held_token) as token:
        section.import_curl(SEED_CURL.replace("https://ims-na1.adobelogin.com", token.url))
        ticks = []
        timer = QTimer(interval=20)
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start()
        section.findChild(QPushButton, "testAuthButton").click()
        assert section.is_testing()
        qtbot.waitUntil(lambda: len(ticks) >= 25, timeout=10_000)  # the event loop ran while in flight
        assert section.is_testing()
        release.set()
        qtbot.waitUntil(lambda: not section.is_testing(), timeout=15_000)
        timer.stop()
    assert section.findChild(QLabel, "authResult").text().startswith("● token ok")


def test_invalid_form_is_not_sent(qtbot, section):
    section.import_curl(SEED_CURL)
    section.pages.custom.endpoint.setText("https://x/{{broken")
    section.findChild(QPushButton, "testAuthButton").click()
    assert not section.is_testing()
    assert "fix the authentication first" in section.findChild(QLabel, "authResult").text()


def test_params_model_and_custom_load_is_quiet(qtbot, qtmodeltester, section, services):
    ref = services.secrets.put("5678", "t")
    with qtbot.assertNotEmitted(section.changed, wait=100):  # 90 ms past the JSON editor's 10 ms check
        section.set_action(Action(name="x", auth=custom_auth("https://ims.example/token", ref)))
    model = section.pages.custom.body.model
    qtmodeltester.check(model)
    secret = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "client_secret")
    assert model.index(secret, VALUE).data(Qt.ItemDataRole.EditRole) == ""  # the stored value is not read
    # Un-ticking "secret" on a stored secret empties it instead of revealing it.
    model.setData(model.index(secret, SECRET), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert model.index(secret, VALUE).data() == ""
    assert section.problems() == []
    qtmodeltester.check(model)


def test_undo_snapshot_keeps_typed_secrets_pending(qtbot, section):
    """The pane restores snapshots with set_action: a typed, unsaved secret must stay usable."""
    section.import_curl(SEED_CURL)
    snapshot = section.apply_to(Action(name="x"))
    typed = section.pending_secrets()
    section.set_action(snapshot)
    assert section.pending_secrets() == typed
    params = section.pages.custom.body.model
    row = next(r for r in range(params.rowCount()) if params.index(r, 0).data() == "client_secret")
    assert params.index(row, VALUE).data(Qt.ItemDataRole.EditRole) == "5678"  # typed here, so showable
    section.set_action(Action(name="x"))
    section.set_action(snapshot)
    assert section.pending_secrets() == {}  # a different action came between: the values are gone
    assert section.problems() == []  # (the ref is not "missing/": it is simply not stored yet)


def test_the_custom_page_is_built_when_first_needed_in_its_place_of_the_tab_order(qtbot, services, quick_checks):
    """A section for an API-key action has no custom form yet; choosing Custom builds it, and Tab goes
    through it between the mode bar and the test button, in the form view and in the JSON view."""
    host, before, section, after = framed(qtbot, lambda parent: AuthSection(services, parent))
    section.set_action(Action(name="x", auth=ApiKeyAuth(name="X-Key", value="k")))
    assert not section.pages.custom_built() and section.findChild(QPlainTextEdit, "authJsonEdit") is None
    choose_mode(qtbot, section, "customAuthorization")
    assert section.pages.custom_built() and section.findChild(QPlainTextEdit, "authJsonEdit") is not None
    # An empty custom auth, as the page built with the others showed.
    assert section.pages.custom.endpoint.text() == "https://" and section.problems() == []
    assert '"endpoint": "https://"' in section.pages.json.toPlainText()
    bar = ["before", "authModeCombo", "authFormViewButton", "pasteCurlButton", "copyCurlButton"]
    form = ["customEndpointEdit", "customMethodCombo", "customHeadersTable", "QToolButton", "QToolButton",
            "customBodyTypeCombo", "customBodyParamsTable", "QToolButton", "QToolButton", "customTokenPathEdit",
            "customCacheCombo", "customAuthTypeCombo"]
    assert tab_stops(qtbot, host, before, after) == bar + form + ["testAuthButton", "after"]
    section.show_json()
    assert tab_stops(qtbot, host, before, after) == bar + ["authJsonEdit", "testAuthButton", "after"]


def test_the_basic_page_is_built_when_first_needed_in_its_place_of_the_tab_order(qtbot, services, quick_checks):
    """A section for an API-key action has no Basic form yet; choosing Basic builds it, empty, and Tab goes
    through it between the mode bar and the test button; an action with Basic auth shows its values."""
    host, before, section, after = framed(qtbot, lambda parent: AuthSection(services, parent))
    section.set_action(Action(name="x", auth=ApiKeyAuth(name="X-Key", value="k")))
    assert section.findChild(QLineEdit, "basicUsernameEdit") is None
    choose_mode(qtbot, section, "basic")
    assert section.pages.currentWidget() is section.pages.basic and section.pages.basic.isVisible()
    assert section.problems() == ["authentication.username: enter the username",
                                  "authentication.password: enter the password"]
    assert tab_stops(qtbot, host, before, after) == [  # as when it was built with the other pages
        "before", "authModeCombo", "pasteCurlButton", "basicUsernameEdit", "QLineEdit", "basicPasswordEditShow",
        "testAuthButton", "after"]
    choose_mode(qtbot, section, "apiKey")
    assert section.pages.currentWidget() is section.pages.api_key and not section.pages.basic.isVisible()

    other = AuthSection(services)
    qtbot.addWidget(other)
    other.set_action(Action(name="y", auth=BasicAuth(username="ada", password="pw")))
    assert other.pages.currentWidget() is other.pages.basic and other.pages.basic.username.text() == "ada"
