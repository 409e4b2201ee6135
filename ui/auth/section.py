"""Section 3 of the configuration pane: the authentication mode, its form, JSON, cURL and the test.

`AuthSection` holds the mode, the pages and the notes, and says when the auth changed. The rest
is delegated: `validity` reads the auth and its problems off the page, `jsonsync` keeps the custom
form and its JSON in step, `curlflow` reads and writes curl commands, `testing` runs "Test
authentication". Typed secrets stay pending (fresh references, no keyring I/O) until the pane
saves them; the test and "Copy as cURL" use them through an overlay store, in a worker thread.
"""
from __future__ import annotations

from typing import Any, Optional

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QStackedWidget, QToolButton, QVBoxLayout,
    QWidget,
)

from app.model.action import Action
from app.model.auth import ApiKeyAuth, BasicAuth, CustomAuth, CustomBody
from app.services import Services
from ui import icons
from ui.auth import curldialog, curlflow
from ui.auth.customform import CustomForm
from ui.auth.jsonsync import JsonSync
from ui.auth.pending import PendingSecrets, secret_refs
from ui.auth.result import DetailsDialog
from ui.auth.simple import ApiKeyForm, BasicForm
from ui.auth.testing import AuthTester
from ui.auth.validity import page_auth, page_problems
from ui.jsonedit import JsonEdit

MODES = (("none", "No authentication"), ("basic", "Basic"), ("apiKey", "API key"), ("customAuthorization", "Custom"))
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
        self._build()
        self._connect()
        self.set_action(Action(name="new_action"))

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.mode = QComboBox(self)
        self.mode.setObjectName("authModeCombo")
        self.mode.setAccessibleName("Authentication type")
        for data, text in MODES:
            self.mode.addItem(text, data)
        self.form_button = self._view_button("Form", "authFormViewButton")
        self.json_button = self._view_button("JSON", "authJsonViewButton")
        self._views = QButtonGroup(self)
        self._views.addButton(self.form_button, 0)
        self._views.addButton(self.json_button, 1)
        self.form_button.setChecked(True)
        self.paste_button = QPushButton("Paste cURL", self)
        self.paste_button.setObjectName("pasteCurlButton")
        self.paste_button.setToolTip("Fill a custom authentication from a curl token command")
        self.copy_button = QPushButton("Copy as cURL", self)
        self.copy_button.setObjectName("copyCurlButton")
        self.copy_button.setToolTip("Copy the token request as a curl command (secrets masked)")
        top = QHBoxLayout()
        top.addWidget(self.mode)
        top.addStretch(1)
        for widget in (self.form_button, self.json_button, self.paste_button, self.copy_button):
            top.addWidget(widget)

        self.basic = BasicForm(self._pending, self)
        self.api_key = ApiKeyForm(self._pending, self)
        self.custom = CustomForm(self._pending, self)
        self.json = JsonEdit(self)
        self.json.setObjectName("authJsonEdit")
        self.json.setAccessibleName("Custom authentication (JSON)")
        self.json.setMinimumHeight(220)
        self._json_sync = JsonSync(self.custom, self.json, self._pending, self)
        self.custom_views = QStackedWidget(self)
        self.custom_views.addWidget(self.custom)
        self.custom_views.addWidget(self.json)
        none_page = QLabel("No authentication: the call is sent without credentials.", self)
        none_page.setEnabled(False)
        self.pages = QStackedWidget(self)
        for page in (none_page, self.basic, self.api_key, self.custom_views):
            self.pages.addWidget(page)

        self.problems_label = self._note("authProblems")
        self.notes = self._note("authNotes")

        self._tester = AuthTester(self._services, self)
        # The pane and the tests use these directly (`is_testing` reads the button).
        self.test_button = self._tester.button
        self.busy = self._tester.busy
        self.result = self._tester.result
        self.details_button = self._tester.details_button

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.pages)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.notes)
        layout.addLayout(self._tester.row)

    def _view_button(self, text: str, name: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setObjectName(name)
        button.setCheckable(True)
        button.setAccessibleName(f"Show the custom authentication as {text}")
        icons.show_checked(button)
        return button

    def _note(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.hide()
        return label

    def _connect(self) -> None:
        self.mode.activated.connect(self._on_mode)
        self._views.idClicked.connect(self._on_view)
        for form in (self.basic, self.api_key):
            form.edited.connect(self._on_edited)
            form.committed.connect(self._commit)
        self.custom.edited.connect(self._on_form_edited)
        self.custom.committed.connect(self._commit)
        self.json.validated.connect(self._on_json_valid)
        self.json.problemChanged.connect(self._on_json_problem)
        self.paste_button.clicked.connect(self._on_paste_curl)
        self.copy_button.clicked.connect(self._on_copy_curl)
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
        auth = action.auth
        self.basic.set_auth(auth if isinstance(auth, BasicAuth) else BasicAuth())
        self.api_key.set_auth(auth if isinstance(auth, ApiKeyAuth) else ApiKeyAuth())
        self.custom.set_auth(auth if isinstance(auth, CustomAuth) else CustomAuth(body=CustomBody()))
        self._select_mode(auth.type)
        self._render_json(force=True)
        self._tester.show_result(None)
        self._show_note("")
        self._dirty = False
        self._commit_timer.stop()
        self._update_problems()

    def apply_to(self, action: Action) -> Action:
        """A copy with this section's auth; while the form is invalid the action's auth is kept."""
        auth = self._auth()
        return action.model_copy(update={"auth": auth if auth is not None else action.auth})

    def pending_secrets(self) -> dict[str, str]:
        """Secrets typed since set_action that the current auth uses: ref key -> plain value."""
        auth = self._auth()
        return self._pending.used_by(secret_refs(auth)) if auth is not None else {}

    def problems(self) -> list[str]:
        return self._problems()

    # -- building the auth -----------------------------------------------------------------
    def mode_name(self) -> str:
        return self.mode.currentData()

    def _auth(self) -> Any:
        """The auth from the current page, or None when it is not valid."""
        return page_auth(self.mode_name(), self.basic, self.api_key, self.custom)

    def _problems(self) -> list[str]:
        return page_problems(self.mode_name(), self.basic, self.api_key, self.custom, self.json)

    def _update_problems(self) -> None:
        problems = self._problems()
        self.problems_label.setText("\n".join(f"⚠ {p}" for p in problems))
        self.problems_label.setStyleSheet(f"color: {icons.error_color().name()};")
        self.problems_label.setVisible(bool(problems))

    # -- modes and views -------------------------------------------------------------------
    def _select_mode(self, mode: str) -> None:
        self.mode.setCurrentIndex(max(0, self.mode.findData(mode)))
        self.pages.setCurrentIndex(self.mode.currentIndex())
        _fit_to_current(self.pages)
        custom = mode == "customAuthorization"
        for widget in (self.form_button, self.json_button, self.copy_button):
            widget.setVisible(custom)
        # Nothing to test without credentials; the result line would only restate that.
        for widget in (self.test_button, self.details_button, self.result):
            widget.setVisible(mode != "none")

    def _on_mode(self, _: int) -> None:
        self._select_mode(self.mode_name())
        self._tester.show_result(None)
        self._dirty = True
        self._commit()

    def _on_view(self, view: int) -> None:
        if self.json.problem() is None:  # invalid JSON stays as typed, to be fixed
            self._render_json(force=True)
        self.custom_views.setCurrentIndex(view)
        _fit_to_current(self.custom_views)
        self._update_problems()

    def show_json(self, shown: bool = True) -> None:
        """Switch the custom page between the form and the JSON editor."""
        (self.json_button if shown else self.form_button).setChecked(True)
        self._on_view(1 if shown else 0)

    # -- form <-> JSON ---------------------------------------------------------------------
    def _render_json(self, force: bool = False) -> None:
        self._json_sync.render(force)

    def _on_form_edited(self) -> None:
        self._render_json(force=True)
        self._on_edited()

    def _on_json_valid(self, data: Any, text: str) -> None:
        """A syntactically valid JSON edit: read it like an import and refill the form."""
        auth = self._json_sync.read(data, text)
        if auth is None:
            self._update_problems()
            return
        self.custom.set_auth(auth)
        self._on_edited()
        self._commit()

    def _on_json_problem(self, _: str) -> None:
        self._update_problems()
        if self.json.problem() is not None and not self.json.is_pending():
            self._on_edited()

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
        self.custom.set_auth(imported.auth)
        self._select_mode("customAuthorization")
        self._render_json(force=True)
        self._show_note(imported.note, imported.kind)
        self._tester.show_result(None)
        self._dirty = True
        self._commit()
        return True

    def _on_copy_curl(self) -> None:
        auth = self._auth()
        if not isinstance(auth, CustomAuth):
            self._show_note("Fix the authentication first: " + "; ".join(self._problems()), "error")
            return
        pending = self._pending.used_by(secret_refs(auth))
        curlflow.copy_as_curl(self._services, auth, pending, self, self._show_note)

    def _show_note(self, text: str, kind: str = "") -> None:
        color = icons.meaning_color(kind)
        self.notes.setStyleSheet(f"color: {color.name()};" if color else "")
        self.notes.setText(text)
        self.notes.setVisible(bool(text))

    # -- test authentication ---------------------------------------------------------------
    def test_authentication(self) -> None:
        """Run the test in a worker with the pending secrets; the result comes back by signal."""
        auth = self._auth()
        if auth is None or self._problems():
            self._tester.show_result(None, "● fix the authentication first: " + "; ".join(self._problems()), "error")
            return
        self._tester.start(auth, self._pending.used_by(secret_refs(auth)))

    def can_test(self) -> bool:
        """Whether "Test authentication" would start a test now (a mode with credentials, none running)."""
        return self.mode_name() != "none" and not self.is_testing()

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


# -- helpers ---------------------------------------------------------------------------------
def _fit_to_current(stack: QStackedWidget) -> None:
    """Size a stack to its current page (by default it keeps the tallest page's height)."""
    for index in range(stack.count()):
        policy = QSizePolicy.Policy.Preferred if index == stack.currentIndex() else QSizePolicy.Policy.Ignored
        stack.widget(index).setSizePolicy(policy, policy)
    stack.updateGeometry()
