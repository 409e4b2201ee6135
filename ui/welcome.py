"""The first-run page: shown in place of the empty pane when the workspace has no action yet.

It offers the ways in: the sample workspace, a new action, an import (a file of actions, a cURL
token command). Each button emits a signal; the window does the work (ui.mainwindow wires them).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui import icons
from ui.about import app_icon

# (object name, text, icon, what it does): the import formats grow as importers land.
CHOICES = (
    ("welcomeSample", "Open the sample workspace", "play",
     "Three actions, a journey and environments, running against the local sandbox: nothing leaves this machine."),
    ("welcomeNew", "New action", "add", "Start from an empty custom action."),
    ("welcomeImport", "Import actions…", "import", "Actions from a file, in the formats File > Import reads."),
    ("welcomeCurl", "New action from a cURL command…", "import",
     "Paste a token call copied from a vendor's console: it becomes the action's custom authentication."),
)


class WelcomePage(QWidget):
    sampleRequested = Signal()
    newRequested = Signal()
    importRequested = Signal()
    curlRequested = Signal()

    def __init__(self, home: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePage")
        logo = QLabel(self)
        logo.setPixmap(app_icon().pixmap(72, 72))
        title = QLabel("<h2>Welcome to Action Studio</h2>", self)
        intro = QLabel(f"This workspace is empty ({home}). Start from one of these:", self)
        intro.setWordWrap(True)
        column = QVBoxLayout()
        column.addWidget(logo, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(title)
        column.addWidget(intro)
        column.addSpacing(12)
        signals = {"welcomeSample": self.sampleRequested, "welcomeNew": self.newRequested,
                   "welcomeImport": self.importRequested, "welcomeCurl": self.curlRequested}
        self.buttons: dict[str, QPushButton] = {}
        for name, text, icon, hint in CHOICES:
            button = QPushButton(icons.icon(icon), text, self)
            button.setObjectName(name)
            button.setMinimumWidth(280)
            button.clicked.connect(signals[name])
            note = QLabel(hint, self)
            note.setWordWrap(True)
            icons.tint(note, "quiet")
            row = QHBoxLayout()
            row.addWidget(button)
            row.addWidget(note, 1)
            column.addLayout(row)
            self.buttons[name] = button
        column.addStretch(1)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(48, 40, 48, 24)
        outer.addLayout(column, 1)
        outer.addStretch(0)
