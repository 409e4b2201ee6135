"""The list's selection and the pane agree: Cancel in the unsaved-changes question, drafts of new
actions, and the one rule for actions used in a journey (delete refused, rename carried along)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.ui.conftest import wait_idle
from tests.ui.test_mainwindow import names_in_list, replace_text, select
from ui.actionlist.model import NAME


def highlighted(window) -> list[str]:
    """The names of the rows the list shows as selected, and the current row's name."""
    table = window.list.table
    rows = [window.list.proxy.index(i.row(), NAME).data() for i in table.selectionModel().selectedRows()]
    current = table.currentIndex()
    return rows + [window.list.proxy.index(current.row(), NAME).data() if current.isValid() else ""]


def test_cancel_returns_the_selection_to_the_action_being_edited(window, qtbot, answers, services):
    replace_text(qtbot, window.pane.names.description_edit, "edited")
    answers.save_discard_cancel = "cancel"
    select(qtbot, window, "notifyWebhook")
    qtbot.waitUntil(lambda: highlighted(window) == ["airshipCustomEvent", "airshipCustomEvent"], timeout=2000)
    assert window.pane.saved_name() == "airshipCustomEvent"

    # Delete now acts on the action the pane and the list both show.
    answers.confirm = True
    qtbot.mouseClick(window.findChild(QPushButton, "deleteActionButton"), Qt.MouseButton.LeftButton)
    assert answers.asked[-1] == ("confirm", "Delete “airshipCustomEvent”?")


def test_a_refused_save_also_returns_the_selection(window, qtbot, answers):
    replace_text(qtbot, window.pane.names.name_edit, "bad name")
    answers.save_discard_cancel = "save"
    select(qtbot, window, "notifyWebhook")
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: highlighted(window) == ["airshipCustomEvent", "airshipCustomEvent"], timeout=2000)
    assert window.pane.saved_name() == "airshipCustomEvent"
    assert "notifyWebhook" in names_in_list(window)
