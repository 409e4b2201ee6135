"""The "Test authentication" row: its widgets, the test in a worker, the busy state, Cancel, the
result line and the Details dialog.

The section decides whether the auth is ready to test; `AuthTester` runs it with the pending
secrets overlaid (nothing is written to the keyring) and masks every secret the test used.
"""
from __future__ import annotations

import threading
from typing import Any, Optional

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QToolButton, QWidget

from app.services import Services
from ui import icons, workers
from ui.auth.pending import masked_text, overlay_resolver
from ui.auth.result import DetailsDialog, details, summary


class AuthTester(QObject):
    """Owns the test row's widgets (children of `view`, laid out by `row`) and the running test."""

    finished = Signal(object)  # the AuthTestResult

    def __init__(self, services: Services, view: QWidget) -> None:
        super().__init__(view)
        self._services = services
        self._view = view
        # A test that finishes after the action changed is ignored: each start or cancel bumps this.
        self._generation = 0
        self._last_result: Any = None
        self._result_secrets: set[str] = set()
        self._stop: Optional[threading.Event] = None  # set to end the running test's token call
        self.details_dialog: Optional[DetailsDialog] = None
        self._build(view)
        self.details_button.clicked.connect(self.show_details)
        self.cancel_button.clicked.connect(self.on_cancel_clicked)

    def _build(self, view: QWidget) -> None:
        # The widgets are the section's own children (not a row widget) so that the row takes no
        # space, spacing included, while all of them are hidden ("No authentication").
        self.button = QPushButton("Test authentication", view)
        self.button.setObjectName("testAuthButton")
        self.button.setIcon(icons.icon("play"))
        self.busy = QProgressBar(view)
        self.busy.setObjectName("authBusy")
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(80)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.cancel_button = QToolButton(view)
        self.cancel_button.setObjectName("cancelAuthTestButton")
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Stop the running test (its token call is ended)")
        self.cancel_button.hide()
        self.result = QLabel(view)
        self.result.setObjectName("authResult")
        self.result.setWordWrap(True)
        self.result.setAccessibleName("Authentication test result")
        self.details_button = QToolButton(view)
        self.details_button.setObjectName("authDetailsButton")
        self.details_button.setText("Details")
        self.details_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_button.setIcon(icons.icon("info"))
        self.details_button.setToolTip("The auth request and response (secrets masked) and the time taken")
        self.details_button.setEnabled(False)
        self.row = QHBoxLayout()
        self.row.addWidget(self.button)
        self.row.addWidget(self.busy)
        self.row.addWidget(self.cancel_button)
        self.row.addWidget(self.result, 1)
        self.row.addWidget(self.details_button)

    def start(self, auth: Any, pending: dict[str, str]) -> None:
        """Test `auth` in a worker; `pending` are the typed secrets it uses (ref key -> value)."""
        self.cancel()  # a test still running is replaced
        self._generation += 1
        generation = self._generation
        self._stop = threading.Event()
        self._set_busy(True)
        workers.run_in_background(
            _run_test, self._services, auth, pending, self._stop,
            on_done=self._guarded(lambda answer: self._on_tested(generation, answer, set(pending.values()))),
            on_error=self._guarded(lambda exc: self._on_crashed(generation, exc)),
        )

    def cancel(self) -> None:
        """Stop a running test (its token call ends, its result is ignored) and leave the busy state."""
        if self._stop is not None:
            self._stop.set()
            self._stop = None
        self._generation += 1
        self._set_busy(False)

    def on_cancel_clicked(self) -> None:
        if self.is_testing():
            self.cancel()
            self.show_result(None, "● test cancelled")

    def is_testing(self) -> bool:
        return not self.button.isEnabled()

    def _on_tested(self, generation: int, answer: tuple[Any, set[str]], pending: set[str]) -> None:
        if generation != self._generation:
            return  # the action changed meanwhile
        result, revealed = answer
        self._stop = None
        self._set_busy(False)
        self._last_result = result
        self._result_secrets = pending | revealed
        text = masked_text(summary(result), self._result_secrets)
        self.show_result(result, text, "ok" if result.ok else "error")
        self.finished.emit(result)

    def _on_crashed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._stop = None
        self._set_busy(False)
        self.show_result(None, f"● the test could not run: {exc}", "error")

    def _set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.button.setText("Testing…" if busy else "Test authentication")
        self.busy.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.show_result(None, "Testing…")

    def show_result(self, result: Any, text: str = "", kind: str = "") -> None:
        """Show a result line; `result` None (no test, or a message) also disables Details."""
        if result is None:
            self._last_result = None
        icons.tint(self.result, kind)  # the palette's colour: a style sheet costs the label a style of its own
        self.result.setText(text)
        self.result.setToolTip(self.details_text() if result is not None else "")
        self.details_button.setEnabled(result is not None)

    def details_text(self) -> str:
        """The last test's request, response and timing, secrets masked ("" before any test)."""
        if self._last_result is None:
            return ""
        return details(self._last_result, self._result_secrets)

    def show_details(self) -> None:
        if self._last_result is None:
            return
        if self.details_dialog is not None:
            self.details_dialog.close()
        self.details_dialog = DetailsDialog(self.details_text(), self._view)
        self.details_dialog.show()

    def _guarded(self, slot: Any) -> Any:
        """A callback that does nothing once the section is gone (the worker may outlive it)."""
        def call(*args: Any) -> None:
            if shiboken6.isValid(self._view):
                slot(*args)
        return call


def _run_test(services: Services, auth: Any, pending: dict[str, str],
              stop: threading.Event) -> tuple[Any, set[str]]:
    """Worker side (no widgets): the test result and the secret values it resolved, to mask them.
    `stop` set (Cancel, or another action shown) ends the token call at once."""
    resolver = overlay_resolver(services, pending)
    result = services.auth.test(auth, resolver, cancel=stop)
    return result, set(resolver.secret_values)
