"""A masked input for a secret value, with a show toggle; a stored secret is never read back."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QToolButton, QWidget

from app.model.base import SecretRef, Value
from ui import icons
from ui.auth.pending import PendingSecrets, as_value

STORED_HINT = "•••••••• stored in the keyring (type to replace)"


class SecretEdit(QWidget):
    """Holds a `Value`: typed text becomes a pending secret, `{{variable}}` stays plain text."""

    edited = Signal()  # text typed (live)
    editingFinished = Signal()

    def __init__(self, pending: PendingSecrets, hint: str, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self._pending, self._hint = pending, hint
        self._value: Value = ""
        self.line = QLineEdit(self)
        self.line.setEchoMode(QLineEdit.EchoMode.Password)
        self.line.setFont(icons.monospace_font())
        self.eye = QToolButton(self)
        self.eye.setObjectName("showSecretButton")
        self.eye.setIcon(icons.icon("eye"))
        self.eye.setCheckable(True)
        self.eye.setToolTip("Show what you typed (a secret already stored stays hidden)")
        self.eye.setAccessibleName("Show secret")
        self.eye.toggled.connect(self._on_eye)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.eye)
        self.setFocusProxy(self.line)
        self.line.textEdited.connect(self._on_typed)
        self.line.editingFinished.connect(self.editingFinished)

    def set_accessible_name(self, name: str) -> None:
        self.line.setAccessibleName(name)

    def set_value(self, value: Value) -> None:
        """Show a value: plain text, a pending secret (its typed text) or a stored one (hint only)."""
        self._value = value
        plain = self._pending.plain(value)
        if isinstance(value, SecretRef) and plain is None:
            self.line.setText("")
            self.line.setPlaceholderText(STORED_HINT)
        else:
            self.line.setText(plain if plain is not None else str(value))
            self.line.setPlaceholderText("")

    def value(self) -> Value:
        return self._value

    def set_read_only(self, read_only: bool) -> None:
        self.line.setReadOnly(read_only)

    def _on_typed(self, text: str) -> None:
        if not text and isinstance(self._value, SecretRef) and not self._pending.is_pending(self._value):
            return  # emptied the hint of a stored secret: keep it
        reuse = self._value if isinstance(self._value, SecretRef) else None
        self._value = as_value(text, self._pending, self._hint, reuse)
        self.line.setPlaceholderText("")
        self.edited.emit()

    def _on_eye(self, shown: bool) -> None:
        self.line.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
