"""The main window driven as a user would: list, add, name rule, headers, URL warnings, save,
reopen, undo/redo, duplicate, delete + undo, search, the unsaved-changes guard."""
from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QTableView, QTabWidget

from tests.ui.conftest import close_window, open_window, wait_idle
from ui.actionlist.model import NAME
from ui.pane.params import MODE, VALUE


def names_in_list(window) -> list[str]:
    proxy = window.list.proxy
    return [proxy.index(r, NAME).data() for r in range(proxy.rowCount())]


def select(qtbot, window, name: str) -> None:
    """Click the action's row in the list, and wait until the pane shows what the click opens (the
    action's file is read in a worker)."""
    table = window.findChild(QTableView, "actionTable")
    row = window.list.proxy.proxy_row_of(name)
    rect = table.visualRect(window.list.proxy.index(row, NAME))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: not window.current.is_opening())


def replace_text(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)


def finish(qtbot, edit: QLineEdit) -> None:
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_window_lists_the_workspace_with_names_tests_rely_on(window):
    assert names_in_list(window) == ["airshipCustomEvent", "notifyWebhook", "writeJourneyEvent"]
    for name in ("actionTable", "actionSearch", "addActionButton", "duplicateActionButton", "deleteActionButton",
                 "nameEdit", "nameError", "descriptionEdit", "urlEdit", "methodCombo", "headersTable",
                 "saveButton", "authModeCombo", "testAuthButton", "authResult",
                 "requestPayloadEdit", "payloadFieldsView"):
        assert window.findChild(object, name) is not None, name
    assert window.pane.saved_name() == "airshipCustomEvent"
    assert window.status.count_status.text() == "3 actions"
    # The custom authentication's page (the first action uses an API key) and the response payload's tab
    # are built when first needed.
    assert window.findChild(object, "authJsonEdit") is None and window.findChild(object, "responsePayloadEdit") is None
    assert window.findChild(object, "queryTable") is None  # the first action has no query parameter
    window.pane.url.query_box.set_expanded(True)
    assert window.findChild(object, "queryTable") is not None
    modes = window.findChild(QComboBox, "authModeCombo")
    modes.setCurrentIndex(modes.findData("customAuthorization"))
    modes.activated.emit(modes.currentIndex())
    window.findChild(QTabWidget, "payloadTabs").setCurrentIndex(1)
    assert window.findChild(object, "authJsonEdit") is not None
    assert window.findChild(object, "responsePayloadEdit") is not None


def unnamed_controls(window) -> tuple[set[str], list[str]]:
    """The object names of the controls shown, and those with no accessible name (a button's text is one)."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QHeaderView,
        QPlainTextEdit,
        QTextEdit,
    )
    from PySide6.QtWidgets import QLineEdit as LE

    seen, missing = set(), []
    for kind in (QAbstractButton, QComboBox, LE, QAbstractItemView, QPlainTextEdit, QTextEdit, QAbstractSpinBox):
        for widget in window.findChildren(kind):
            if widget.objectName().startswith("qt_") or not widget.isVisibleTo(window):
                continue
            if isinstance(widget, QHeaderView) or isinstance(widget.parent(), (QAbstractItemView, QHeaderView, LE,
                                                                                QAbstractSpinBox)):
                continue  # headers, a table corner button, a line edit icon: parts of their widget
            seen.add(widget.objectName())
            if not (widget.accessibleName() or (isinstance(widget, QAbstractButton) and widget.text())):
                parent = widget.parent()
                missing.append(f"{type(widget).__name__} {widget.objectName()!r} in {type(parent).__name__}"
                               f" {parent.objectName()!r} {widget.toolTip()!r}")
    return seen, missing


def test_every_control_has_an_accessible_name(window, qtbot):
    """Every page of the pane: each authentication type (form and JSON views) and each payload tab."""
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QTabWidget

    modes = window.findChild(QComboBox, "authModeCombo")
    tabs = window.findChild(QTabWidget, "payloadTabs")
    seen, missing = set(), set()
    for mode in range(modes.count()):
        modes.setCurrentIndex(mode)
        modes.activated.emit(mode)  # as a user's choice does
        for view in ("authFormViewButton", "authJsonViewButton"):
            button = window.findChild(QAbstractButton, view)
            if button.isVisibleTo(window) and button.isEnabled():
                button.click()
            for tab in range(tabs.count()):
                tabs.setCurrentIndex(tab)
                shown, unnamed = unnamed_controls(window)
                seen |= shown
                missing.update(unnamed)
    assert sorted(missing) == []
    # The auth and payload sections were looked at, every page of them (not skipped, not hidden).
    assert {"authModeCombo", "testAuthButton", "authJsonEdit", "pasteCurlButton", "requestPayloadEdit",
            "responsePayloadEdit", "errorResponsePayloadEdit", "payloadFieldsView", "responseFieldsView",
            "allowNullCheck"} <= seen, seen


def test_keyring_backend_shown_after_probe(window, qtbot):
    qtbot.waitUntil(lambda: window.status.keyring_status.text().startswith("keyring: "), timeout=5000)
    qtbot.waitUntil(lambda: "…" not in window.status.keyring_status.text())
    assert window.status.keyring_banner.isHidden()


def test_add_name_rule_variable_header_url_warning_save_and_reopen(window, qtbot, services, answers):
    qtbot.mouseClick(window.findChild(QPushButton, "addActionButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pane.saved_name() == "newAction")
    assert "newAction" in names_in_list(window)
    name = window.findChild(QLineEdit, "nameEdit")
    error = window.findChild(QLabel, "nameError")
    replace_text(qtbot, name, "bad name!")
    assert error.text().startswith("✗") and "space" in error.text()
    assert window.pane.header.title.text() == "bad name! *"
    replace_text(qtbot, name, "a" * 31)
    assert "31 characters" in error.text()
    replace_text(qtbot, name, "notifyWebhook")
    assert "already exists" in error.text()
    replace_text(qtbot, name, "orderShipped")
    assert error.text().startswith("✓")
    finish(qtbot, name)

    # A Variable header, typed into the table.
    qtbot.mouseClick(window.findChild(QPushButton, "headersTableAdd"), Qt.MouseButton.LeftButton)
    table = window.findChild(QTableView, "headersTable")
    editors = table.viewport().findChildren(QLineEdit)
    assert len(editors) == 1  # the name cell of the new row is open for typing
    editor = editors[0]
    qtbot.keyClicks(editor, "x-request-id")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    model = table.model()
    row = model.rowCount() - 1
    qtbot.waitUntil(lambda: model.index(row, 0).data() == "x-request-id")  # the delegate commits queued
    assert model.setData(model.index(row, MODE), "variable")
    assert model.setData(model.index(row, VALUE), "Request id")
    assert model.index(row, VALUE).data() == "Request id"
    locked = model.index(1, 0)
    assert model.index(0, 0).data() == "Content-Type" and locked.data() == "Charset"
    assert not model.flags(locked) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(1, VALUE)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(0, VALUE)) & Qt.ItemFlag.ItemIsEditable
    assert not model.remove_row(0)

    url = window.findChild(QLineEdit, "urlEdit")
    replace_text(qtbot, url, "http://1.2.3.4:8080/hook")
    warnings = window.findChild(QLabel, "urlWarnings")
    assert warnings.isVisibleTo(window)
    assert "raw IP" in warnings.text() and "port 8080" in warnings.text() and "plain http" in warnings.text()
    replace_text(qtbot, url, "https://hooks.example.com/order")
    finish(qtbot, url)
    assert not warnings.isVisibleTo(window)

    assert window.list.model.is_dirty("newAction")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot)
    path = services.workspace.home / "actions" / "orderShipped.json"
    assert path.exists() and not (services.workspace.home / "actions" / "newAction.json").exists()
    data = json.loads(path.read_text())
    assert data["endpoint"]["url"] == "https://hooks.example.com/order"
    assert {"name": "x-request-id", "mode": "variable", "value": "", "label": "Request id"} in data["endpoint"]["headers"]
    assert window.pane.header.title.text() == "orderShipped"
    assert not window.isWindowModified()
    assert "orderShipped" in names_in_list(window) and "newAction" not in names_in_list(window)
    assert not window.list.model.is_dirty("orderShipped")
    close_window(qtbot, window, answers)

    again = open_window(qtbot, services.workspace.home, services)
    assert "orderShipped" in names_in_list(again)
    assert again.pane.saved_name() == "orderShipped"  # the last action is reopened
    assert again.findChild(QLineEdit, "urlEdit").text() == "https://hooks.example.com/order"
    close_window(qtbot, again, answers)


def test_undo_redo_of_pane_edits(window, qtbot):
    select(qtbot, window, "notifyWebhook")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "notifyWebhook")
    desc = window.findChild(QLineEdit, "descriptionEdit")
    original = desc.text()
    replace_text(qtbot, desc, "Changed description")
    finish(qtbot, desc)
    url = window.findChild(QLineEdit, "urlEdit")
    replace_text(qtbot, url, "https://example.com/x")
    finish(qtbot, url)
    assert window.undo_stack.count() == 2 and window.isWindowModified()
    window.menus.undo_act.trigger()
    assert url.text() == "{{baseUrl}}/echo/notify" and desc.text() == "Changed description"
    window.menus.undo_act.trigger()
    assert desc.text() == original
    assert not window.isWindowModified() and not window.list.model.is_dirty("notifyWebhook")
    window.menus.redo_act.trigger()
    window.menus.redo_act.trigger()
    assert desc.text() == "Changed description" and url.text() == "https://example.com/x"
    assert window.pane.header.title.text().endswith("*")


def test_method_change_and_header_edits_undo(window, qtbot):
    select(qtbot, window, "notifyWebhook")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "notifyWebhook")
    combo = window.pane.url.method_combo
    assert combo.isEnabled()
    combo.setCurrentText("PUT")
    combo.activated.emit(combo.currentIndex())
    headers = window.pane.url.headers
    headers.add_row()
    headers.setData(headers.index(2, 0), "x-trace")
    assert window.undo_stack.count() == 3
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert headers.rowCount() == 2
    window.undo_stack.undo()
    assert combo.currentText() == "POST"


def test_search_filters_as_you_type(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = window.findChild(QLineEdit, "actionSearch")
    assert search.hasFocus() or window.focusWidget() is search
    qtbot.keyClicks(search, "air")
    assert names_in_list(window) == ["airshipCustomEvent"]
    search.clear()
    qtbot.keyClicks(search, "WEBHOOK")  # description and name, any case
    assert names_in_list(window) == ["notifyWebhook"]
    search.clear()
    assert len(names_in_list(window)) == 3


def test_unsaved_changes_guard_on_switching(window, qtbot, answers, services):
    desc = window.findChild(QLineEdit, "descriptionEdit")
    replace_text(qtbot, desc, "edited")
    assert window.list.model.is_dirty("airshipCustomEvent")

    answers.save_discard_cancel = "cancel"
    select(qtbot, window, "notifyWebhook")
    assert answers.asked[-1] == ("save_discard_cancel", "airshipCustomEvent")
    assert window.pane.saved_name() == "airshipCustomEvent" and desc.text() == "edited"
    assert window.list.current_name() == "airshipCustomEvent"

    answers.save_discard_cancel = "save"
    select(qtbot, window, "notifyWebhook")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "notifyWebhook")
    saved = json.loads((services.workspace.home / "actions" / "airshipCustomEvent.json").read_text())
    assert saved["description"] == "edited"
    assert not window.list.model.is_dirty("airshipCustomEvent")

    replace_text(qtbot, desc, "thrown away")
    answers.save_discard_cancel = "discard"
    select(qtbot, window, "writeJourneyEvent")
    assert window.pane.saved_name() == "writeJourneyEvent"
    assert "thrown away" not in (services.workspace.home / "actions" / "notifyWebhook.json").read_text()
    assert not window.list.model.is_dirty("notifyWebhook")


def test_quit_guard(window, qtbot, answers):
    desc = window.findChild(QLineEdit, "descriptionEdit")
    replace_text(qtbot, desc, "unsaved")
    answers.save_discard_cancel = "cancel"
    window.close()
    assert window.isVisible()
    assert answers.asked[-1][0] == "save_discard_cancel"


def test_duplicate_copies_secrets_to_new_refs(window, qtbot, services):
    select(qtbot, window, "writeJourneyEvent")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "writeJourneyEvent")
    qtbot.mouseClick(window.findChild(QPushButton, "duplicateActionButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pane.saved_name() == "writeJourneyEvent_copy", timeout=10000)
    source = services.workspace.load("writeJourneyEvent")
    copy = services.workspace.load("writeJourneyEvent_copy")
    assert copy.id != source.id
    old_refs = [r.secret for r in source.secret_refs()]
    new_refs = [r.secret for r in copy.secret_refs()]
    assert old_refs and len(new_refs) == len(old_refs) and not set(old_refs) & set(new_refs)
    for old, new in zip(source.secret_refs(), copy.secret_refs(), strict=True):
        assert services.secrets.get(new) == services.secrets.get(old)
    assert not window.pane.is_locked()  # a copy is not used by any journey: everything is editable
    assert window.pane.url.method_combo.isEnabled()


def test_delete_asks_then_undo_restores_file_and_row(window, qtbot, answers, services):
    select(qtbot, window, "notifyWebhook")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "notifyWebhook")
    path = services.workspace.home / "actions" / "notifyWebhook.json"
    answers.confirm = False
    qtbot.mouseClick(window.findChild(QPushButton, "deleteActionButton"), Qt.MouseButton.LeftButton)
    assert answers.asked[-1] == ("confirm", "Delete “notifyWebhook”?")
    assert path.exists()
    answers.confirm = True
    window.list.table.setFocus()
    qtbot.keyClick(window.list.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: not path.exists())
    wait_idle(qtbot)
    assert names_in_list(window) == ["airshipCustomEvent", "writeJourneyEvent"]
    assert window.pane.saved_name() == "writeJourneyEvent"
    assert window.status.undo_link.isVisibleTo(window) and "Deleted notifyWebhook" in window.status.status_message.text()
    qtbot.mouseClick(window.status.undo_link, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(path.exists)
    wait_idle(qtbot)
    assert "notifyWebhook" in names_in_list(window)
    assert window.pane.saved_name() == "notifyWebhook"


def test_deleted_action_secrets_are_forgotten_at_quit_only(qtbot, services, answers):
    window = open_window(qtbot, services.workspace.home, services)
    select(qtbot, window, "writeJourneyEvent")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "writeJourneyEvent")
    qtbot.mouseClick(window.findChild(QPushButton, "duplicateActionButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pane.saved_name() == "writeJourneyEvent_copy", timeout=10000)
    refs = list(services.workspace.load("writeJourneyEvent_copy").secret_refs())
    window.edits.delete_action()
    qtbot.waitUntil(lambda: window.pane.saved_name() != "writeJourneyEvent_copy")
    wait_idle(qtbot)
    assert all(services.secrets.get(r) is not None for r in refs)  # undo still possible
    close_window(qtbot, window, answers)
    assert all(services.secrets.get(r) is None for r in refs)


def test_save_lists_every_blocker_and_links_focus_the_field(window, qtbot):
    select(qtbot, window, "notifyWebhook")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "notifyWebhook")
    replace_text(qtbot, window.findChild(QLineEdit, "nameEdit"), "no spaces")
    replace_text(qtbot, window.findChild(QLineEdit, "urlEdit"), "")
    headers = window.pane.url.headers
    headers.add_row()
    headers.setData(headers.index(2, 0), "bad header")
    window.pane.save()
    problems = window.pane.problems_shown()
    assert any(p.startswith("name:") for p in problems)
    assert any("URL is empty" in p for p in problems)
    assert any("header 3" in p for p in problems)
    assert "Not saved" in window.status.status_message.text()
    window.pane.focus_path("endpoint.url")
    assert window.focusWidget() is window.findChild(QLineEdit, "urlEdit")
    window.pane.problems_box.label.linkActivated.emit("name")
    assert window.focusWidget() is window.findChild(QLineEdit, "nameEdit")


def test_action_used_in_a_journey_is_locked_with_a_duplicate_shortcut(window, qtbot, answers):
    select(qtbot, window, "writeJourneyEvent")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "writeJourneyEvent")
    assert window.pane.lock_banner.isVisibleTo(window)
    assert "sampleJourney" in window.pane.lock_banner.text.text()
    assert not window.pane.url.method_combo.isEnabled()
    assert window.findChild(QLineEdit, "urlEdit").isEnabled()
    assert window.findChild(QLineEdit, "nameEdit").isEnabled()
    headers = window.pane.url.headers
    assert not headers.flags(headers.index(2, VALUE)) & Qt.ItemFlag.ItemIsEditable
    assert not window.pane.url.headers_table.add_button.isEnabled()
    qtbot.mouseClick(window.findChild(QPushButton, "viewJourneysButton"), Qt.MouseButton.LeftButton)
    assert answers.asked[-1][0] == "inform" and "sampleJourney" in answers.asked[-1][1]
    qtbot.mouseClick(window.findChild(QPushButton, "lockDuplicateButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pane.saved_name() == "writeJourneyEvent_copy", timeout=10000)
    assert not window.pane.lock_banner.isVisibleTo(window)


def test_window_state_is_restored(qtbot, services, answers):
    window = open_window(qtbot, services.workspace.home, services, shown_while_loading=True)
    window.splitter.setSizes([300, 1100])
    window.resize(1200, 800)
    sizes = window.splitter.sizes()
    close_window(qtbot, window, answers)
    again = open_window(qtbot, services.workspace.home, services, shown_while_loading=True)
    assert again.splitter.sizes()[0] == sizes[0]
    close_window(qtbot, again, answers)


def test_the_pane_takes_the_placeholders_place_only_once_it_shows_the_first_action(qtbot, services, answers):
    """Laid out and painted once, full: never shown empty first (that was a second layout and paint
    of the whole pane at every start)."""
    from ui import create_main_window

    window = create_main_window(services.workspace.home, services)
    qtbot.addWidget(window)
    shown_in_pane: list[str] = []
    window.right.currentChanged.connect(
        lambda _i: shown_in_pane.append(window.current_name()) if window.right.currentWidget() is window.pane else None)
    window.show()
    qtbot.waitUntil(window.is_ready, timeout=15000)
    wait_idle(qtbot)
    assert window.right.currentWidget() is window.pane and window.current_name()
    assert shown_in_pane == [window.current_name()]
    close_window(qtbot, window, answers)


def test_the_unsaved_problems_message_goes_once_another_action_is_shown(window, qtbot, answers):
    select(qtbot, window, "notifyWebhook")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "notifyWebhook")
    replace_text(qtbot, window.findChild(QLineEdit, "urlEdit"), "")
    window.pane.save()
    assert "Not saved" in window.status.status_message.text()
    answers.save_discard_cancel = "discard"
    select(qtbot, window, "airshipCustomEvent")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "airshipCustomEvent")
    # The problems were the edits of notifyWebhook, discarded: the message about them is gone too.
    assert window.status.status_message.text() == ""


def test_a_retracted_tag_leaves_a_newer_message_shown(window):
    from ui import message
    from ui.pane.pane import UNSAVED_PROBLEMS

    message.error("Not saved: 1 problem to fix (listed above)", about=UNSAVED_PROBLEMS)
    message.info("Exported 3 actions")
    message.retract(UNSAVED_PROBLEMS)
    assert window.status.status_message.text() == "Exported 3 actions"
    message.error("Not saved: 2 problems to fix (listed above)", about=UNSAVED_PROBLEMS)
    message.retract("something else")
    assert window.status.status_message.text().startswith("Not saved")
    message.retract(UNSAVED_PROBLEMS)
    assert window.status.status_message.text() == ""
