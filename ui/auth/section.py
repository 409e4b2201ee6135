"""Section 3 of the configuration pane: the authentication mode, its form, JSON, cURL and the test.

`AuthSection` answers the pane (set_action, apply_to, problems, pending secrets, `changed` once
an edit is complete) and shows the problems and notes under the page. Its parts: `modebar` (the
top row: mode, Form/JSON, cURL buttons), `pages` (a page per mode; `validity` reads the auth and
its problems off it, `jsonsync` keeps the custom form and its JSON in step), `curlflow` (reading
and writing curl commands), `testing` ("Test authentication"). Typed secrets stay pending (fresh
references, no keyring I/O) until the pane saves them; the test and "Copy as cURL" use them
through an overlay store, in a worker thread.
"""
from __future__ import annotations

from typing import Any, Optional

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.model.action import Action
from app.model.auth import CustomAuth
from app.services import Services
from ui import icons
from ui.auth import curldialog, curlflow
from ui.auth.modebar import ModeBar
from ui.auth.pages import FORM, JSON, AuthPages
from ui.auth.pending import PendingSecrets, secret_refs
from ui.auth.result import DetailsDialog
from ui.auth.testing import AuthTester

COMMIT_DELAY_MS = 700  # typing pause after which a text edit counts as done (also on leaving the field)


class AuthSection(QWidget):
    """Edits an action's `auth`; see the module docstring for how secrets and the test work."""

    changed = Signal()
    testFinished = Signal(object)  # the AuthTestResult (for the pane's status bar and for tests)

    def __init__(self, services: Services, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self._services = services
        self._pending = PendingSecrets(services.secrets)
        self._dirty = False
        self._commit_timer = QTimer(self, singleShot=True, interval=COMMIT_DELAY_MS)
        self._commit_timer.timeout.connect(self._commit)
        self.modebar = ModeBar(self)
        self.pages = AuthPages(self._pending, self)
        self.problems_label = self._note("authProblems")
        self.notes = self._note("authNotes")
        self._tester = AuthTester(services, self)
        # The pane and the tests use these directly (`is_testing` reads the button).
        self.test_button = self._tester.button
        self.busy = self._tester.busy
        self.result = self._tester.result
        self.details_button = self._tester.details_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.modebar)
        layout.addWidget(self.pages)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.notes)
        layout.addLayout(self._tester.row)
        self._connect()
        self.set_action(Action(name="new_action"))

    def _note(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.hide()
        return label

    def _connect(self) -> None:
        self.modebar.modeChosen.connect(self._on_mode)
        self.modebar.viewChosen.connect(self._on_view)
        self.modebar.pasteClicked.connect(self._on_paste_curl)
        self.modebar.copyClicked.connect(self._on_copy_curl)
        self.pages.edited.connect(self._on_edited)
        self.pages.committed.connect(self._commit)
        self.pages.problemsChanged.connect(self._update_problems)
        self.test_button.clicked.connect(self.test_authentication)
        self._tester.finished.connect(self.testFinished)

    # -- the pane's interface --------------------------------------------------------------
    def set_action(self, action: Action) -> None:
        """Show an action's authentication; not a user edit (no `changed`).

        Typed secrets the action does not refer to are dropped; those it still refers to (an
        undo/redo snapshot of unsaved edits) stay pending, so they remain usable and savable.
        """
        self._pending.values = self._pending.used_by(secret_refs(action.auth))
        self._tester.cancel()  # a test still running is for the previous action
        self.pages.set_auth(action.auth)
        self._show_mode(action.auth.type)
        self._tester.show_result(None)
        self._show_note("")
        self._dirty = False
        self._commit_timer.stop()
        self._update_problems()

    def apply_to(self, action: Action) -> Action:
        """A copy with this section's auth; while the form is invalid the action's auth is kept."""
        auth = self.pages.auth()
        return action.model_copy(update={"auth": auth if auth is not None else action.auth})

    def pending_secrets(self) -> dict[str, str]:
        """Secrets typed since set_action that the current auth uses: ref key -> plain value."""
        auth = self.pages.auth()
        return self._pending.used_by(secret_refs(auth)) if auth is not None else {}

    def problems(self) -> list[str]:
        return self.pages.problems()

    def _update_problems(self) -> None:
        problems = self.pages.problems()
        self.problems_label.setText("\n".join(f"⚠ {p}" for p in problems))
        icons.tint(self.problems_label, "error")  # the palette's: a style sheet costs the label a style of its own
        self.problems_label.setVisible(bool(problems))

    # -- modes and views -------------------------------------------------------------------
    def _show_mode(self, mode: str) -> None:
        self.pages.select(mode)
        self.modebar.show_mode(self.pages.mode())
        # Nothing to test without credentials; the result line would only restate that.
        for widget in (self.test_button, self.details_button, self.result):
            widget.setVisible(self.pages.mode() != "none")

    def _on_mode(self, mode: str) -> None:
        self._show_mode(mode)
        self._tester.show_result(None)
        self._dirty = True
        self._commit()

    def _on_view(self, view: int) -> None:
        self.pages.show_view(view)
        self._update_problems()

    def show_json(self, shown: bool = True) -> None:
        """Switch the custom page between the form and the JSON editor."""
        view = JSON if shown else FORM
        self.modebar.check_view(view)
        self._on_view(view)

    # -- edits and `changed` ---------------------------------------------------------------
    def _on_edited(self) -> None:
        self._dirty = True
        self._update_problems()
        self._commit_timer.start()

    def _commit(self) -> None:
        self._commit_timer.stop()
        if self._dirty:
            self._dirty = False
            self._update_problems()
            self.changed.emit()

    # -- cURL ------------------------------------------------------------------------------
    def _on_paste_curl(self) -> None:
        text = curldialog.ask_curl(self)  # through the module, so tests can replace the dialog
        if text:
            self.import_curl(text)

    def import_curl(self, text: str) -> bool:
        """Fill a custom authentication from a curl command; its secrets become pending secrets."""
        imported = curlflow.read_command(text, self._pending)
        if imported.auth is None:
            self._show_note(imported.note, imported.kind)
            return False
        self.pages.set_custom(imported.auth)
        self._show_mode("customAuthorization")
        self._show_note(imported.note, imported.kind)
        self._tester.show_result(None)
        self._dirty = True
        self._commit()
        return True

    def _on_copy_curl(self) -> None:
        auth = self.pages.auth()
        if not isinstance(auth, CustomAuth):
            self._show_note("Fix the authentication first: " + "; ".join(self.pages.problems()), "error")
            return
        pending = self._pending.used_by(secret_refs(auth))
        curlflow.copy_as_curl(self._services, auth, pending, self, self._show_note)

    def _show_note(self, text: str, kind: str = "") -> None:
        icons.tint(self.notes, kind)
        self.notes.setText(text)
        self.notes.setVisible(bool(text))

    # -- test authentication ---------------------------------------------------------------
    def can_test(self) -> bool:
        """Whether "Test authentication" would start a test now (a mode with credentials, none running)."""
        return self.pages.mode() != "none" and not self.is_testing()

    def test_authentication(self) -> None:
        """Run the test in a worker with the pending secrets; the result comes back by signal."""
        auth: Any = self.pages.auth()
        problems = self.pages.problems()
        if auth is None or problems:
            self._tester.show_result(None, "● fix the authentication first: " + "; ".join(problems), "error")
            return
        self._tester.start(auth, self._pending.used_by(secret_refs(auth)))

    def is_testing(self) -> bool:
        return self._tester.is_testing()

    def details_text(self) -> str:
        """The last test's request, response and timing, secrets masked ("" before any test)."""
        return self._tester.details_text()

    def show_details(self) -> None:
        self._tester.show_details()

    @property
    def _details(self) -> Optional[DetailsDialog]:
        """The Details dialog last opened (tests read it)."""
        return self._tester.details_dialog
