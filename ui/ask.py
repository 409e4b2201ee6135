"""Every modal question the app asks, as small functions tests replace (monkeypatch ui.ask.X).

Callers always go through the module (`ask.confirm(...)`), never `from ui.ask import confirm`,
so a test's replacement is the one used.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

JSON_FILTER = "JSON files (*.json);;All files (*)"


def save_discard_cancel(parent: Optional[QWidget], name: str) -> str:
    """'save', 'discard' or 'cancel' for unsaved changes to the action `name`."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Unsaved changes")
    box.setText(f"“{name}” has unsaved changes.")
    box.setInformativeText("Save them before you go on?")
    box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                           | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    return {QMessageBox.StandardButton.Save: "save", QMessageBox.StandardButton.Discard: "discard"}.get(
        QMessageBox.StandardButton(answer), "cancel")


def confirm(parent: Optional[QWidget], title: str, text: str, ok: str = "OK", detail: str = "") -> bool:
    """A yes/no question; True when the user chose `ok`."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    if detail:
        box.setInformativeText(detail)
    yes = box.addButton(ok, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(yes)
    box.exec()
    return box.clickedButton() is yes


def open_file(parent: Optional[QWidget], title: str, filter: str = JSON_FILTER) -> Optional[Path]:
    path, _ = QFileDialog.getOpenFileName(parent, title, "", filter)
    return Path(path) if path else None


def save_file(parent: Optional[QWidget], title: str, suggested: str, filter: str = JSON_FILTER) -> Optional[Path]:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filter)
    return Path(path) if path else None


def inform(parent: Optional[QWidget], title: str, text: str, detail: str = "") -> None:
    """A plain information box (About, the journeys an action is used in, import notes)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    if detail:
        box.setInformativeText(detail)
    box.exec()


def show_dialog(dialog: QWidget) -> int:
    """Run a modal dialog (Environments, Keyboard shortcuts); tests replace this to drive it."""
    return dialog.exec()  # type: ignore[attr-defined]


def save_conflict(parent: Optional[QWidget], conflict: Any) -> str:
    """'mine', 'theirs' or 'cancel' when a save finds the file changed or deleted on disk
    (a `ui.conflict.Conflict`); "Show both" opens the two versions side by side to choose there."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Changed outside the window")
    box.setText(conflict.question())
    box.setInformativeText("Keep your version (it replaces the one on disk), or take the one on disk "
                           "(your unsaved changes are dropped)?" if conflict.kind == "changed" else
                           "Keep your version (it is saved again), or let it go (your unsaved changes are dropped)?")
    mine = box.addButton("Keep mine", QMessageBox.ButtonRole.AcceptRole)
    theirs = box.addButton("Take theirs", QMessageBox.ButtonRole.DestructiveRole)
    both = box.addButton("Show both…", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(both)
    box.exec()
    clicked = box.clickedButton()
    if clicked is both:
        from ui.conflict import ConflictDialog

        dialog = ConflictDialog(conflict, parent)
        dialog.exec()
        dialog.deleteLater()
        return dialog.choice
    return "mine" if clicked is mine else "theirs" if clicked is theirs else "cancel"
