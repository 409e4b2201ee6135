"""The test-request dialog: a typed form from the Variable fields, sending off the UI thread."""
from __future__ import annotations

import json
import threading
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QCheckBox, QDateTimeEdit, QDoubleSpinBox, QLineEdit, QSpinBox, QWidget

from app.calls.history import Filter, history_of
from app.model import Action, Endpoint, NoAuth, infer_payload
from app.model.payload import set_mode
from tests.helpers.servers import HOLD_S, Seen, Server, answer
from ui.jsonedit import JsonEdit
from ui.sending import open_test_request
from ui.sending.test_request import RequestDialog


def open_dialog(host: QWidget, services: Any, name_or_action: Any) -> RequestDialog:
    action = services.workspace.load(name_or_action) if isinstance(name_or_action, str) else name_or_action
    dialog = open_test_request(host, services, action)
    assert isinstance(dialog, RequestDialog) and dialog.isVisible()
    return dialog


def test_form_is_typed_labelled_and_prefilled(qtbot, host, gui_services) -> None:
    dialog = open_dialog(host, gui_services, "airshipCustomEvent")
    editors = dialog.form.editors
    assert list(editors) == ["user.named_user_id", "body.name", "body.value", "body.transaction"]
    assert isinstance(editors["body.value"].editor, QDoubleSpinBox) and editors["body.value"].editor.value() == 239.85
    assert isinstance(editors["body.name"].editor, QLineEdit) and editors["body.name"].editor.text() == "purchased"
    assert dialog.form.values()["body.value"] == 239.85
    value = editors["body.value"].editor
    assert value.text() == "239.85"  # as the example writes it, not 239.850000
    for typed, shown in (("1234.5", "1234.5"), ("7", "7"), ("0.000001", "0.000001"), ("-3.10", "-3.1")):
        value.lineEdit().selectAll()
        qtbot.keyClicks(value.lineEdit(), typed)
        value.interpretText()
        assert value.text() == shown and value.value() == float(typed)
    inlet = open_dialog(host, gui_services, "writeJourneyEvent")
    stamp = inlet.form.editors["body.xdmEntity.timestamp"]
    assert isinstance(stamp.editor, QDateTimeEdit)
    assert inlet.form.values()["body.xdmEntity.timestamp"] == "2018-11-12T20:20:39+00:00"


def test_every_type_gets_its_editor_and_optional_fields_a_send_box(qtbot, host, gui_services) -> None:
    payload = infer_payload('{"n": 3, "ok": true, "tags": ["a"], "meta": {"k": 1}, "note": "x", "day": "2024-02-03"}')
    for path, field in payload.walk():
        if "." not in path:
            set_mode(field, "variable")
    payload.find("note").optional = True
    action = Action(name="typed", endpoint=Endpoint(url="{{baseUrl}}/echo/typed"), auth=NoAuth(), request=payload)
    dialog = open_dialog(host, gui_services, action)
    kinds = {k: type(e.editor) for k, e in dialog.form.editors.items()}
    assert kinds["n"] is QSpinBox and kinds["ok"] is QCheckBox and kinds["tags"] is JsonEdit
    assert kinds["meta"] is JsonEdit and kinds["note"] is QLineEdit
    note = dialog.form.editors["note"]
    assert note.send_box is not None and note.send_box.isChecked()
    note.send_box.setChecked(False)
    assert dialog.form.values() == {"n": 3, "ok": True, "tags": ["a"], "meta": {"k": 1}, "day": "2024-02-03"}


def test_sends_off_the_ui_thread_and_shows_the_response(qtbot, host, gui_services, monkeypatch) -> None:
    release = threading.Event()

    def held_echo(handler: Any, seen: Seen) -> None:  # answers once the test has seen the UI run meanwhile
        release.wait(HOLD_S)
        answer(200, json.loads(seen.body))(handler, seen)

    with Server(held_echo) as server:
        monkeypatch.setattr(gui_services, "sandbox_url", lambda: server.url)
        dialog = open_dialog(host, gui_services, "notifyWebhook")
        dialog.form.editors["customerId"].editor.setText("c-42")
        ticks = []
        timer = QTimer(interval=20, timeout=lambda: ticks.append(1))
        timer.start()
        with qtbot.waitSignal(dialog.finished_call, timeout=15000) as caught:
            dialog.send_button.click()
            assert dialog.busy and not dialog.send_button.isEnabled()
            qtbot.waitUntil(lambda: len(ticks) >= 20 and len(server.requests) == 1, timeout=10000)
            assert dialog.busy  # the event loop kept running while the call was held
            release.set()
        timer.stop()
    result = caught.args[0]
    view = dialog.result_view
    assert result.ok and view.outcome.text().startswith("http_200 200 OK")
    assert '"customerId": "c-42"' in view.response_body.toPlainText()
    assert "content-type: application/json" in view.response_headers.toPlainText().lower()
    assert view.request_text.toPlainText().startswith("POST http://127.0.0.1:")
    rows = history_of(gui_services).rows(Filter(source="test"))
    assert [r.action for r in rows] == ["notifyWebhook"]


def test_an_error_response_is_shown_with_its_path(qtbot, host, gui_services) -> None:
    dialog = open_dialog(host, gui_services, "airshipCustomEvent")
    dialog.form.editors["body.name"].editor.setText("Purchased")
    with qtbot.waitSignal(dialog.finished_call, timeout=15000):
        dialog.send_button.click()
    text = dialog.result_view.outcome.text()
    assert text.startswith("http_400") and "[0].body.name" in text and "uppercase" in text


def test_copy_as_curl_is_masked(qtbot, host, gui_services) -> None:
    dialog = open_dialog(host, gui_services, "airshipCustomEvent")
    with qtbot.waitSignal(dialog.finished_call, timeout=15000):
        dialog.send_button.click()
    dialog.result_view.copy_curl.click()
    curl = QGuiApplication.clipboard().text()
    assert curl.startswith("curl -X POST") and "Authorization: ********" in curl
    assert "sandbox-airship-token" not in curl + dialog.result_view.request_text.toPlainText()


def test_value_problems_are_shown_under_their_field(qtbot, host, gui_services) -> None:
    payload = infer_payload('{"items": [{"sku": "a", "qty": 1}]}')
    set_mode(payload.find("items"), "variable")
    action = Action(name="typed", endpoint=Endpoint(url="{{baseUrl}}/echo/typed"), request=payload)
    dialog = open_dialog(host, gui_services, action)
    items = dialog.form.editors["items"]
    items.editor.setPlainText('[{"sku": 5, "qty": 1}]')
    dialog.send_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    assert "items[0].sku: expected a string" in items.problem.text() and items.problem.isVisible()
    items.editor.setPlainText("[{broken")
    dialog.send_button.click()
    assert "not valid JSON" in items.problem.text()


def test_closed_dialogs_are_freed(qtbot, host, gui_services) -> None:
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    def open_and_close(how: str) -> None:
        dialog = open_dialog(host, gui_services, "airshipCustomEvent")
        if how == "button":
            close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
            qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
        else:
            dialog.close()  # the title bar's X

    open_and_close("x")  # first use builds what every later dialog shares (fonts, styles...)
    qtbot.waitUntil(lambda: not host.findChildren(RequestDialog))
    before = len(QApplication.allWidgets())
    for how in ("button", "x", "button", "x", "button"):
        open_and_close(how)
    qtbot.waitUntil(lambda: not host.findChildren(RequestDialog))
    assert len(QApplication.allWidgets()) == before
