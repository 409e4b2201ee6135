"""The configuration pane: header bar (name, unsaved marker, Test request, Save), what blocks saving,
the lock banner and the four sections in the platform's order inside one scroll area.

The pane holds the action being edited and its life: loading, edits as undo snapshots, the
unsaved marker, saving. The parts hold the rest: `header`, `banners` (problems, lock), `form`
(the sections, snapshots, building the action, typed secrets), `column` (scrolling, focusing a
field), `resolving` (the resolved URL), `saving` (the write in a worker).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.model import Action
from app.store import UNCHECKED
from ui import ask, message
from ui.conflict import Conflict
from ui.pane.banners import LockBanner, ProblemsBanner
from ui.pane.column import SectionColumn
from ui.pane.form import ActionForm, snapshot_of
from ui.pane.header import PaneHeader
from ui.pane.resolving import UrlResolver
from ui.pane.saving import Written, write
from ui.undo import Snapshot, SnapshotCommand, describe
from ui.workers import run_in_background

# The tag of the status bar's "Not saved: N problems" message: taken back once the pane shows another
# action (the problems listed were the edits of the one it showed).
UNSAVED_PROBLEMS = "pane-unsaved-problems"

if TYPE_CHECKING:
    from app.services import Services

Then = Optional[Callable[[bool], None]]


class ConfigPane(QWidget):
    """Edits one action. The window loads actions into it and listens for dirty/saved."""

    dirtyChanged = Signal(bool)
    saved = Signal(object, str)  # the saved Action, its previous name
    theirsTaken = Signal(str, str)  # a save conflict resolved for the disk's version: name, "changed"/"deleted"
    duplicateRequested = Signal()
    testRequested = Signal()  # "Test request": the window opens the dialog on the saved action

    def __init__(self, services: "Services", undo_stack: QUndoStack, name_taken: Callable[[str], bool],
                 parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("configPane")
        self.setAutoFillBackground(True)
        self.services = services
        self.undo_stack = undo_stack
        self._base: Optional[Action] = None
        self._draft = False  # a new action, not in the workspace until its first valid save
        self._stamp: Optional[str] = None  # the file's stamp when loaded or saved: a save checks it
        self.saves = 0  # completed saves (the window tells its own writes from others')
        self.edits = 0  # user edits so far (the window tells whether the pane was edited meanwhile)
        self._used_in: list[str] = []
        self._saved: Snapshot = {}
        self._last: Snapshot = {}
        self._dirty = False
        self._saving = False
        # Once Save listed blockers, the list follows the edits (a pause after typing, not per key).
        self._problems_timer = QTimer(self, singleShot=True, interval=300)
        self._problems_timer.timeout.connect(self._refresh_problems)

        self.header = PaneHeader(self)
        self.problems_box = ProblemsBanner(self)
        self.lock_banner = LockBanner(self)
        self.form = ActionForm(services, name_taken, self)
        form = self.form
        self.names, self.url, self.auth, self.payload = form.names, form.url, form.auth, form.payload
        self.column = SectionColumn(self.form.bodies(), self)
        self.sections = self.column.sections
        self.resolver = UrlResolver(services, self.url)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for widget, stretch in ((self.header, 0), (self.problems_box, 0), (self.lock_banner, 0), (self.column, 1)):
            layout.addWidget(widget, stretch)

        self.header.saveClicked.connect(lambda: self.save())
        self.header.testClicked.connect(self.request_test)
        self.problems_box.pathClicked.connect(self.focus_path)
        self.lock_banner.duplicateRequested.connect(self.duplicateRequested)
        self.form.edited.connect(self._on_edited)
        self.form.typing.connect(self._on_typing)
        self.form.urlChanged.connect(self.resolver.refresh_soon)
        self.form.viewJourneys.connect(self._on_view_journeys)
        self.setEnabled(False)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # Every row counts, shown or not: the lock banner shows for some actions only, and a least
        # width that followed it moved the window's divider at each switch between them.
        hint = super().minimumSizeHint()
        rows = (self.header, self.problems_box, self.lock_banner, self.column)
        return QSize(max(hint.width(), *(row.minimumSizeHint().width() for row in rows)), hint.height())

    # -- loading -----------------------------------------------------------------------------
    def load(self, action: Action, used_in: list[str], draft: bool = False, stamp: Optional[str] = None) -> None:
        """Show an action as saved (`stamp`: its file's, from `load_stamped`), or a draft (unsaved until
        its first valid save); the undo history belongs to the window (it clears it)."""
        self._base = action
        self._draft = draft
        self._stamp = stamp
        self._used_in = list(used_in)
        self.form.pending.clear()
        self.form.secret_owner = action.id
        self.setEnabled(True)
        self.column.show()
        self.problems_box.hide()
        message.retract(UNSAVED_PROBLEMS)
        reason = self.lock_banner.show_lock(used_in)
        self.form.set_locked(bool(used_in), reason)
        self.payload.set_method(action.endpoint.method)
        self._show(snapshot_of(action), action)
        self._saved = self._last = self.snapshot()
        self._update_dirty()
        # Resolve once the pane has painted (resolving may start the sandbox in a worker).
        self.resolver.refresh_soon(100)

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
        self.header.show_title("No action selected")
        for widget in (self.column, self.problems_box, self.lock_banner):
            widget.hide()
        self.setEnabled(False)
        message.retract(UNSAVED_PROBLEMS)

    # -- snapshots and undo --------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        assert self._base is not None
        return self.form.snapshot(self._base)

    def commit(self) -> None:
        """Record the completed edit (if anything changed) as one undo step."""
        if self._base is None:
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
        self._show(snapshot, self.form.action_of(snapshot, self._base))
        self._last = snapshot
        self._update_dirty()
        self._refresh_problems()
        self.resolver.refresh_soon()

    def _show(self, snapshot: Snapshot, action: Action) -> None:
        # A draft's name is not taken by itself: the clash check applies to it like any other.
        self.form.show(snapshot, action, "" if self._draft else self.saved_name(), self._used_in)

    # -- dirty ---------------------------------------------------------------------------------
    def _on_edited(self) -> None:
        self.edits += 1
        self.commit()

    def _on_typing(self) -> None:
        self.edits += 1
        self._update_dirty()

    def is_dirty(self) -> bool:
        return self._dirty

    def _update_dirty(self) -> None:
        if self._base is None:
            return
        if not self.problems_box.isHidden():
            self._problems_timer.start()
        dirty = (self._draft or self.form.mine() != self._saved.get("mine")
                 or self._last.get("theirs") != self._saved.get("theirs"))
        self.header.show_title(self.names.values()[0] or self.saved_name(), dirty)
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirtyChanged.emit(dirty)

    # -- validation and saving ------------------------------------------------------------------
    def build(self) -> tuple[Optional[Action], list[str]]:
        """The action from every section, and every blocker ('where: what')."""
        if self._base is None:
            return None, ["no action is selected"]
        return self.form.build(self._base)

    def _refresh_problems(self) -> None:
        """The banner lists what blocks saving now: a fixed problem leaves it, the last one hides it."""
        self._problems_timer.stop()
        if not self.problems_box.isHidden() and self._base is not None:
            self.show_problems(self.build()[1])

    def show_problems(self, problems: list[str]) -> None:
        self.problems_box.show_problems(problems)

    def problems_shown(self) -> list[str]:
        return self.problems_box.lines()

    def save(self, then: Then = None, force: bool = False) -> bool:
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
            message.error(f"Not saved: {len(problems)} problem{'s' if len(problems) > 1 else ''} to fix (listed above)",
                          about=UNSAVED_PROBLEMS)
            if then:
                then(False)
            return False
        previous = self._base.name
        stored_as = None if self._draft else previous  # a draft is created, never a rename of a file
        expected = None if self._draft else UNCHECKED if force or self._stamp is None else self._stamp
        snapshot = self._last
        self._set_saving(True)

        def done(result: "Written | Conflict") -> None:
            self._set_saving(False)
            if isinstance(result, Conflict):
                self._resolve_conflict(result, then)
            else:
                self._on_saved(result, previous, snapshot, then)

        def failed(exc: BaseException) -> None:
            self._set_saving(False)
            self.show_problems([f"save: {exc}"])
            message.error(f"Not saved: {exc}")
            if then:
                then(False)

        run_in_background(write, self.services, action, stored_as, self.form.secrets_for(action), expected,
                          on_done=done, on_error=failed, owner=self)
        return True

    def _on_saved(self, result: Written, previous: str, snapshot: Snapshot, then: Then) -> None:
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

    def _resolve_conflict(self, conflict: Conflict, then: Then) -> None:
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

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.header.set_saving(saving)

    def is_saving(self) -> bool:
        return self._saving

    def pending_secrets(self) -> dict[str, str]:
        return dict(self.form.pending)

    # -- calls -----------------------------------------------------------------------------------
    def request_test(self) -> None:
        """A test request goes out as saved (secrets come from the keyring): save edits first."""
        if self._base is None:
            return
        def saved(ok: bool) -> None:
            if ok:
                self.testRequested.emit()

        if self.is_dirty():
            self.save(then=saved)
        else:
            self.testRequested.emit()

    def test_authentication(self) -> bool:
        """Show the Authentication section and start its test (the result comes by the section's
        `testFinished`); False, with the reason in the status bar, when there is nothing to test."""
        if self._base is None or not self.auth.can_test():
            message.warning("Nothing to test: choose an authentication mode first")
            return False
        self.scroll_to("auth")
        self.auth.test_authentication()
        return True

    # -- navigation ------------------------------------------------------------------------------
    def focus_path(self, path: str) -> None:
        """Scroll to and focus the field a blocker names (e.g. 'endpoint.headers[2].name')."""
        self.column.focus_path(path)

    def scroll_to(self, key: str) -> None:
        """Bring a section's title to the top of the scroll area."""
        self.column.scroll_to(key)

    def _on_view_journeys(self) -> None:
        names = self._used_in
        ask.inform(self, "Journeys", f"“{self.saved_name()}” is used in {len(names)} journey(s):",
                   "\n".join(f"• {n}" for n in names))

    # -- resolved URL and closing ----------------------------------------------------------------
    def refresh_resolved(self) -> None:
        """Resolve the URL's {{variables}} off the UI thread (this may start the sandbox)."""
        self.resolver.refresh()

    def shut_down(self) -> None:
        """The window is closing: no more background resolving, no late results."""
        self._closed_down = True
        self.resolver.stop()
