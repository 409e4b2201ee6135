"""The pane's models and its integration with the real Authentication and Payload sections."""
from __future__ import annotations

import json
import threading
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from tests.ui.conftest import close_window, open_window, wait_idle
from tests.ui.test_mainwindow import replace_text, select
from ui.pane.params import MODE, NAME, SECRET, VALUE, ParamModel


def params(rows=None) -> ParamModel:
    pending: dict[str, str] = {}

    def make(plain: str, hint: str) -> str:
        key = f"test/{hint}/{len(pending)}"
        pending[key] = plain
        return key

    model = ParamModel("header", make, pending.get)
    model.set_rows(rows or [{"name": "Content-Type", "mode": "constant", "value": "application/json", "label": ""},
                            {"name": "Charset", "mode": "constant", "value": "utf-8", "label": ""},
                            {"name": "x-key", "mode": "constant", "value": "abc", "label": ""}])
    model.pending = pending  # type: ignore[attr-defined]
    return model


def test_param_model_passes_the_model_tester(qtmodeltester):
    qtmodeltester.check(params())


def test_param_model_secret_toggle_masks_and_keeps_the_value_pending():
    model = params()
    assert model.setData(model.index(2, SECRET), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert model.index(2, VALUE).data() == "********"
    assert model.index(2, VALUE).data(Qt.ItemDataRole.EditRole) == ""  # the editor never shows the secret
    ref = model.rows()[2]["value"]["secret"]
    assert model.pending[ref] == "abc"
    assert model.setData(model.index(2, VALUE), "new-secret")
    assert model.pending[model.rows()[2]["value"]["secret"]] == "new-secret"
    model.setData(model.index(2, SECRET), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert model.rows()[2]["value"] == "new-secret"  # typed this session: comes back as text
    assert model.index(0, SECRET).data(Qt.ItemDataRole.CheckStateRole) is None  # locked rows: no toggle


def test_param_model_variable_mode_shows_the_label_and_flags_bad_names():
    model = params()
    model.setData(model.index(2, MODE), "variable")
    assert model.index(2, VALUE).data() == "x-key"  # the label defaults to the name
    model.setData(model.index(2, VALUE), "API key label")
    assert model.rows()[2] == {"name": "x-key", "mode": "variable", "value": "abc", "label": "API key label"}
    model.setData(model.index(2, NAME), "$bad")
    assert model.problems() == ["header 3: the header name must not start with '$'"]
    assert model.index(2, NAME).data(Qt.ItemDataRole.ToolTipRole).startswith("the header name")


def test_variables_and_request_log_models_pass_the_model_tester(qtmodeltester, qtbot, services):
    from ui.environments import EnvironmentsDialog
    from ui.sandbox_panel import RequestLogModel

    dialog = EnvironmentsDialog(services)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    log = RequestLogModel()
    log.append([{"id": i, "time": "2026-11-23T12:00:00.000Z", "method": "POST", "path": "/echo/x", "query": "",
                 "headers": {}, "body": "", "status": 200 if i % 2 else 401, "duration_ms": 1.5,
                 "endpoint": "echo"} for i in range(20)])
    qtmodeltester.check(log)


def test_secret_header_is_written_to_the_keyring_on_save(window, qtbot, services):
    select(qtbot, window, "notifyWebhook")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "notifyWebhook")
    headers = window.pane.url.headers
    headers.add_row()
    headers.setData(headers.index(2, NAME), "x-api-key")
    headers.setData(headers.index(2, VALUE), "very-secret")
    headers.setData(headers.index(2, SECRET), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    window.save()
    wait_idle(qtbot)
    text = (services.workspace.home / "actions" / "notifyWebhook.json").read_text()
    assert "very-secret" not in text
    header = next(h for h in json.loads(text)["endpoint"]["headers"] if h["name"] == "x-api-key")
    from app.model import SecretRef

    assert services.secrets.get(SecretRef(secret=header["value"]["secret"])) == "very-secret"


def test_real_auth_section_edits_are_undoable_and_saved(window, qtbot, services):
    select(qtbot, window, "notifyWebhook")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "notifyWebhook")
    combo = window.findChild(QComboBox, "authModeCombo")
    assert combo is not None and window.pane.auth.__class__.__name__ == "AuthSection"
    before = combo.currentText()
    basic = next(i for i in range(combo.count()) if "basic" in combo.itemText(i).lower())
    combo.setCurrentIndex(basic)
    combo.activated.emit(basic)
    qtbot.waitUntil(lambda: window.undo_stack.count() >= 1)
    assert window.pane.is_dirty()
    assert "authentication" in window.undo_stack.undoText()
    window.undo_stack.undo()
    assert combo.currentText() == before
    assert not window.pane.is_dirty()
    window.undo_stack.redo()
    assert combo.currentIndex() == basic
    window.save()
    assert "authentication.username: enter the username" in window.pane.problems_shown()
    user = window.findChild(QLineEdit, "basicUsernameEdit")
    replace_text(qtbot, user, "alice")
    qtbot.keyClick(user, Qt.Key.Key_Return)
    password = window.findChild(QWidget, "basicPasswordEdit").findChild(QLineEdit)
    replace_text(qtbot, password, "pa55word")
    qtbot.keyClick(password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.pane.auth.problems())
    window.save()
    wait_idle(qtbot)
    assert not window.pane.problems_shown()
    text = (services.workspace.home / "actions" / "notifyWebhook.json").read_text()
    saved = json.loads(text)
    assert saved["auth"]["type"] == "basic" and saved["auth"]["username"] == "alice"
    assert "pa55word" not in text
    from app.model import SecretRef

    assert services.secrets.get(SecretRef(secret=saved["auth"]["password"]["secret"])) == "pa55word"
    assert not window.pane.is_dirty()


def test_real_payload_section_follows_the_method_and_the_lock(window, qtbot):
    select(qtbot, window, "writeJourneyEvent")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "writeJourneyEvent")
    assert window.pane.payload.__class__.__name__ == "PayloadSection"
    banner = window.pane.payload.findChild(object, "payloadLockBanner")
    assert banner is not None and banner.isVisibleTo(window)
    select(qtbot, window, "notifyWebhook")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "notifyWebhook")
    assert not banner.isVisibleTo(window)


def test_pane_with_stand_in_sections(qtbot, services, answers, monkeypatch):
    """The pane only relies on the sections' interface (set_action/apply_to/changed/...)."""
    from tests.ui.helpers.standins import StandInAuth, StandInPayload

    monkeypatch.setattr("ui.pane.form.section_classes", lambda: (StandInAuth, StandInPayload))
    window = open_window(qtbot, services.workspace.home, services)
    select(qtbot, window, "writeJourneyEvent")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "writeJourneyEvent")
    assert window.pane.payload.locked[0] and "sampleJourney" in window.pane.payload.locked[1]
    select(qtbot, window, "notifyWebhook")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "notifyWebhook")
    window.pane.url.method_combo.setCurrentText("GET")
    window.pane.url.method_combo.activated.emit(2)
    assert window.pane.payload.method == "GET"
    close_window(qtbot, window, answers)


def test_saving_never_blocks_the_ui_thread(window, qtbot, services, monkeypatch):
    """A slow keyring write happens in a worker: the event loop keeps turning meanwhile."""
    select(qtbot, window, "notifyWebhook")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "notifyWebhook")
    headers = window.pane.url.headers
    headers.add_row()
    headers.setData(headers.index(2, NAME), "x-token")
    headers.setData(headers.index(2, SECRET), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    headers.setData(headers.index(2, VALUE), "t0ken")
    real_put = services.secrets.put
    gate = threading.Event()

    def slow_put(*args, **kwargs):  # held until the test has seen the event loop turn meanwhile
        gate.wait(10)
        return real_put(*args, **kwargs)

    monkeypatch.setattr(services.secrets, "put", slow_put)
    ticks = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    started = time.perf_counter()
    window.save()
    assert time.perf_counter() - started < 0.3  # save() returned at once
    assert window.pane.header.save_button.text() == "Saving…"
    qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=10_000)  # the event loop turns while the write is held
    assert window.pane.header.save_button.text() == "Saving…"
    gate.set()
    wait_idle(qtbot)
    timer.stop()
    assert window.pane.header.save_button.text() == "Save" and not window.pane.is_dirty()


def test_name_clash_found_at_save_time_is_reported_not_lost(window, qtbot, services):
    select(qtbot, window, "notifyWebhook")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "notifyWebhook")
    replace_text(qtbot, window.findChild(QLineEdit, "nameEdit"), "AIRSHIPCUSTOMEVENT")
    assert "already exists" in window.pane.names.name_error.text()
    window.save()
    assert any("already exists" in p for p in window.pane.problems_shown())
    assert (services.workspace.home / "actions" / "notifyWebhook.json").exists()


def test_typing_a_name_reads_no_folder_and_a_clash_written_meanwhile_is_refused_at_save(
        window, qtbot, services, monkeypatch):
    import os

    select(qtbot, window, "notifyWebhook")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "notifyWebhook")
    listed = []
    real_listdir = os.listdir
    with monkeypatch.context() as patched:
        patched.setattr(os, "listdir", lambda path=".": listed.append(path) or real_listdir(path))
        name = window.findChild(QLineEdit, "nameEdit")
        replace_text(qtbot, name, "freshName")  # each keystroke checked against the list, in memory
    assert listed == [] and "already exists" not in window.pane.names.name_error.text()
    # Another process takes the name before the watcher tells the list: the save still refuses it.
    source = services.workspace.home / "actions" / "notifyWebhook.json"
    clash = json.loads(source.read_text())
    clash.update(name="freshName", id="f" * 32)
    (services.workspace.home / "actions" / "freshName.json").write_text(json.dumps(clash))
    window.save()
    qtbot.waitUntil(lambda: any("already exists" in p for p in window.pane.problems_shown()), timeout=5000)
    assert source.exists()


def test_a_narrow_pane_does_not_scroll_sideways_and_keeps_the_payload_counts_whole_in_text(qtbot, services):
    """~400 px (the window's right side on an 800 px screen): the payload's counts, on one line beside its
    buttons, made the column ~470 px at least, and the whole pane scrolled sideways."""
    from PySide6.QtGui import QUndoStack

    from ui.pane.pane import ConfigPane

    pane = ConfigPane(services, QUndoStack(), lambda _name: False)
    qtbot.addWidget(pane)
    action, stamp = services.workspace.load_stamped("airshipCustomEvent")
    pane.load(action, ["sampleJourney"], stamp=stamp)
    pane.resize(405, 700)
    with qtbot.waitExposed(pane):
        pane.show()
    assert pane.column.verticalScrollBar().isVisible()  # (the column is taller than the pane)
    assert not pane.column.horizontalScrollBar().isVisible()
    assert pane.column.widget().width() == pane.column.viewport().width()
    status = pane.findChild(QWidget, "requestPayloadStatus")
    assert status.text() == "20 fields · 4 variable"  # cut short on screen only
