"""The pane's header bar: the action's name with the unsaved marker, Test request and Save."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from ui import icons
from ui.wraplabel import ElidedLabel


class PaneHeader(QWidget):
    """Shows what is edited; says when Save or Test request is clicked."""

    saveClicked = Signal()
    testClicked = Signal()

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("paneHeader")
        # Elided: a long name must not widen the pane (its least width moved the window's divider
        # at each switch); the whole name is in the tooltip, the accessible description and the Name field.
        self.title = ElidedLabel(self)
        self.title.setObjectName("paneTitle")
        self.title.setAccessibleName("Action being edited")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.save_button = QPushButton(icons.icon("save"), "Save", self)
        self.save_button.setObjectName("saveButton")
        self.save_button.setAccessibleName("Save the action")
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_button.clicked.connect(self.saveClicked)
        self.test_request_button = QPushButton(icons.icon("send"), "Test request", self)
        self.test_request_button.setObjectName("testRequestButton")
        self.test_request_button.setAccessibleName("Send a test request through this action")
        self.test_request_button.setToolTip("Send a test request (Ctrl+Return); unsaved edits are saved first")
        self.test_request_button.clicked.connect(self.testClicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        row.addWidget(self.title, 1)
        row.addWidget(self.test_request_button)
        row.addWidget(self.save_button)

    def show_title(self, name: str, dirty: bool = False) -> None:
        text = name + (" *" if dirty else "")
        if text != self.title.text():
            self.title.setText(text)
            self.title.setToolTip(name + (" (not saved)" if dirty else ""))
            self.title.setAccessibleDescription(self.title.toolTip())

    def set_saving(self, saving: bool) -> None:
        self.save_button.setEnabled(not saving)
        self.save_button.setText("Saving…" if saving else "Save")
