"""A masked input for a secret value, with a show toggle; a stored secret is never read back."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QToolButton, QWidget

from app.model.base import SecretRef, Value
from ui import icons, message
from ui.auth.pending import PendingSecrets, as_value
from ui.naming import name_parts


def stored_hint(place: Optional[str]) -> str:
    """What an empty field holding a stored secret says, given where the store keeps secrets."""
    if place is None:  # not probed yet: claim nothing
        return "•••••••• a stored secret (type to replace)"
    if not place:
        return "no keyring is available: the stored secret cannot be read (type it again)"
    return f"•••••••• stored in {place} (type to replace)"


def where_typed_goes(place: Optional[str]) -> str:
    """The field's tooltip: where a value typed here is kept once the action is saved."""
    if place is None:
        return "Kept in the OS secret store when you save, never in the action's file"
    if not place:
        return ("No keyring is available: a secret typed here cannot be saved until you choose "
                "session-only storage (never written to disk)")
    return f"Kept in {place} when you save, never in the action's file"


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
        name_parts(self, {"Show": self.eye})
        self.eye.setIcon(icons.icon("eye"))
        self.eye.setCheckable(True)
        self.eye.setToolTip("Show what you typed (a secret already stored stays hidden)")
        self.eye.setAccessibleName("Show secret")
        self.eye.toggled.connect(self._on_eye)
        icons.show_checked(self.eye)  # "shown" must be visible in a dark scheme too
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.eye)
        self.setFocusProxy(self.line)
        self.line.textEdited.connect(self._on_typed)
        self.line.editingFinished.connect(self.editingFinished)
        message.bridge().secretStoreChanged.connect(self._show_place)
        self._show_place()

    def set_accessible_name(self, name: str) -> None:
        self.line.setAccessibleName(name)

    def set_value(self, value: Value) -> None:
        """Show a value: plain text, a pending secret (its typed text) or a stored one (hint only)."""
        self._value = value
        plain = self._pending.plain(value)
        if isinstance(value, SecretRef) and plain is None:
            self.line.setText("")
        else:
            self.line.setText(plain if plain is not None else str(value))
        self._show_place()

    def value(self) -> Value:
        return self._value

    def set_read_only(self, read_only: bool) -> None:
        self.line.setReadOnly(read_only)

    def _on_typed(self, text: str) -> None:
        if not text and isinstance(self._value, SecretRef) and not self._pending.is_pending(self._value):
            return  # emptied the hint of a stored secret: keep it
        reuse = self._value if isinstance(self._value, SecretRef) else None
        self._value = as_value(text, self._pending, self._hint, reuse)
        self._show_place()
        self.edited.emit()

    def _show_place(self) -> None:
        """Say where the secret lives as the store really is (no keyring, session only, keyring)."""
        place = self._pending.place()
        stored = isinstance(self._value, SecretRef) and not self._pending.is_pending(self._value)
        self.line.setPlaceholderText(stored_hint(place) if stored else "")
        self.line.setToolTip(where_typed_goes(place))

    def _on_eye(self, shown: bool) -> None:
        self.line.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
