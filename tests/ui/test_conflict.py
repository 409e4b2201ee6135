"""The save-conflict dialog: both versions side by side, and the choice it returns."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPlainTextEdit

from ui.conflict import Conflict, ConflictDialog


@pytest.mark.parametrize("button, choice", [("mine_button", "mine"), ("theirs_button", "theirs")])
def test_both_versions_side_by_side_and_the_choice(qtbot, button, choice):
    conflict = Conflict("notifyWebhook", "changed", '{"description": "mine"}', '{"description": "theirs"}')
    dialog = ConflictDialog(conflict)
    qtbot.addWidget(dialog)
    mine = dialog.findChild(QPlainTextEdit, "conflictMine")
    theirs = dialog.findChild(QPlainTextEdit, "conflictTheirs")
    assert mine.toPlainText() == '{"description": "mine"}' and mine.isReadOnly()
    assert theirs.toPlainText() == '{"description": "theirs"}'
    assert "changed outside this window" in conflict.question()
    getattr(dialog, button).click()
    assert dialog.choice == choice and dialog.result() == 1


def test_a_deleted_file_shows_as_deleted_and_cancel_keeps_editing(qtbot):
    dialog = ConflictDialog(Conflict("cliHook", "deleted", "{}", None))
    qtbot.addWidget(dialog)
    assert dialog.findChild(QPlainTextEdit, "conflictTheirs").toPlainText() == "(deleted)"
    dialog.reject()
    assert dialog.choice == "cancel"
