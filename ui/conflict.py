"""A save that found the file changed or deleted since it was loaded (by the command line, another
window, an editor): what both sides hold, and the dialog that shows them side by side."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Optional

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QLabel, QPlainTextEdit, QWidget

from ui import icons


@dataclass(frozen=True)
class Conflict:
    """name: the stored name the save was checked against; kind: "changed" or "deleted"."""

    name: str
    kind: str
    mine: str  # the pane's action as JSON (secrets are references, never values)
    theirs: Optional[str]  # the file as it is on disk now; None when it was deleted

    def question(self) -> str:
        if self.kind == "deleted":
            return f"“{self.name}” was deleted outside this window since you opened it."
        return f"“{self.name}” was changed outside this window since you opened it."


def read_conflict(workspace: Any, exc: Any, mine: Any) -> Conflict:
    """Worker: both sides of a refused save, read now (the file may be gone)."""
    theirs: Optional[str] = None
    if exc.kind == "changed":
        try:
            theirs = workspace.action_path(exc.name).read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            theirs = None
    kind = "deleted" if theirs is None else "changed"
    return Conflict(exc.name, kind, json.dumps(mine.dump(), indent=2, ensure_ascii=False), theirs)


class ConflictDialog(QDialog):
    """Both JSON texts side by side; Keep mine / Take theirs / Cancel. `choice` says which."""

    def __init__(self, conflict: Conflict, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(f"{conflict.name}: your version and the one on disk")
        self.choice = "cancel"
        grid = QGridLayout(self)
        grid.addWidget(QLabel(conflict.question(), self), 0, 0, 1, 2)
        sides = (("Yours (unsaved)", conflict.mine, "conflictMine"),
                 ("On disk now", conflict.theirs if conflict.theirs is not None else "(deleted)", "conflictTheirs"))
        for column, (title, text, name) in enumerate(sides):
            grid.addWidget(QLabel(f"<b>{title}</b>", self), 1, column)
            view = QPlainTextEdit(text, self)
            view.setObjectName(name)
            view.setAccessibleName(title)
            view.setReadOnly(True)
            view.setFont(icons.monospace_font())
            view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
            grid.addWidget(view, 2, column)
        self.buttons = QDialogButtonBox(self)
        self.mine_button = self.buttons.addButton("Keep mine", QDialogButtonBox.ButtonRole.AcceptRole)
        self.theirs_button = self.buttons.addButton("Take theirs", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.clicked.connect(self._on_clicked)
        grid.addWidget(self.buttons, 3, 0, 1, 2)
        self.resize(1000, 640)

    def _on_clicked(self, button: Any) -> None:
        self.choice = "mine" if button is self.mine_button else "theirs" if button is self.theirs_button else "cancel"
        self.done(QDialog.DialogCode.Accepted if self.choice != "cancel" else QDialog.DialogCode.Rejected)
