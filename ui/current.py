"""The action the pane edits: opening one (its file read in a worker), the unsaved-changes guard,
the draft (a new action listed but not saved yet) and the list row that follows the pane.

The window, its edits, its file operations and the workspace sync all go through this one object
to change what the pane shows; it says what happened by signal (`shown`, `changed`, `dirtyChanged`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from ui import ask, message
from ui.actionlist.view import ActionListWidget
from ui.workers import run_in_background

if TYPE_CHECKING:
    from app.model import Action
    from app.services import Services
    from app.store import Workspace
    from ui.pane.pane import ConfigPane

Then = Optional[Callable[[bool], None]]


def read_action(workspace: "Workspace", name: str) -> tuple["Action", Optional[str]]:
    """Worker: the action as stored now, and its file's stamp (a later save checks it)."""
    return workspace.load_stamped(name)


class CurrentAction(QObject):
    """Owns which action the pane shows; `attach` it to the pane once the workspace is loaded."""

    shown = Signal(str)  # the action the pane now edits ("" for none)
    changed = Signal(list)  # names whose stored content changed (saved here or on disk)
    dirtyChanged = Signal(bool)

    def __init__(self, actions: ActionListWidget, undo_stack: QUndoStack, window: QWidget) -> None:
        super().__init__(window)
        self.list = actions
        self.undo_stack = undo_stack
        self._window = window  # the parent of the questions asked
        self.services: Optional["Services"] = None
        self.pane: Optional["ConfigPane"] = None
        self._draft: Optional[str] = None  # the list row of a new action not saved yet
        self._opening = 0  # generation of the latest open: an earlier one landing late is dropped
        self._pending = ""  # the action being read for the pane, "" when none
        actions.currentNameChanged.connect(self._on_list_selection)

    def attach(self, services: "Services", pane: "ConfigPane") -> None:
        self.services, self.pane = services, pane
        pane.dirtyChanged.connect(self._on_dirty)
        pane.saved.connect(self._on_saved)
        pane.theirsTaken.connect(self._on_theirs_taken)

    # -- what is shown ------------------------------------------------------------------------
    def current_name(self) -> str:
        return self.pane.saved_name() if self.pane is not None else ""

    def stored_names(self) -> list[str]:
        """The actions in the workspace as the list knows them (not a draft), by name."""
        return sorted((n for n in self.list.model.names() if n != self._draft), key=str.lower)

    def name_taken(self, name: str) -> bool:
        """The pane's check as the name is typed: the list's rows (the watcher keeps them in step with
        the disk), not the draft. The save checks the disk again under the workspace lock."""
        return name.lower() != self.draft_name().lower() and self.list.model.has_name(name)

    def is_opening(self) -> bool:
        """Whether an action is being read for the pane (what it shows is about to change)."""
        return bool(self._pending)

    # -- opening ------------------------------------------------------------------------------
    def open_action(self, name: str, then: Then = None) -> None:
        """Read an action in a worker, then show it (no dirty check: callers guard first).

        `then(ok)` runs once it is shown or could not be read; an open overtaken by another
        (or cancelled) never calls back.
        """
        assert self.services is not None and self.pane is not None
        self._opening += 1
        generation, self._pending = self._opening, name
        edits = self.pane.edits

        def loaded(result: tuple["Action", Optional[str]]) -> None:
            if generation != self._opening:
                return
            self._pending = ""

            def show() -> None:
                self._show(*result)
                if then:
                    then(True)

            def kept() -> None:
                self._reselect_current()
                if then:
                    then(False)

            if self.pane is not None and self.pane.edits != edits:
                self.guard(show, kept)  # typed into while the file was read: ask before replacing the edits
            else:
                show()

        def failed(exc: BaseException) -> None:
            if generation == self._opening:
                self._pending = ""
                self._open_failed(name, exc)
                if then:
                    then(False)

        run_in_background(read_action, self.services.workspace, name, on_done=loaded, on_error=failed, owner=self)

    def cancel_open(self) -> None:
        self._opening += 1
        self._pending = ""

    def _show(self, action: "Action", stamp: Optional[str]) -> None:
        assert self.pane is not None
        self.drop_draft()
        self.undo_stack.clear()
        self.pane.load(action, self.list.model.used_in(action.name), stamp=stamp)
        self.list.select(action.name)
        self._after_open(action.name)

    def _open_failed(self, name: str, exc: BaseException) -> None:
        from app.store import StoreError

        if isinstance(exc, StoreError):  # unreadable or gone: named, and its row goes
            message.error(str(exc))
            self.list.model.remove(name)
        else:
            message.error(f"Could not open {name}: {exc}")

    def _after_open(self, name: str) -> None:
        assert self.pane is not None
        self._on_dirty(self.pane.is_dirty())
        self.shown.emit(name)

    def open_row(self, row: int, then: Then = None) -> None:
        """Open the action at (or nearest to) a list row, or clear the pane when the list is empty."""
        assert self.pane is not None
        count = self.list.proxy.rowCount()
        if count:
            self.open_action(self.list.proxy.data(self.list.proxy.index(min(max(row, 0), count - 1), 0)), then)
            return
        self.cancel_open()
        self.undo_stack.clear()
        self.pane.clear()
        self.list.select("")
        self.shown.emit("")
        if then:
            then(True)

    def _on_list_selection(self, name: str) -> None:
        if self.pane is None:
            return
        if name == self.current_name():
            self.cancel_open()  # back on the action being edited: another one being read is not wanted
            return
        self.guard(lambda: self.open_action(name), self._reselect_current)

    def _reselect_current(self) -> None:
        """Back to the row of the action being edited: now, and again once the click that changed the
        row is handled (the view selects the clicked row after this slot returns)."""
        self.list.select(self.current_name())
        QTimer.singleShot(0, self, lambda: self.list.select(self.current_name()))

    def guard(self, proceed: Callable[[], Any], cancel: Callable[[], Any] = lambda: None) -> None:
        """Run `proceed` once unsaved edits are saved or discarded; `cancel` if the user backs out."""
        pane = self.pane
        if pane is None or not pane.is_dirty():
            proceed()
            return
        answer = ask.save_discard_cancel(self._window, pane.names.values()[0] or self.current_name())
        if answer == "save":
            pane.save(then=lambda ok: proceed() if ok else cancel())
        elif answer == "discard":
            self.list.model.set_dirty(self.current_name(), False)
            proceed()
        else:
            cancel()

    # -- rows ---------------------------------------------------------------------------------
    def list_row(self, action: "Action") -> None:
        """Add (or update) an action's row; the row of the action being edited stays selected."""
        from app.store import summary_of

        with self.list.quiet():
            self.list.model.upsert(summary_of(action))
        self.list.select(self.current_name())

    def list_and_open(self, action: "Action") -> None:
        self.list_row(action)
        self.open_action(action.name)

    # -- the draft ----------------------------------------------------------------------------
    def draft_name(self) -> str:
        return self._draft or ""

    def open_draft(self, action: "Action") -> None:
        """Show a new action in the list and the pane; nothing is written until it is saved."""
        from app.store import summary_of

        assert self.pane is not None
        self.cancel_open()
        self.drop_draft()
        with self.list.quiet():
            self.list.model.upsert(summary_of(action))
        self._draft = action.name
        self.undo_stack.clear()
        self.pane.load(action, [], draft=True)
        self.list.select(action.name)
        self._after_open(action.name)

    def rename_draft(self, name: str) -> None:
        """Move the draft's row to another name (its own was taken on disk meanwhile)."""
        from app.store import summary_of

        assert self._draft is not None and self.pane is not None
        self.pane.rename_draft(name)
        action = self.pane.action()
        assert action is not None
        with self.list.quiet():
            self.list.model.upsert(summary_of(action), old_name=self._draft)
        self._draft = name
        self.list.select(name)
        self._after_open(name)

    def drop_draft(self) -> None:
        """The draft's row goes when the pane leaves it unsaved (its edits were discarded)."""
        if self._draft is not None:
            with self.list.quiet():
                self.list.model.remove(self._draft)
            self._draft = None

    def discard_draft(self) -> None:
        """Forget the draft (nothing was written) and open its neighbour in the list."""
        row = self.list.proxy.proxy_row_of(self.draft_name())
        self.drop_draft()
        self.open_row(row)

    # -- the pane's news ----------------------------------------------------------------------
    def _on_dirty(self, dirty: bool) -> None:
        if self.pane is not None and self.current_name():
            self.list.model.set_dirty(self.current_name(), dirty)
        self.dirtyChanged.emit(dirty)

    def _on_saved(self, action: "Action", previous: str) -> None:
        from app.store import summary_of

        if previous == self._draft:
            self._draft = None  # saved: a stored action from now on
        with self.list.quiet():
            self.list.model.set_dirty(previous, False)
            self.list.model.upsert(summary_of(action), old_name=previous)
        if previous != action.name:
            self.list.model.rename_used(previous, action.name)
        self.list.select(action.name)
        self.changed.emit([action.name])
        self.shown.emit(action.name)

    def _on_theirs_taken(self, name: str, kind: str) -> None:
        """A save conflict settled for the disk's version: reload it, or let a deleted one go."""
        if kind == "changed":
            self.open_action(name)
            return
        row = self.list.proxy.proxy_row_of(name)
        with self.list.quiet():
            self.list.model.remove(name)
        self.open_row(row)
