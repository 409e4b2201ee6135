"""The form of a customAuthorization document: token request, token path, cache, how it is applied."""
from __future__ import annotations

from typing import Any, Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QSpinBox, QWidget

from app.model.auth import TIME_UNITS, CustomAuth, CustomBody
from app.model.base import Value
from ui import icons
from ui.auth.params import ParamsEditor
from ui.auth.pending import PendingSecrets

CACHE_CHOICES = (("default", "Default (1 hour)"), ("duration", "Fixed duration"),
                 ("expiry", "Expiry read from the response"))
AUTH_TYPES = (("bearer", "Bearer (Authorization: Bearer <token>)"), ("header", "Header named…"),
              ("queryParam", "Query parameter named…"))


def _combo(parent: QWidget, name: str, items: tuple[tuple[str, str], ...], accessible: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    for data, text in items:
        combo.addItem(text, data)
    return combo


def _line(parent: QWidget, name: str, accessible: str, placeholder: str = "") -> QLineEdit:
    line = QLineEdit(parent)
    line.setObjectName(name)
    line.setAccessibleName(accessible)
    line.setPlaceholderText(placeholder)
    line.setFont(icons.monospace_font())
    return line


class CustomForm(QWidget):
    """Edits every field of the customAuthorization document; `document()` reads it back."""

    edited = Signal()  # something changed (live, while typing too)
    committed = Signal()  # a completed edit (field left, choice made, row changed)

    def __init__(self, pending: PendingSecrets, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.endpoint = _line(self, "customEndpointEdit", "Token endpoint URL", "https://…/ims/token/v3")
        self.method = _combo(self, "customMethodCombo", (("POST", "POST"), ("GET", "GET")), "Token request method")
        self.headers = ParamsEditor(pending, "auth-header", "Token request headers", self)
        self.headers.view.setObjectName("customHeadersTable")
        self.body_type = _combo(self, "customBodyTypeCombo", (("form", "form (x-www-form-urlencoded)"),
                                                              ("json", "JSON")), "Body type")
        self.body = ParamsEditor(pending, "auth-body", "Body parameters", self)
        self.body.view.setObjectName("customBodyParamsTable")
        self.token_path = _line(self, "customTokenPathEdit", "Token in response", "json://access_token")
        self.token_path.setToolTip('"response" (the whole body is the token) or json://path.to.token')
        self.cache = _combo(self, "customCacheCombo", CACHE_CHOICES, "Token cache")
        self.duration = QSpinBox(self)
        self.duration.setObjectName("customCacheDurationSpin")
        self.duration.setAccessibleName("Cache duration")
        self.duration.setRange(1, 2_000_000_000)
        self.duration.setKeyboardTracking(False)
        self.expiry_path = _line(self, "customExpiryPathEdit", "Expiry in response", "json://expires_in")
        self.unit = _combo(self, "customTimeUnitCombo", tuple((u, u) for u in TIME_UNITS), "Time unit")
        self.auth_type = _combo(self, "customAuthTypeCombo", AUTH_TYPES, "Authorization type")
        self.token_target = _line(self, "customTokenTargetEdit", "Token target", "header or query parameter name")
        self._layout = self._build()
        self._connect()
        self.set_auth(CustomAuth(body=CustomBody()))

    def _build(self) -> QFormLayout:
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        request = QHBoxLayout()
        request.addWidget(self.method)
        request.addWidget(self.endpoint, 1)
        form.addRow("Token request", request)
        form.addRow("Headers", self.headers)
        form.addRow("Body type", self.body_type)
        form.addRow("Body", self.body)
        form.addRow("Token in response", self.token_path)
        cache = QHBoxLayout()
        for widget in (self.cache, self.duration, self.expiry_path, self.unit):
            cache.addWidget(widget)
        cache.addStretch(1)
        form.addRow("Cache", cache)
        form.addRow("Apply token as", self.auth_type)
        form.addRow("Token target", self.token_target)
        return form

    def _connect(self) -> None:
        for line in (self.endpoint, self.token_path, self.expiry_path, self.token_target):
            line.textEdited.connect(self.edited)
            line.editingFinished.connect(self._on_finished)
        for combo in (self.method, self.body_type, self.cache, self.unit, self.auth_type):
            combo.activated.connect(self._on_choice)
        self.duration.valueChanged.connect(self._on_choice)
        for table in (self.headers, self.body):
            table.model.edited.connect(self._on_choice)

    # -- reading and writing ---------------------------------------------------------------
    def set_auth(self, auth: CustomAuth) -> None:
        """Fill the form (no signals: loading is not an edit)."""
        self.blockSignals(True)
        try:
            self.endpoint.setText(auth.endpoint)
            self.method.setCurrentIndex(self.method.findData(auth.method))
            self.headers.model.set_values(dict(auth.headers))
            if auth.body is not None:
                self.body_type.setCurrentIndex(self.body_type.findData(auth.body.body_type))
                self.body.model.set_values(dict(auth.body.body_params))
            elif auth.method == "POST":
                self.body.model.set_values({})
            self.token_path.setText(auth.token_in_response)
            self._set_cache(auth)
            self.auth_type.setCurrentIndex(self.auth_type.findData(auth.authorization_type))
            self.token_target.setText(auth.token_target or "")
        finally:
            self.blockSignals(False)
        self._update_visibility()

    def _set_cache(self, auth: CustomAuth) -> None:
        cache = auth.cache_duration
        kind = "default" if cache is None else "duration" if cache.duration is not None else "expiry"
        self.cache.setCurrentIndex(self.cache.findData(kind))
        self.duration.blockSignals(True)
        self.duration.setValue(cache.duration if cache is not None and cache.duration else 3600)
        self.duration.blockSignals(False)
        self.expiry_path.setText((cache.expiry_in_response or "") if cache is not None else "")
        self.unit.setCurrentIndex(self.unit.findData(cache.time_unit if cache is not None else "seconds"))

    def document(self) -> dict[str, Any]:
        """The customAuthorization document (camelCase); values may be SecretRefs."""
        doc: dict[str, Any] = {"type": "customAuthorization", "endpoint": self.endpoint.text().strip(),
                               "method": self.method.currentData(), "headers": self.headers.model.values()}
        if self.method.currentData() == "POST":
            doc["body"] = {"bodyType": self.body_type.currentData(), "bodyParams": self.body.model.values()}
        doc["tokenInResponse"] = self.token_path.text().strip()
        kind = self.cache.currentData()
        if kind == "duration":
            doc["cacheDuration"] = {"duration": self.duration.value(), "timeUnit": self.unit.currentData()}
        elif kind == "expiry":
            doc["cacheDuration"] = {"expiryInResponse": self.expiry_path.text().strip(),
                                    "timeUnit": self.unit.currentData()}
        doc["authorizationType"] = self.auth_type.currentData()
        if self.auth_type.currentData() != "bearer":
            doc["tokenTarget"] = self.token_target.text().strip()
        return doc

    def secret_values(self) -> list[Value]:
        return [*self.headers.model.refs(), *self.body.model.refs()]

    def set_read_only(self, read_only: bool) -> None:
        for line in (self.endpoint, self.token_path, self.expiry_path, self.token_target):
            line.setReadOnly(read_only)
        for widget in (self.method, self.body_type, self.cache, self.unit, self.auth_type, self.duration):
            widget.setEnabled(not read_only)
        self.headers.set_read_only(read_only)
        self.body.set_read_only(read_only)

    # -- slots -----------------------------------------------------------------------------
    def _on_choice(self, *_: Any) -> None:
        self._update_visibility()
        self.edited.emit()
        self.committed.emit()

    def _on_finished(self) -> None:
        self.committed.emit()

    def _update_visibility(self) -> None:
        post = self.method.currentData() == "POST"
        self._layout.setRowVisible(self.body_type, post)
        self._layout.setRowVisible(self.body, post)
        kind = self.cache.currentData()
        self.duration.setVisible(kind == "duration")
        self.expiry_path.setVisible(kind == "expiry")
        self.unit.setVisible(kind != "default")
        self._layout.setRowVisible(self.token_target, self.auth_type.currentData() != "bearer")
