"""The "Test request" dialog: a form from the action's Variable fields, Send off the UI thread, the
request (masked, copy as cURL) and the response (status, time, headers, pretty body, outcome code).
Every test call is recorded in the workspace history (source "test")."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.calls import CallResult, SetupError, ValuesError, inputs, send
from app.calls.history import history_of
from app.model import Action
from ui.sending.form import ValuesForm
from ui.sending.result_view import ResultView, monospace
from ui.workers import run_in_background

if TYPE_CHECKING:
    from app.services import Services


def send_in_background(services: Services, action: Action, values: dict[str, Any], path_suffix: str,
                       source: str, body: Any = None) -> CallResult:
    """The worker's job (no widgets here): resolve, send, record in the history."""
    return send(action, values, engine=services.auth, resolver=services.resolver(), path_suffix=path_suffix,
                body=body, source=source, history=history_of(services))


class RequestDialog(QDialog):
    """Send one call of `action` with values typed in a generated form."""

    finished_call = Signal(object)  # the CallResult, once shown

    def __init__(self, services: Services, action: Action, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.services, self.action = services, action
        self.setWindowTitle(f"Test request — {action.name}")
        self.resize(900, 700)
        self._busy = False
        header = QLabel(f"<b>{action.endpoint.method}</b> {action.endpoint.url}")
        header.setTextFormat(Qt.TextFormat.RichText)
        header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        monospace(header)
        self.form = ValuesForm(inputs(action))
        self.path = QLineEdit()
        self.path.setPlaceholderText("optional, e.g. 1234/messages")
        monospace(self.path)
        extra = QFormLayout()
        extra.addRow("Dynamic path", self.path)
        top = QWidget()
        top_box = QVBoxLayout(top)
        top_box.addWidget(self.form)
        top_box.addLayout(extra)
        top_box.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(top)
        self.result_view = ResultView()
        self.result_view.setObjectName("testRequestResult")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(scroll)
        splitter.addWidget(self.result_view)
        splitter.setSizes([300, 400])
        self.send_button = QPushButton("Send")
        self.send_button.setDefault(True)
        self.send_button.setToolTip("Send the request (Ctrl+Return)")
        self.send_button.clicked.connect(self.on_send)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.on_send)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)

    @property
    def busy(self) -> bool:
        return self._busy

    def on_send(self) -> None:
        if self._busy:
            return
        self.form.clear_problems()
        try:
            values = self.form.values()
        except ValueError as exc:
            self.result_view.show_message(str(exc), ok=False)
            return
        self._busy = True
        self.send_button.setEnabled(False)
        self.result_view.show_message(f"Sending… (timeout {self.action.timeout_seconds:g} s)")
        run_in_background(send_in_background, self.services, self.action, values, self.path.text().strip(), "test",
                          on_done=self._on_done, on_error=self._on_error, owner=self)

    def _on_done(self, result: CallResult) -> None:
        if not shiboken6.isValid(self):
            return
        self._finish()
        self.result_view.show_result(result)
        self.result_view.tabs.setCurrentIndex(0)
        self.finished_call.emit(result)

    def _on_error(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._finish()
        if isinstance(exc, ValuesError):
            self.form.show_problems(exc.problems)
            self.result_view.show_message("Not sent: fix the values marked above.", ok=False)
        elif isinstance(exc, SetupError):
            self.result_view.show_message(f"Not sent: {exc}", ok=False)
        else:
            self.result_view.show_message(f"Not sent: {type(exc).__name__}: {exc}", ok=False)

    def _finish(self) -> None:
        self._busy = False
        self.send_button.setEnabled(True)


def open_test_request(parent: Optional[QWidget], services: Services, action: Action) -> QDialog:
    """Open the test-request dialog for `action` (non-modal) and return it; closing it frees it."""
    dialog = RequestDialog(services, action, parent)
    # A child of the window lives as long as the window unless deleted on close (a leak per open).
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.show()
    return dialog
