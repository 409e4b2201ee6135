"""Section 4 of the configuration pane: request, response and error-response payloads, allow NULL."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QTabWidget, QVBoxLayout, QWidget

from app.model.action import Action
from app.model.payload import Payload
from app.services import Services
from ui.payload.tab import PayloadTab

GET_REASON = "GET sends no body: a request payload needs POST or PUT."
_TABS = (
    # attribute, tab title, problem prefix, editor objectName, tree objectName
    ("request", "Request", "request payload", "requestPayloadEdit", "payloadFieldsView"),
    ("response", "Response", "response payload", "responsePayloadEdit", "responseFieldsView"),
    ("error_response", "Error response", "error response payload", "errorResponsePayloadEdit",
     "errorResponseFieldsView"),
)


class PayloadSection(QWidget):
    """Edits an action's `request`, `response`, `error_response` and `allow_null`."""

    changed = Signal()

    def __init__(self, services: Services, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self._services = services
        self._loading = False
        self._method = "POST"
        self._locked = False
        self._lock_banner = QLabel(self)
        self._lock_banner.setObjectName("payloadLockBanner")
        self._lock_banner.setWordWrap(True)
        self._lock_banner.hide()
        self.tabs_widget = QTabWidget(self)
        self.tabs_widget.setObjectName("payloadTabs")
        self.tabs: dict[str, PayloadTab] = {}
        for attr, title, where, edit_name, view_name in _TABS:
            tab = PayloadTab(where, edit_name, view_name, self.tabs_widget)
            tab.changed.connect(self._on_tab_changed)
            self.tabs[attr] = tab
            self.tabs_widget.addTab(tab, title)
        self.allow_null = QCheckBox("Allow NULL values", self)
        self.allow_null.setObjectName("allowNullCheck")
        self.allow_null.setToolTip("Nulls are sent as they are; null items inside arrays are dropped; "
                                   "a null array is sent as [].")
        self.allow_null.toggled.connect(self._on_tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._lock_banner)
        layout.addWidget(self.tabs_widget, 1)
        layout.addWidget(self.allow_null)

    # -- the pane's interface --------------------------------------------------------------
    def set_action(self, action: Action) -> None:
        """Show an action's payloads; not a user edit (no `changed`). The method is set apart (set_method)."""
        self._loading = True
        try:
            for attr, tab in self.tabs.items():
                payload: Optional[Payload] = getattr(action, attr)
                tab.set_payload(payload)
            self.allow_null.setChecked(action.allow_null)
        finally:
            self._loading = False

    def apply_to(self, action: Action) -> Action:
        """A copy of `action` with the payloads and allow-NULL from this section (GET drops the request)."""
        request = self.tabs["request"].payload() if self._method != "GET" else None
        return action.model_copy(update={
            "request": request,
            "response": self.tabs["response"].payload(),
            "error_response": self.tabs["error_response"].payload(),
            "allow_null": self.allow_null.isChecked(),
        })

    def pending_secrets(self) -> dict[str, str]:
        return {}

    def problems(self) -> list[str]:
        """What blocks saving: examples that are not valid JSON or hold refused field names."""
        return [p for p in (tab.problem() for tab in self.tabs.values()) if p]

    def set_locked(self, locked: bool, reason: str) -> None:
        """Read-only while the action is used in a journey, with the reason shown."""
        self._locked = locked
        self._lock_banner.setText(f"Locked: {reason}" if locked else "")
        self._lock_banner.setVisible(locked)
        for tab in self.tabs.values():
            tab.set_locked(locked)
        self.allow_null.setEnabled(not locked)

    def set_method(self, method: str) -> None:
        """The request example exists for POST and PUT only; GET disables it with the reason."""
        self._method = method.upper()
        is_get = self._method == "GET"
        self.tabs["request"].set_disabled_reason(GET_REASON if is_get else "")
        self.tabs_widget.setTabToolTip(0, GET_REASON if is_get else "The body sent to the endpoint")

    # -- slots -----------------------------------------------------------------------------
    def _on_tab_changed(self, *_: object) -> None:
        if not self._loading:
            self.changed.emit()


