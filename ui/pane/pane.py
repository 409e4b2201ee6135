"""The configuration pane: header bar (name, unsaved marker, Save), blockers, lock banner and the
four sections in the platform's order inside one scroll area. Edits become undo snapshots.
"""
from __future__ import annotations

import html
from typing import Any, Callable, Optional

# app.model before pydantic: importing the bare pydantic package first and its submodules after
# PySide6 trips shiboken's import hook (a circular import inside pydantic's lazy __getattr__).
from app.model import Action, Auth, Payload, error_lines
from pydantic import TypeAdapter, ValidationError
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget,
)

from app.store import UNCHECKED
from ui import ask, icons, message
from ui.conflict import Conflict
from ui.pane.collapsible import CollapsibleSection
from ui.pane.names import NameSection
from ui.pane.saving import write
from ui.pane.sections import section_classes
from ui.pane.url import UrlSection
from ui.undo import SnapshotCommand, Snapshot, describe
from ui.workers import run_in_background

THEIRS = ("auth", "request", "response", "errorResponse", "allowNull")
_AUTH = TypeAdapter(Auth)
# Where a blocker's path sends the focus (the first matching prefix wins).
FOCUS = (("name", "nameEdit"), ("description", "descriptionEdit"), ("endpoint.url", "urlEdit"),
         ("endpoint.method", "methodCombo"), ("endpoint.headers", "headersTable"),
         ("endpoint.query", "queryTable"), ("endpoint", "urlEdit"), ("auth", "authModeCombo"),
         ("request", "requestPayloadEdit"), ("response", "responsePayloadEdit"),
         ("errorResponse", "responsePayloadEdit"), ("allowNull", "payloadFieldsView"))


def _resolve(services: Any, url: str) -> tuple[str, str]:
    """Worker: the URL with its {{variables}} (may start the sandbox for {{sandbox.url}})."""
    try:
        return services.resolver().text(url, "the URL"), ""
    except Exception as exc:  # MissingVariable, a sandbox that failed to start...
        return "", str(exc)


class ConfigPane(QWidget):
    """Edits one action. The window loads actions into it and listens for dirty/saved."""

    dirtyChanged = Signal(bool)
    saved = Signal(object, str)  # the saved Action, its previous name
    theirsTaken = Signal(str, str)  # a save conflict resolved for the disk's version: name, "changed"/"deleted"
    duplicateRequested = Signal()
    testRequested = Signal()  # "Test request": the window opens the dialog on the saved action

    def __init__(self, services: Any, undo_stack: QUndoStack, name_taken: Callable[[str], bool],
                 parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("configPane")
        self.services = services
        self.undo_stack = undo_stack
        self._base: Optional[Action] = None
        self._draft = False  # a new action, not in the workspace until its first valid save
        self._stamp: Optional[str] = None  # the file's stamp when loaded or saved: a save checks it
        self.saves = 0  # completed saves (the window tells its own writes from others')
        self._used_in: list[str] = []
        self._pending: dict[str, str] = {}
        self._saved: Snapshot = {}
        self._last: Snapshot = {}
        self._dirty = False
        self._restoring = False
        self._saving = False
        self._resolve_generation = 0

        self._resolve_timer = QTimer(self)
        self._resolve_timer.setSingleShot(True)
        self._resolve_timer.setInterval(400)
        self._resolve_timer.timeout.connect(self.refresh_resolved)
        # Once Save listed blockers, the list follows the edits (a pause after typing, not per key).
        self._problems_timer = QTimer(self)
        self._problems_timer.setSingleShot(True)
        self._problems_timer.setInterval(300)
        self._problems_timer.timeout.connect(self._refresh_problems)
        self._build_header()
        self._build_banners()
        self.names = NameSection(name_taken, self)
        self.url = UrlSection(self._make_secret, self._pending.get, self)
        auth_cls, payload_cls = section_classes()
        self.auth = auth_cls(services, self)
        self.payload = payload_cls(services, self)
        self.payload.setMinimumHeight(440)  # editors and the field tree need room to be useful
        self.sections = {
            "name": CollapsibleSection("Name and description", self.names, "name", self),
            "url": CollapsibleSection("URL configuration", self.url, "url", self),
            "auth": CollapsibleSection("Authentication", self.auth, "auth", self),
            "payload": CollapsibleSection("Payloads", self.payload, "payload", self),
        }
        column = QWidget(self)
        column.setObjectName("paneColumn")
        col_layout = QVBoxLayout(column)
        col_layout.setContentsMargins(12, 4, 12, 12)
        for section in self.sections.values():
            col_layout.addWidget(section)
        col_layout.addStretch(1)
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("paneScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(column)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.problems_box)
        layout.addWidget(self.lock_banner)
        layout.addWidget(self.scroll, 1)

        self.names.edited.connect(self.commit)
        self.names.typing.connect(self._on_typing)
        self.names.viewJourneys.connect(self._on_view_journeys)
        self.url.edited.connect(self.commit)
        self.url.typing.connect(self._on_typing)
        self.url.urlChanged.connect(lambda: self._resolve_timer.start(400))
        self.url.methodChanged.connect(self.payload.set_method)
        self.auth.changed.connect(self.commit)
        self.payload.changed.connect(self.commit)
        self.setEnabled(False)

    # -- building ----------------------------------------------------------------------------
    def _build_header(self) -> None:
        self.header = QWidget(self)
        self.header.setObjectName("paneHeader")
        self.title = QLabel(self.header)
        self.title.setObjectName("paneTitle")
        self.title.setAccessibleName("Action being edited")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton(icons.icon("save"), "Save", self.header)
        self.save_button.setObjectName("saveButton")
        self.save_button.setAccessibleName("Save the action")
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_button.clicked.connect(lambda: self.save())
        self.test_request_button = QPushButton(icons.icon("send"), "Test request", self.header)
        self.test_request_button.setObjectName("testRequestButton")
        self.test_request_button.setAccessibleName("Send a test request through this action")
        self.test_request_button.setToolTip("Send a test request (Ctrl+Return); unsaved edits are saved first")
        self.test_request_button.clicked.connect(self.request_test)
        row = QHBoxLayout(self.header)
        row.setContentsMargins(12, 8, 12, 8)
        row.addWidget(self.title, 1)
        row.addWidget(self.test_request_button)
        row.addWidget(self.save_button)

    def _build_banners(self) -> None:
        self.problems_box = QFrame(self)
        self.problems_box.setObjectName("saveProblems")
        self.problems_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.problems_icon = QLabel(self.problems_box)
        self.problems_icon.setPixmap(icons.icon("error", "error").pixmap(20, 20))
        self.problems_label = QLabel(self.problems_box)
        self.problems_label.setObjectName("saveProblemsText")
        self.problems_label.setAccessibleName("What blocks saving")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.RichText)
        self.problems_label.linkActivated.connect(self.focus_path)
        row = QHBoxLayout(self.problems_box)
        row.setContentsMargins(12, 6, 12, 6)
        row.addWidget(self.problems_icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.problems_label, 1)
        self.problems_box.hide()

        self.lock_banner = QFrame(self)
        self.lock_banner.setObjectName("lockBanner")
        self.lock_banner.setFrameShape(QFrame.Shape.StyledPanel)
        lock = QLabel(self.lock_banner)
        lock.setPixmap(icons.icon("lock").pixmap(18, 18))
        self.lock_text = QLabel(self.lock_banner)
        self.lock_text.setObjectName("lockReason")
        self.lock_text.setWordWrap(True)
        self.lock_duplicate = QPushButton(icons.icon("duplicate"), "Duplicate to change", self.lock_banner)
        self.lock_duplicate.setObjectName("lockDuplicateButton")
        self.lock_duplicate.setAccessibleName("Duplicate this action to change its locked parts")
        self.lock_duplicate.clicked.connect(self.duplicateRequested)
        row = QHBoxLayout(self.lock_banner)
        row.setContentsMargins(12, 6, 12, 6)
        row.addWidget(lock, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.lock_text, 1)
        row.addWidget(self.lock_duplicate)
        self.lock_banner.hide()

    # -- loading -----------------------------------------------------------------------------
    def load(self, action: Action, used_in: list[str], draft: bool = False, stamp: Optional[str] = None) -> None:
        """Show an action as saved (`stamp`: its file's, from `load_stamped`), or a draft (unsaved until
        its first valid save); the undo history belongs to the window (it clears it)."""
        self._base = action
        self._draft = draft
        self._stamp = stamp
        self._used_in = list(used_in)
        self._pending.clear()
        self.setEnabled(True)
        self.scroll.show()
        self.problems_box.hide()
        locked = bool(used_in)
        reason = ""
        if locked:
            n = len(used_in)
            names = ", ".join(used_in[:3]) + ("…" if n > 3 else "")
            reason = f"Used in {n} journey{'s' if n > 1 else ''} ({names})"
            self.lock_text.setText(f"<b>{html.escape(reason)}</b>: only the name, description, URL and "
                                   "authentication can change. To change the rest, duplicate it.")
        self.lock_banner.setVisible(locked)
        self.url.set_locked(locked)
        self.payload.set_locked(locked, reason)
        self.payload.set_method(action.endpoint.method)
        data = action.dump()
        snapshot = {"mine": self._mine_of(data), "theirs": {k: data.get(k) for k in THEIRS}}
        self._restore_widgets(snapshot, action)
        self._saved = self._last = self.snapshot()
        self._update_dirty()
        # Resolve once the pane has painted (resolving may start the sandbox in a worker).
        self._resolve_timer.start(100)

    @staticmethod
    def _mine_of(data: dict[str, Any]) -> dict[str, Any]:
        ep = data.get("endpoint", {})
        return {"name": data.get("name", ""), "description": data.get("description", ""),
                "url": ep.get("url", ""), "method": ep.get("method", "POST"),
                "headers": ep.get("headers", []), "query": ep.get("query", [])}

    def action(self) -> Optional[Action]:
        """The action as last loaded or saved (not the unsaved edits)."""
        return self._base

    def saved_name(self) -> str:
        """The name the action is stored (or, for a draft, listed) under."""
        return self._base.name if self._base is not None else ""

    def is_draft(self) -> bool:
        return self._draft and self._base is not None

    def stamp(self) -> Optional[str]:
        return self._stamp

    def rename_draft(self, name: str) -> None:
        """The draft is listed under another name; what the user typed stays as it is."""
        assert self._base is not None and self._draft
        self._base = self._base.model_copy(update={"name": name})
        self.names.update_rule()
        self._update_dirty()

    def used_in(self) -> list[str]:
        return list(self._used_in)

    def is_locked(self) -> bool:
        return bool(self._used_in)

    def clear(self) -> None:
        """No action: an empty, disabled pane (e.g. the last action was deleted)."""
        self._base = None
        self._draft = False
        self._dirty = False
        self.title.setText("No action selected")
        for widget in (self.scroll, self.problems_box, self.lock_banner):
            widget.hide()
        self.setEnabled(False)

    # -- snapshots and undo --------------------------------------------------------------------
    def _mine(self) -> dict[str, Any]:
        name, description = self.names.values()
        return {"name": name, "description": description, **self.url.values()}

    def _applied(self) -> Action:
        assert self._base is not None
        action = self.auth.apply_to(self._base)
        return self.payload.apply_to(action)

    def snapshot(self) -> Snapshot:
        applied = self._applied().dump()
        self._pending.update(self.auth.pending_secrets())
        self._pending.update(self.payload.pending_secrets())
        return {"mine": self._mine(), "theirs": {k: applied.get(k) for k in THEIRS}}

    def commit(self) -> None:
        """Record the completed edit (if anything changed) as one undo step."""
        if self._restoring or self._base is None:
            return
        snap = self.snapshot()
        if snap != self._last:
            before, self._last = self._last, snap
            self.undo_stack.push(SnapshotCommand(self.restore, before, snap, describe(before, snap)))
        self._update_dirty()

    def restore(self, snapshot: Snapshot) -> None:
        """Put a snapshot back into every section (undo/redo)."""
        if self._base is None:
            return
        theirs = snapshot["theirs"]
        action = self._base.model_copy(update={
            "auth": _AUTH.validate_python(theirs["auth"]) if theirs.get("auth") else self._base.auth,
            "request": Payload.model_validate(theirs["request"]) if theirs.get("request") else None,
            "response": Payload.model_validate(theirs["response"]) if theirs.get("response") else None,
            "error_response": Payload.model_validate(theirs["errorResponse"]) if theirs.get("errorResponse") else None,
            "allow_null": bool(theirs.get("allowNull", False)),
        })
        self._restore_widgets(snapshot, action)
        self._last = snapshot
        self._update_dirty()
        self._refresh_problems()
        self._resolve_timer.start()

    def _restore_widgets(self, snapshot: Snapshot, action: Action) -> None:
        mine = snapshot["mine"]
        self._restoring = True
        try:
            # A draft's name is not taken by itself: the clash check applies to it like any other.
            stored = "" if self._draft else self.saved_name()
            self.names.set_values(mine["name"], mine["description"], stored, self._used_in)
            self.url.set_values(mine["url"], mine["method"], mine["headers"], mine["query"])
            self.payload.set_method(mine["method"])
            self.auth.set_action(action)
            self.payload.set_action(action)
        finally:
            self._restoring = False

    # -- dirty ---------------------------------------------------------------------------------
    def is_dirty(self) -> bool:
        return self._dirty

    def _on_typing(self) -> None:
        self._update_dirty()

    def _update_dirty(self) -> None:
        if self._base is None:
            return
        if not self.problems_box.isHidden():
            self._problems_timer.start()
        dirty = (self._draft or self._mine() != self._saved.get("mine")
                 or self._last.get("theirs") != self._saved.get("theirs"))
        shown = self.names.values()[0] or self.saved_name()
        self.title.setText(shown + (" *" if dirty else ""))
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirtyChanged.emit(dirty)

    # -- validation and saving ------------------------------------------------------------------
    def build(self) -> tuple[Optional[Action], list[str]]:
        """The action from every section, and every blocker ('where: what')."""
        if self._base is None:
            return None, ["no action is selected"]
        problems: list[str] = []
        name_problem = self.names.problem()
        if name_problem:
            problems.append(f"name: {name_problem}")
        problems += self.url.problems()
        problems += self.auth.problems()
        problems += self.payload.problems()
        mine = self._mine()
        data = self._applied().dump()
        data.update(name=mine["name"], description=mine["description"])
        data["endpoint"] = {k: mine[k] for k in ("url", "method", "headers", "query")}
        action = None
        try:
            action = Action.model_validate(data)
        except ValidationError as exc:
            covered = {p.split(":")[0].split(".")[0].split("[")[0] for p in problems}
            problems += [line for line in error_lines(exc)
                         if line.split(":")[0].split(".")[0].split("[")[0] not in covered and line not in problems]
            if not problems:
                problems = error_lines(exc)
        return (None if problems else action), problems

    def _refresh_problems(self) -> None:
        """The banner lists what blocks saving now: a fixed problem leaves it, the last one hides it."""
        self._problems_timer.stop()
        if not self.problems_box.isHidden() and self._base is not None:
            self.show_problems(self.build()[1])

    def show_problems(self, problems: list[str]) -> None:
        if not problems:
            self.problems_box.hide()
            return
        lines = []
        for p in problems:
            where, _, what = p.partition(": ")
            lines.append(f'<a href="{html.escape(where)}">{html.escape(where)}</a>: {html.escape(what)}'
                         if what else html.escape(p))
        n = len(problems)
        head = f"<b>{n} problem{'s' if n > 1 else ''} block{'s' if n == 1 else ''} saving</b>"
        self.problems_label.setText(head + "<br>" + "<br>".join(lines))
        self.problems_box.show()

    def problems_shown(self) -> list[str]:
        return [] if self.problems_box.isHidden() else self._problem_lines()

    def _problem_lines(self) -> list[str]:
        from PySide6.QtGui import QTextDocumentFragment

        text = QTextDocumentFragment.fromHtml(self.problems_label.text()).toPlainText()
        return text.splitlines()[1:]

    def request_test(self) -> None:
        """A test request goes out as saved (secrets come from the keyring): save edits first."""
        if self._base is None:
            return
        if self.is_dirty():
            self.save(then=lambda ok: ok and self.testRequested.emit())
        else:
            self.testRequested.emit()

    def save(self, then: Optional[Callable[[bool], None]] = None, force: bool = False) -> bool:
        """Validate everything; when clean, write secrets and the file off the UI thread.

        `then(ok)` runs after the write finished (or at once when saving is refused). A file changed
        or deleted since it was loaded is not overwritten: the user chooses (force: keep mine).
        """
        if self._base is None or self._saving:
            return False
        self.commit()
        action, problems = self.build()
        self.show_problems(problems)
        if action is None:
            message.error(f"Not saved: {len(problems)} problem{'s' if len(problems) > 1 else ''} to fix (listed above)")
            if then:
                then(False)
            return False
        refs = {ref.secret for ref in action.secret_refs()}
        secrets = {k: v for k, v in self._pending.items() if k in refs}
        previous = self._base.name
        stored_as = None if self._draft else previous  # a draft is created, never a rename of a file
        expected = None if self._draft else UNCHECKED if force or self._stamp is None else self._stamp
        snapshot = self._last
        self._saving = True
        self.save_button.setEnabled(False)
        self.save_button.setText("Saving…")

        def done(result: Any) -> None:
            self._finish_save()
            if isinstance(result, Conflict):
                self._resolve_conflict(result, then)
                return
            saved, self._stamp = result.action, result.stamp
            self.saves += 1
            self._base = saved
            self._draft = False
            self._saved = snapshot
            self.names.set_values(*self.names.values(), saved.name, self._used_in)
            self._update_dirty()
            message.info(f"Saved {saved.name}")
            self.saved.emit(saved, previous)
            if then:
                then(True)

        def failed(exc: BaseException) -> None:
            self._finish_save()
            self.show_problems([f"save: {exc}"])
            message.error(f"Not saved: {exc}")
            if then:
                then(False)

        run_in_background(write, self.services, action, stored_as, secrets, expected, on_done=done, on_error=failed,
                          owner=self)
        return True

    def _resolve_conflict(self, conflict: Conflict, then: Optional[Callable[[bool], None]]) -> None:
        """Keep mine (save over it), take theirs (the window reloads or drops it) or cancel (edits kept)."""
        choice = ask.save_conflict(self, conflict)
        if choice == "mine":
            self.save(then=then, force=True)
            return
        if choice == "theirs":
            self.theirsTaken.emit(conflict.name, conflict.kind)
            if then:
                then(True)
            return
        self.show_problems([f"save: {conflict.question()} Your changes are kept: save again to choose."])
        message.warning(f"Not saved: {conflict.name} was {conflict.kind} outside the window")
        if then:
            then(False)

    def _finish_save(self) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.save_button.setText("Save")

    def is_saving(self) -> bool:
        return self._saving

    # -- secrets typed in the tables -----------------------------------------------------------
    def _make_secret(self, plain: str, hint: str) -> str:
        base = self._base.id if self._base is not None else "new"
        key = self.services.secrets.new_ref(f"{base}/{hint or 'header'}").secret
        self._pending[key] = plain
        return key

    def pending_secrets(self) -> dict[str, str]:
        return dict(self._pending)

    # -- navigation ------------------------------------------------------------------------------
    def focus_path(self, path: str) -> None:
        """Scroll to and focus the field a blocker names (e.g. 'endpoint.headers[2].name')."""
        target = next((name for prefix, name in FOCUS if path == prefix or path.startswith(prefix)), None)
        widget = self.findChild(QWidget, target) if target else None
        if widget is None:
            return
        for section in self.sections.values():
            if section.isAncestorOf(widget):
                section.set_expanded(True)
        self.scroll.ensureWidgetVisible(widget, 50, 50)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def test_authentication(self) -> bool:
        """Show the Authentication section and start its test (the result comes by the section's
        `testFinished`); False, with the reason in the status bar, when there is nothing to test."""
        if self._base is None or not self.auth.can_test():
            message.warning("Nothing to test: choose an authentication mode first")
            return False
        self.scroll_to("auth")
        self.auth.test_authentication()
        return True

    def scroll_to(self, key: str) -> None:
        """Bring a section's title to the top of the scroll area."""
        section = self.sections[key]
        section.set_expanded(True)
        self.scroll.widget().layout().activate()
        self.scroll.verticalScrollBar().setValue(section.y())
        # Again once pending layout work is done (a section that just grew moves the others).
        QTimer.singleShot(0, lambda: self.scroll.verticalScrollBar().setValue(section.y()))

    # -- resolved URL --------------------------------------------------------------------------
    def shut_down(self) -> None:
        """The window is closing: no more background resolving, no late results."""
        self._closed_down = True
        self._resolve_timer.stop()

    def refresh_resolved(self) -> None:
        """Resolve the URL's {{variables}} off the UI thread (this may start the sandbox)."""
        if getattr(self, "_closed_down", False):
            return
        url = self.url.url_edit.text()
        if "{{" not in url:
            self.url.set_resolved(None)
            return
        self._resolve_generation += 1
        generation = self._resolve_generation

        def done(result: tuple[str, str]) -> None:
            if generation == self._resolve_generation:
                self.url.set_resolved(*result)

        run_in_background(_resolve, self.services, url, on_done=done, on_error=lambda exc: None, owner=self)

    def _on_view_journeys(self) -> None:
        from ui import ask

        names = self._used_in
        ask.inform(self, "Journeys", f"“{self.saved_name()}” is used in {len(names)} journey(s):",
                   "\n".join(f"• {n}" for n in names))
