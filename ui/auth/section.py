"""Section 3 of the configuration pane: the authentication mode, its form, JSON, cURL and the test.

For custom authentication the form and the JSON editor show the same customAuthorization
document: form edits re-render the JSON (secrets as ********), valid JSON edits refill the form
(masked values keep their secrets), invalid JSON is marked at its line and leaves the form alone.
Typed secrets stay pending (fresh references, no keyring I/O) until the pane saves them; the
test and "Copy as cURL" use them through an overlay store, in a worker thread.
"""
from __future__ import annotations

import json
from typing import Any, Optional

import shiboken6
from pydantic import ValidationError
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QStackedWidget, QToolButton,
    QVBoxLayout, QWidget,
)

from app.model.action import Action
from app.model.auth import ApiKeyAuth, BasicAuth, CustomAuth, CustomBody, NoAuth, is_secret_key
from app.model.base import MASK, SecretRef, error_lines
from app.services import Services
from app.transfer import ImportProblem, import_auth, is_missing
from ui import icons, workers
from ui.auth import curldialog
from ui.auth.customform import CustomForm
from ui.auth.pending import OverlayStore, PendingSecrets, masked_text, only_placeholder
from ui.auth.result import DetailsDialog, details, summary
from ui.auth.simple import ApiKeyForm, BasicForm
from ui.jsonedit import JsonEdit, Problem, key_position

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
        self._test_generation = 0
        self._last_result: Any = None
        self._result_secrets: set[str] = set()
        self._details: Optional[DetailsDialog] = None
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

        self.test_button = QPushButton("Test authentication", self)
        self.test_button.setObjectName("testAuthButton")
        self.test_button.setIcon(icons.icon("play"))
        self.busy = QProgressBar(self)
        self.busy.setObjectName("authBusy")
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(80)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.result = QLabel(self)
        self.result.setObjectName("authResult")
        self.result.setWordWrap(True)
        self.result.setAccessibleName("Authentication test result")
        self.details_button = QToolButton(self)
        self.details_button.setObjectName("authDetailsButton")
        self.details_button.setText("Details")
        self.details_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_button.setIcon(icons.icon("info"))
        self.details_button.setToolTip("The auth request and response (secrets masked) and the time taken")
        self.details_button.setEnabled(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.test_button)
        bottom.addWidget(self.busy)
        bottom.addWidget(self.result, 1)
        bottom.addWidget(self.details_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.pages)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.notes)
        layout.addLayout(bottom)

    def _view_button(self, text: str, name: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setObjectName(name)
        button.setCheckable(True)
        button.setAccessibleName(f"Show the custom authentication as {text}")
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
        self.json.installEventFilter(self)
        self.paste_button.clicked.connect(self._on_paste_curl)
        self.copy_button.clicked.connect(self._on_copy_curl)
        self.test_button.clicked.connect(self.test_authentication)
        self.details_button.clicked.connect(self.show_details)

    # -- the pane's interface --------------------------------------------------------------
    def set_action(self, action: Action) -> None:
        """Show an action's authentication; not a user edit (no `changed`).

        Typed secrets the action does not refer to are dropped; those it still refers to (an
        undo/redo snapshot of unsaved edits) stay pending, so they remain usable and savable.
        """
        self._pending.values = self._pending.used_by(_refs(action.auth))
        self._test_generation += 1  # a test still running is for the previous action
        self._set_busy(False)
        auth = action.auth
        self.basic.set_auth(auth if isinstance(auth, BasicAuth) else BasicAuth())
        self.api_key.set_auth(auth if isinstance(auth, ApiKeyAuth) else ApiKeyAuth())
        self.custom.set_auth(auth if isinstance(auth, CustomAuth) else CustomAuth(body=CustomBody()))
        self._select_mode(auth.type)
        self._render_json(force=True)
        self._show_result(None)
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
        return self._pending.used_by(_refs(auth)) if auth is not None else {}

    def problems(self) -> list[str]:
        return self._problems()

    # -- building the auth -----------------------------------------------------------------
    def mode_name(self) -> str:
        return self.mode.currentData()

    def _auth(self) -> Any:
        """The auth from the current page, or None when it is not valid."""
        try:
            mode = self.mode_name()
            if mode == "basic":
                return self.basic.auth()
            if mode == "apiKey":
                return self.api_key.auth()
            if mode == "customAuthorization":
                return CustomAuth.model_validate(self.custom.document())
            return NoAuth()
        except ValidationError:
            return None

    def _problems(self) -> list[str]:
        mode = self.mode_name()
        out: list[str] = []
        try:
            if mode == "basic":
                out += self.basic.problems()
            elif mode == "apiKey":
                self.api_key.auth()
                out += self.api_key.problems()
            elif mode == "customAuthorization":
                problem = self.json.problem()
                if problem is not None:
                    out.append(f"authentication JSON: {problem}")
                auth = CustomAuth.model_validate(self.custom.document())
                out += [f"authentication.{path}: the secret is not in the keyring; type it again"
                        for path, ref in _secret_places(auth) if is_missing(ref)]
        except ValidationError as exc:
            out += [_prefixed(line) for line in error_lines(exc)]
        return out

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
        self._show_result(None)
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
        """Show the form's document as JSON, every secret as ********."""
        if self.json.hasFocus() and not force:
            return  # the user is typing there: re-rendered when they leave
        masked = _masked(self.custom.document())
        text = json.dumps(masked, indent=2, ensure_ascii=False) + "\n"
        if text != self.json.toPlainText() or self.json.problem() is not None:
            self.json.load(text, known_result=masked)

    def _on_form_edited(self) -> None:
        self._render_json(force=True)
        self._on_edited()

    def _on_json_valid(self, data: Any, text: str) -> None:
        """A syntactically valid JSON edit: read it like an import and refill the form."""
        try:
            auth = import_auth(json.dumps(self._with_refs(data)), None)
        except ImportProblem as exc:
            self.json.set_problem(_located(str(exc), text))
            self._update_problems()
            return
        self.custom.set_auth(self._secure(auth))
        self._on_edited()
        self._commit()

    def _on_json_problem(self, _: str) -> None:
        self._update_problems()
        if self.json.problem() is not None and not self.json.is_pending():
            self._on_edited()

    def _with_refs(self, data: Any) -> Any:
        """The edited document with ******** put back to the form's secret at the same place."""
        if not isinstance(data, dict):
            return data
        form = self.custom.document()
        out = dict(data)
        for key, where in (("headers", form.get("headers", {})),
                           ("body", form.get("body", {}).get("bodyParams", {}))):
            source = out.get(key)
            if key == "body" and isinstance(source, dict) and isinstance(source.get("bodyParams"), dict):
                source = dict(source)
                source["bodyParams"] = _unmask_map(source["bodyParams"], where)
                out[key] = source
            elif key == "headers" and isinstance(source, dict):
                out[key] = _unmask_map(source, where)
        return out

    def _secure(self, auth: CustomAuth) -> CustomAuth:
        """Secret-named values typed in plain into the JSON become pending secrets."""
        def secure(values: dict[str, Any], hint: str) -> dict[str, Any]:
            return {name: (self._pending.typed(value, f"{hint}/{name}")
                           if isinstance(value, str) and is_secret_key(name) and value and value != MASK
                           and not only_placeholder(value) else value)
                    for name, value in values.items()}

        headers = secure(auth.headers, "auth-header")
        body = auth.body.model_copy(update={"body_params": secure(auth.body.body_params, "auth-body")}) \
            if auth.body is not None else None
        return auth.model_copy(update={"headers": headers, "body": body})

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.json and event.type() == QEvent.Type.FocusOut and self.json.problem() is None:
            QTimer.singleShot(0, self._render_json)  # mask what was typed, once focus has gone
        return super().eventFilter(watched, event)

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
        text = curldialog.ask_curl(self)
        if text:
            self.import_curl(text)

    def import_curl(self, text: str) -> bool:
        """Fill a custom authentication from a curl command; its secrets become pending secrets."""
        from app.auth import CurlError, parse_curl

        try:
            imported = parse_curl(text)
        except CurlError as exc:
            self._show_note(f"The curl command could not be used: {exc}", "error")
            return False
        auth = imported.with_secrets_stored(_PendingPut(self._pending))
        self.custom.set_auth(auth)
        self._select_mode("customAuthorization")
        self._render_json(force=True)
        notes = [f"Not imported: {', '.join(imported.ignored)}"] if imported.ignored else []
        notes += imported.warnings
        secret_names = ", ".join(sorted(imported.secrets))
        if secret_names:
            notes.insert(0, f"Imported; {secret_names} will be stored in the keyring when you save.")
        self._show_note("\n".join(notes) or "Imported.", "warning" if imported.ignored or imported.warnings else "")
        self._show_result(None)
        self._dirty = True
        self._commit()
        return True

    def _on_copy_curl(self) -> None:
        auth = self._auth()
        if not isinstance(auth, CustomAuth):
            self._show_note("Fix the authentication first: " + "; ".join(self._problems()), "error")
            return
        pending = self._pending.used_by(_refs(auth))
        workers.run_in_background(_curl_text, self._services, auth, pending,
                                  on_done=self._guarded(self._on_curl_copied),
                                  on_error=self._guarded(lambda exc: self._show_note(
                                      f"Could not build the curl command: {exc}", "error")))

    def _on_curl_copied(self, answer: tuple[str, set[str]]) -> None:
        text, secrets = answer
        QGuiApplication.clipboard().setText(masked_text(text, secrets))
        self._show_note("Copied the token request as curl (secrets masked).")

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
            self._show_result(None, "● fix the authentication first: " + "; ".join(self._problems()), "error")
            return
        pending = self._pending.used_by(_refs(auth))
        self._test_generation += 1
        generation = self._test_generation
        self._set_busy(True)
        workers.run_in_background(
            _run_test, self._services, auth, pending,
            on_done=self._guarded(lambda answer: self._on_tested(generation, answer, set(pending.values()))),
            on_error=self._guarded(lambda exc: self._on_test_crashed(generation, exc)),
        )

    def is_testing(self) -> bool:
        return not self.test_button.isEnabled()

    def _on_tested(self, generation: int, answer: tuple[Any, set[str]], pending: set[str]) -> None:
        if generation != self._test_generation:
            return  # the action changed meanwhile
        result, revealed = answer
        self._set_busy(False)
        self._last_result = result
        self._result_secrets = pending | revealed
        text = masked_text(summary(result), self._result_secrets)
        self._show_result(result, text, "ok" if result.ok else "error")
        self.testFinished.emit(result)

    def _on_test_crashed(self, generation: int, exc: BaseException) -> None:
        if generation != self._test_generation:
            return
        self._set_busy(False)
        self._show_result(None, f"● the test could not run: {exc}", "error")

    def _set_busy(self, busy: bool) -> None:
        self.test_button.setEnabled(not busy)
        self.test_button.setText("Testing…" if busy else "Test authentication")
        self.busy.setVisible(busy)
        if busy:
            self._show_result(None, "Testing…")

    def _show_result(self, result: Any, text: str = "", kind: str = "") -> None:
        if result is None:
            self._last_result = None
        color = icons.meaning_color(kind)
        self.result.setStyleSheet(f"color: {color.name()};" if color else "")
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
        if self._details is not None:
            self._details.close()
        self._details = DetailsDialog(self.details_text(), self)
        self._details.show()

    def _guarded(self, slot: Any) -> Any:
        """A callback that does nothing once this widget is gone (the worker may outlive it)."""
        def call(*args: Any) -> None:
            if shiboken6.isValid(self):
                slot(*args)
        return call


# -- workers (no widgets here) ---------------------------------------------------------------
def _fit_to_current(stack: QStackedWidget) -> None:
    """Size a stack to its current page (by default it keeps the tallest page's height)."""
    for index in range(stack.count()):
        policy = QSizePolicy.Policy.Preferred if index == stack.currentIndex() else QSizePolicy.Policy.Ignored
        stack.widget(index).setSizePolicy(policy, policy)
    stack.updateGeometry()


def _overlay_resolver(services: Services, pending: dict[str, str]) -> Any:
    resolver = services.resolver()
    resolver.secrets = OverlayStore(resolver.secrets, pending)
    return resolver


def _run_test(services: Services, auth: Any, pending: dict[str, str]) -> tuple[Any, set[str]]:
    resolver = _overlay_resolver(services, pending)
    result = services.auth.test(auth, resolver)
    return result, set(resolver.secret_values)


def _curl_text(services: Services, auth: CustomAuth, pending: dict[str, str]) -> tuple[str, set[str]]:
    from app.auth import to_curl

    resolver = _overlay_resolver(services, pending)
    return to_curl(auth, resolver), set(resolver.secret_values) | set(pending.values())


class _PendingPut:
    """Stands in for the SecretStore in CurlImport.with_secrets_stored: nothing is written yet."""

    def __init__(self, pending: PendingSecrets) -> None:
        self._pending = pending

    def put(self, value: str, hint: str = "", ref: Optional[SecretRef] = None) -> SecretRef:
        return self._pending.typed(value, f"auth/{hint}")


# -- helpers ---------------------------------------------------------------------------------
def _refs(auth: Any) -> list[SecretRef]:
    return [ref for _, ref in _secret_places(auth)]


def _secret_places(auth: Any) -> list[tuple[str, SecretRef]]:
    if isinstance(auth, BasicAuth):
        return [("password", auth.password)] if isinstance(auth.password, SecretRef) else []
    if isinstance(auth, ApiKeyAuth):
        return [("value", auth.value)] if isinstance(auth.value, SecretRef) else []
    if not isinstance(auth, CustomAuth):
        return []
    out = [(f"headers.{k}", v) for k, v in auth.headers.items() if isinstance(v, SecretRef)]
    if auth.body is not None:
        out += [(f"body.bodyParams.{k}", v) for k, v in auth.body.body_params.items() if isinstance(v, SecretRef)]
    return out


def _masked(node: Any) -> Any:
    if isinstance(node, SecretRef):
        return MASK
    if isinstance(node, dict):
        return {k: _masked(v) for k, v in node.items()}
    return node


def _unmask_map(values: dict[str, Any], form: dict[str, Any]) -> dict[str, Any]:
    return {name: ({"secret": form[name].secret} if value == MASK and isinstance(form.get(name), SecretRef)
                   else value) for name, value in values.items()}


def _prefixed(line: str) -> str:
    path, _, reason = line.partition(": ")
    return f"authentication: {reason}" if path == "(action)" else f"authentication.{path}: {reason}"


def _located(message: str, text: str) -> Problem:
    """An import refusal ("authentication: endpoint: ...") marked at the line of its first key."""
    body = message.split(": ", 1)[1] if message.startswith("authentication: ") else message
    key = body.split(":", 1)[0].split(".")[0].split("[")[0].strip()
    where = key_position(text, key) if key and key != "(action)" else None
    return Problem(body, *where) if where else Problem(body)
