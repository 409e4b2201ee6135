"""The window's entry points to calling actions: Test request, the Send events and History docks."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.ui.conftest import wait_idle
from tests.ui.test_mainwindow import select


def test_test_request_button_sends_through_the_saved_action(window, qtbot):
    select(qtbot, window, "notifyWebhook")
    button = window.findChild(QPushButton, "testRequestButton")
    assert button is not None and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.panels.request_dialogs[-1]
    assert dialog.action.name == "notifyWebhook"
    dialog.form.editors["customerId"].editor.setText("c-77")
    with qtbot.waitSignal(dialog.finished_call, timeout=20000) as blocker:
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert result.outcome == "http_200"
    assert result.response is not None and "c-77" in result.response.body
    dialog.close()


def test_unsaved_edits_are_saved_before_a_test_request(window, qtbot, services):
    select(qtbot, window, "notifyWebhook")
    edit = window.pane.names.description_edit
    edit.selectAll()
    qtbot.keyClicks(edit, "changed before the test")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert window.pane.is_dirty()
    qtbot.mouseClick(window.findChild(QPushButton, "testRequestButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(window.panels.request_dialogs), timeout=15000)
    wait_idle(qtbot)
    dialog = window.panels.request_dialogs[-1]
    assert dialog.action.description == "changed before the test"
    assert services.workspace.load("notifyWebhook").description == "changed before the test"
    dialog.close()


def test_send_and_history_docks(window, qtbot):
    window.panels.toggle_dock("send")
    window.panels.toggle_dock("history")
    send, history = window.panels.docks["send"], window.panels.docks["history"]
    assert window.menus.send_panel_act.isChecked() and window.menus.history_act.isChecked()
    assert history.isVisible()
    window.panels.toggle_dock("history", False)
    assert not history.isVisible() and not window.menus.history_act.isChecked()
    assert send.panel.services is window.services


def send_panel_state(window):
    panel = window.panels.docks["send"].panel
    listed = [panel.actions.itemText(i) for i in range(panel.actions.count())]
    return listed, (panel.action.name if panel.action is not None else None)


def test_send_panel_follows_the_list_and_the_selection(window, qtbot, answers):
    from tests.ui.test_mainwindow import finish, replace_text

    window.panels.toggle_dock("send")
    panel = window.panels.docks["send"].panel
    qtbot.waitUntil(lambda: send_panel_state(window)[1] == "airshipCustomEvent")
    select(qtbot, window, "notifyWebhook")
    qtbot.waitUntil(lambda: send_panel_state(window)[1] == "notifyWebhook")

    window.edits.duplicate_action()  # the copy is listed and, being shown, chosen
    qtbot.waitUntil(lambda: send_panel_state(window) == (
        ["airshipCustomEvent", "notifyWebhook", "notifyWebhook_copy", "writeJourneyEvent"], "notifyWebhook_copy"),
        timeout=10000)

    # Saved under a new name with a new URL: the panel sends the saved action, by its new name.
    replace_text(qtbot, window.pane.names.name_edit, "hookCopy")
    replace_text(qtbot, window.pane.url.url_edit, "{{baseUrl}}/echo/copy")
    finish(qtbot, window.pane.url.url_edit)
    window.save()
    qtbot.waitUntil(lambda: send_panel_state(window)[1] == "hookCopy", timeout=10000)
    assert "notifyWebhook_copy" not in send_panel_state(window)[0]
    assert panel.action.endpoint.url == "{{baseUrl}}/echo/copy"

    window.edits.delete_action()  # gone from the panel too; the panel follows the pane to the next action
    qtbot.waitUntil(lambda: "hookCopy" not in send_panel_state(window)[0], timeout=10000)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: send_panel_state(window)[1] == window.pane.saved_name())
    assert "Traceback" not in panel.problems.text()



def test_check_endpoint_opens_the_check_of_the_current_action(window, qtbot):
    from ui.check_dialog import CheckDialog

    assert window.menus.check_act.isEnabled() and window.menus.check_act.text() == "&Check endpoint…"
    window.menus.check_act.trigger()
    dialog = window.panels.request_dialogs[-1]
    assert isinstance(dialog, CheckDialog) and dialog.isVisible()
    assert dialog.action.name == window.current_name() and dialog.rate.value() == 200
    dialog.close()
