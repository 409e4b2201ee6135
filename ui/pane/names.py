"""Section 1: name (validated while typing, the rule under the field), description, used in."""
from __future__ import annotations

from typing import Callable, Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.model.rules import NAME_MAX, NAME_RULE, name_problem
from ui import icons
from ui.wraplabel import WrapLabel

RULE_HINT = "letters, digits and _ only, at most 30, unique"


class NameSection(QWidget):
    """Name, description and the journeys that use the action."""

    edited = Signal()  # a completed edit (editing finished)
    typing = Signal()  # any keystroke (the pane updates the unsaved marker)
    viewJourneys = Signal()

    def __init__(self, name_taken: Callable[[str], bool], parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self._taken = name_taken
        self._saved_name = ""
        self._used_in: list[str] = []

        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("nameEdit")
        self.name_edit.setAccessibleName("Action name")
        self.name_edit.setToolTip(NAME_RULE)
        self.name_edit.setMaxLength(64)  # longer is refused with a reason rather than silently cut
        self.name_error = WrapLabel(parent=self)
        self.name_error.setObjectName("nameError")
        self.name_error.setAccessibleName("Name rule")
        self.description_edit = QLineEdit(self)
        self.description_edit.setObjectName("descriptionEdit")
        self.description_edit.setAccessibleName("Description")
        self.description_edit.setPlaceholderText("optional: what the action does")
        self.used_label = QLabel(self)
        self.used_label.setObjectName("usedInLabel")
        self.used_label.setAccessibleName("Used in journeys")
        self.journeys_button = QPushButton(icons.icon("journey"), "View journeys", self)
        self.journeys_button.setObjectName("viewJourneysButton")
        self.journeys_button.setAccessibleName("View the journeys that use this action")
        self.journeys_button.clicked.connect(self.viewJourneys)

        name_box = QVBoxLayout()
        name_box.setSpacing(2)
        name_box.addWidget(self.name_edit)
        name_box.addWidget(self.name_error)
        used_row = QHBoxLayout()
        used_row.addWidget(self.used_label)
        used_row.addWidget(self.journeys_button)
        used_row.addStretch(1)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Name", name_box)
        form.addRow("Description", self.description_edit)
        form.addRow("Used in", used_row)

        self.name_edit.textEdited.connect(self._on_name_typed)
        self.name_edit.editingFinished.connect(self.edited)
        self.description_edit.textEdited.connect(lambda *_: self.typing.emit())
        self.description_edit.editingFinished.connect(self.edited)

    def set_values(self, name: str, description: str, saved_name: str, used_in: list[str]) -> None:
        self._saved_name = saved_name
        self._used_in = list(used_in)
        if self.name_edit.text() != name:
            self.name_edit.setText(name)
        if self.description_edit.text() != description:
            self.description_edit.setText(description)
        n = len(used_in)
        self.used_label.setText(f"{n} journey{'s' if n != 1 else ''}" if n else "no journey")
        self.journeys_button.setEnabled(bool(n))
        self.update_rule()

    def values(self) -> tuple[str, str]:
        return self.name_edit.text(), self.description_edit.text()

    def problem(self) -> Optional[str]:
        """Why the typed name cannot be saved, or None."""
        name = self.name_edit.text()
        problem = name_problem(name)
        if problem:
            return problem
        if name.lower() != self._saved_name.lower() and self._taken(name):
            return f"an action named {name!r} already exists; names must be unique"
        return None

    def _on_name_typed(self, _text: str) -> None:
        self.update_rule()
        self.typing.emit()

    def update_rule(self) -> None:
        problem = self.problem()
        if problem:
            self.name_error.setText("✗ " + problem)
            icons.tint(self.name_error, "error")
        else:
            note = ""
            name = self.name_edit.text()
            if self._used_in and self._saved_name and name != self._saved_name:
                n = len(self._used_in)
                who = "the journey that calls it" if n == 1 else f"the {n} journeys that call it"
                note = f" (saving updates {who} to the new name)"
            count = f"{len(name)}/{NAME_MAX}"
            self.name_error.setText(f"✓ {RULE_HINT} · {count}{note}")
            icons.tint(self.name_error, "")
        self.name_error.setAccessibleDescription(self.name_error.text())
