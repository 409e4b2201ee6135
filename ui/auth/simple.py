"""The forms of the simple modes: Basic (username, password) and API key (name, value, location)."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from app.model.auth import ApiKeyAuth, BasicAuth
from ui import icons
from ui.auth.pending import PendingSecrets
from ui.auth.secretedit import SecretEdit


class BasicForm(QWidget):
    edited = Signal()
    committed = Signal()

    def __init__(self, pending: PendingSecrets, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.username = QLineEdit(self)
        self.username.setObjectName("basicUsernameEdit")
        self.username.setAccessibleName("Username")
        self.password = SecretEdit(pending, "auth/password", self)
        self.password.setObjectName("basicPasswordEdit")
        self.password.set_accessible_name("Password")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Username", self.username)
        form.addRow("Password", self.password)
        hint = QLabel("Sent as Authorization: Basic base64(username:password).", self)
        icons.tint(hint, "quiet")
        form.addRow("", hint)
        self.username.textEdited.connect(self.edited)
        self.username.editingFinished.connect(self.committed)
        self.password.edited.connect(self.edited)
        self.password.editingFinished.connect(self.committed)

    def set_auth(self, auth: BasicAuth) -> None:
        self.username.setText(auth.username)
        self.password.set_value(auth.password)

    def auth(self) -> BasicAuth:
        return BasicAuth(username=self.username.text().strip(), password=self.password.value())

    def problems(self) -> list[str]:
        out = []
        if not self.username.text().strip():
            out.append("authentication.username: enter the username")
        if not self.password.value():
            out.append("authentication.password: enter the password")
        return out


class ApiKeyForm(QWidget):
    edited = Signal()
    committed = Signal()

    def __init__(self, pending: PendingSecrets, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit(self)
        self.name.setObjectName("apiKeyNameEdit")
        self.name.setAccessibleName("API key name")
        self.name.setFont(icons.monospace_font())
        self.value = SecretEdit(pending, "auth/apikey", self)
        self.value.setObjectName("apiKeyValueEdit")
        self.value.set_accessible_name("API key value")
        self.location = QComboBox(self)
        self.location.setObjectName("apiKeyLocationCombo")
        self.location.setAccessibleName("API key location")
        self.location.addItem("Header", "header")
        self.location.addItem("Query parameter", "query")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Name", self.name)
        form.addRow("Value", self.value)
        form.addRow("Send in", self.location)
        self.name.textEdited.connect(self.edited)
        self.name.editingFinished.connect(self.committed)
        self.value.edited.connect(self.edited)
        self.value.editingFinished.connect(self.committed)
        self.location.activated.connect(self.edited)
        self.location.activated.connect(self.committed)

    def set_auth(self, auth: ApiKeyAuth) -> None:
        self.name.setText(auth.name)
        self.value.set_value(auth.value)
        self.location.setCurrentIndex(self.location.findData(auth.location))

    def auth(self) -> ApiKeyAuth:
        """Raises pydantic's ValidationError for a refused header name."""
        return ApiKeyAuth(name=self.name.text().strip(), value=self.value.value(),
                          location=self.location.currentData())

    def problems(self) -> list[str]:
        return [] if self.value.value() else ["authentication.value: enter the API key"]
