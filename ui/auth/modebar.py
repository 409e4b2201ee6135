"""The Authentication section's top row: the mode, the Form/JSON switch of a custom auth, and the
cURL buttons (paste a token command in, copy the token request out)."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QPushButton, QToolButton, QWidget

from ui import icons
from ui.auth.pages import FORM, JSON, MODES


class ModeBar(QWidget):
    """Says what the user chose; `show_mode` follows the mode shown without a signal."""

    modeChosen = Signal(str)
    viewChosen = Signal(int)  # FORM or JSON
    pasteClicked = Signal()
    copyClicked = Signal()

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.mode = QComboBox(self)
        self.mode.setObjectName("authModeCombo")
        self.mode.setAccessibleName("Authentication type")
        for data, text in MODES:
            self.mode.addItem(text, data)
        self.form_button = self._view_button("Form", "authFormViewButton")
        self.json_button = self._view_button("JSON", "authJsonViewButton")
        self._views = QButtonGroup(self)
        self._views.addButton(self.form_button, FORM)
        self._views.addButton(self.json_button, JSON)
        self.form_button.setChecked(True)
        self.paste_button = QPushButton("Paste cURL", self)
        self.paste_button.setObjectName("pasteCurlButton")
        self.paste_button.setToolTip("Fill a custom authentication from a curl token command")
        self.copy_button = QPushButton("Copy as cURL", self)
        self.copy_button.setObjectName("copyCurlButton")
        self.copy_button.setToolTip("Copy the token request as a curl command (secrets masked)")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.mode)
        row.addStretch(1)
        for widget in (self.form_button, self.json_button, self.paste_button, self.copy_button):
            row.addWidget(widget)
        self.mode.activated.connect(lambda _index: self.modeChosen.emit(self.mode.currentData()))
        self._views.idClicked.connect(self.viewChosen)
        self.paste_button.clicked.connect(self.pasteClicked)
        self.copy_button.clicked.connect(self.copyClicked)

    def _view_button(self, text: str, name: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setObjectName(name)
        button.setCheckable(True)
        button.setAccessibleName(f"Show the custom authentication as {text}")
        icons.show_checked(button)
        return button

    def show_mode(self, mode: str) -> None:
        """The mode in the combo; Form/JSON and Copy as cURL exist for a custom auth only."""
        self.mode.setCurrentIndex(max(0, self.mode.findData(mode)))
        custom = mode == "customAuthorization"
        for widget in (self.form_button, self.json_button, self.copy_button):
            widget.setVisible(custom)

    def check_view(self, view: int) -> None:
        (self.json_button if view == JSON else self.form_button).setChecked(True)
