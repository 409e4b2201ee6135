"""Section 4 of the configuration pane: request, response and error-response payloads, allow NULL."""
from __future__ import annotations

from typing import Iterator, Mapping, Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QTabWidget, QVBoxLayout, QWidget

from app.model.action import Action
from app.model.payload import Payload
from app.services import Services
from ui.focuschain import place_after
from ui.payload.tab import PayloadTab
from ui.wraplabel import WrapLabel

GET_REASON = "GET sends no body: a request payload needs POST or PUT."
_TABS = (
    # attribute, tab title, problem prefix, editor objectName, tree objectName
    ("request", "Request", "request payload", "requestPayloadEdit", "payloadFieldsView"),
    ("response", "Response", "response payload", "responsePayloadEdit", "responseFieldsView"),
    ("error_response", "Error response", "error response payload", "errorResponsePayloadEdit",
     "errorResponseFieldsView"),
)


class PayloadSection(QWidget):
    """Edits an action's `request`, `response`, `error_response` and `allow_null`.

    The request tab is built with the section; the response and error-response tabs (~75 widgets)
    when first shown or asked for (`tabs[...]`): until then the section keeps what they would show
    (the stored payload, the lock) and gives it back as it is."""

    changed = Signal()

    def __init__(self, services: Services, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self._services = services
        self._loading = False
        self._method = "POST"
        self._locked = False
        self._lock_banner = WrapLabel(parent=self)
        self._lock_banner.setObjectName("payloadLockBanner")
        self._lock_banner.hide()
        self.tabs_widget = QTabWidget(self)
        self.tabs_widget.setObjectName("payloadTabs")
        self._built: dict[str, PayloadTab] = {}
        self._stored: dict[str, Optional[Payload]] = {attr: None for attr, *_ in _TABS}  # of the tabs not built
        self._pages: dict[str, QWidget] = {}
        for attr, title, *_ in _TABS:
            page = self._pages[attr] = QWidget(self.tabs_widget)  # holds its tab once built
            QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
            self.tabs_widget.addTab(page, title)
        self.tabs: Mapping[str, PayloadTab] = _Tabs(self)
        self._tab("request")  # shown first
        self.tabs_widget.currentChanged.connect(lambda index: self._tab(_TABS[index][0]) if index >= 0 else None)
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

    def _tab(self, attr: str) -> PayloadTab:
        """The tab of `attr`, built the first time (showing what the section kept for it)."""
        tab = self._built.get(attr)
        if tab is not None:
            return tab
        _attr, _title, where, edit_name, view_name = next(t for t in _TABS if t[0] == attr)
        page = self._pages[attr]
        tab = self._built[attr] = PayloadTab(where, edit_name, view_name, page)
        page.layout().addWidget(tab)  # type: ignore[union-attr]
        tab.show()  # now, not on the layout's queued show: a tab chosen is shown (and named) at once
        before = [self._built[a] for a, *_ in _TABS[: [t[0] for t in _TABS].index(attr)] if a in self._built]
        if before:
            place_after(before[-1], tab)
        tab.set_locked(self._locked)
        if attr == "request":
            tab.set_disabled_reason(GET_REASON if self._method == "GET" else "")
        loading, self._loading = self._loading, True
        try:
            tab.set_payload(self._stored.pop(attr, None))
        finally:
            self._loading = loading
        tab.changed.connect(self._on_tab_changed)
        return tab

    def _payload(self, attr: str) -> Optional[Payload]:
        tab = self._built.get(attr)
        return tab.payload() if tab is not None else self._stored.get(attr)

    # -- the pane's interface --------------------------------------------------------------
    def set_action(self, action: Action) -> None:
        """Show an action's payloads; not a user edit (no `changed`). The method is set apart (set_method)."""
        self._loading = True
        try:
            for attr, *_ in _TABS:
                payload: Optional[Payload] = getattr(action, attr)
                tab = self._built.get(attr)
                if tab is not None:
                    tab.set_payload(payload)
                else:
                    self._stored[attr] = payload  # never changed here: a tab copies what an edit touches
            self.allow_null.setChecked(action.allow_null)
        finally:
            self._loading = False

    def apply_to(self, action: Action) -> Action:
        """A copy of `action` with the payloads and allow-NULL from this section (GET drops the request)."""
        request = self._payload("request") if self._method != "GET" else None
        return action.model_copy(update={
            "request": request,
            "response": self._payload("response"),
            "error_response": self._payload("error_response"),
            "allow_null": self.allow_null.isChecked(),
        })

    def pending_secrets(self) -> dict[str, str]:
        return {}

    def problems(self) -> list[str]:
        """What blocks saving: examples that are not valid JSON or hold refused field names (a tab not
        built yet shows a stored payload, which has none)."""
        return [p for p in (tab.problem() for tab in self._built.values()) if p]

    def set_locked(self, locked: bool, reason: str) -> None:
        """Read-only while the action is used in a journey, with the reason shown."""
        self._locked = locked
        self._lock_banner.setText(f"Locked: {reason}" if locked else "")
        self._lock_banner.setVisible(locked)
        for tab in self._built.values():
            tab.set_locked(locked)
        self.allow_null.setEnabled(not locked)

    def set_method(self, method: str) -> None:
        """The request example exists for POST and PUT only; GET disables it with the reason."""
        self._method = method.upper()
        is_get = self._method == "GET"
        self._tab("request").set_disabled_reason(GET_REASON if is_get else "")
        self.tabs_widget.setTabToolTip(0, GET_REASON if is_get else "The body sent to the endpoint")

    # -- slots -----------------------------------------------------------------------------
    def _on_tab_changed(self, *_: object) -> None:
        if not self._loading:
            self.changed.emit()


class _Tabs(Mapping[str, PayloadTab]):
    """`section.tabs["response"]`: the tab, built if it was not yet."""

    def __init__(self, section: PayloadSection) -> None:
        self._section = section

    def __getitem__(self, attr: str) -> PayloadTab:
        if attr not in self._section._pages:
            raise KeyError(attr)
        return self._section._tab(attr)

    def __iter__(self) -> Iterator[str]:
        return iter(attr for attr, *_ in _TABS)

    def __len__(self) -> int:
        return len(_TABS)
