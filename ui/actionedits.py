"""Adding, duplicating and deleting actions (deletion undoable), from the list, the pane or the
Edit menu. The work runs in workers (`ui.actionlist.ops`); what the pane shows changes through
`CurrentAction`."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from ui import ask, message
from ui.current import CurrentAction
from ui.workers import run_in_background
from ui.writes import WorkspaceWrites

if TYPE_CHECKING:
    from app.model import Action


class ActionEdits(QObject):
    """Add, duplicate, delete and undelete; each guards unsaved edits before leaving the action.

    Deleted actions keep their secrets until the window closes (`forget_deleted`): undo brings
    an action back whole.
    """

    def __init__(self, current: CurrentAction, writes: WorkspaceWrites, window: QWidget) -> None:
        super().__init__(window)
        self.current = current
        self.writes = writes
        self._window = window  # the parent of the questions asked
        self._deleted: list["Action"] = []

    def add_action(self) -> None:
        services = self.current.services
        if services is None:
            return
        from ui.actionlist import ops

        self.current.guard(lambda: run_in_background(ops.new_draft, services, owner=self, on_done=self._open_draft,
                                                     on_error=message.failure("Could not add an action")))

    def _open_draft(self, action: "Action") -> None:
        self.current.open_draft(action)
        message.info(f"Added {action.name}: give it a name and a URL, then save it")
        pane = self.current.pane
        assert pane is not None
        pane.names.name_edit.setFocus()
        pane.names.name_edit.selectAll()

    def duplicate_action(self) -> None:
        name = self.current.current_name()
        if not name:
            return
        from ui.actionlist import ops

        def done(result: tuple["Action", list[str]]) -> None:
            action, missing = result
            self.current.list_and_open(action)
            note = f" ({len(missing)} secret(s) were missing and must be entered again)" if missing else ""
            message.info(f"Duplicated {name} as {action.name}{note}")

        self.current.guard(lambda: self.writes.run(ops.duplicate_action, self.current.services, name, on_done=done,
                                                   on_error=message.failure(f"Could not duplicate {name}")))

    def delete_action(self) -> None:
        current, pane = self.current, self.current.pane
        name = current.current_name()
        if not name or pane is None:
            return
        if name == current.draft_name():
            if ask.confirm(self._window, "Discard new action", f"Discard “{name}”?", "Discard",
                           "It was never saved: nothing is written."):
                current.discard_draft()
            return
        used = current.list.model.used_in(name)
        if used:  # the store's rule, asked before the question (the store refuses too, if the list is behind)
            from app.store import InUseError

            message.error(str(InUseError(name, used)))
            return
        detail = "Its unsaved changes will be lost. " if pane.is_dirty() else ""
        if not ask.confirm(self._window, "Delete action", f"Delete “{name}”?", "Delete",
                           detail + "You can undo this (Ctrl+Z)."):
            return
        from ui.actionlist import ops

        row = current.list.proxy.proxy_row_of(name)
        self.writes.run(ops.delete_action, current.services, name, on_done=lambda action: self._on_deleted(action, row),
                        on_error=message.failure(f"Could not delete {name}"))

    def _on_deleted(self, action: "Action", row: int) -> None:
        self._deleted.append(action)
        with self.current.list.quiet():
            self.current.list.model.remove(action.name)
        from ui.undo import CallbackCommand

        def offer_undo(_opened: bool) -> None:  # once the next action is shown (showing one clears the stack)
            self.current.undo_stack.push(CallbackCommand(f"delete {action.name}", lambda: self._undelete(action),
                                                         lambda: None))
            message.offer_undo(f"Deleted {action.name}")

        self.current.open_row(row, then=offer_undo)

    def _undelete(self, action: "Action") -> None:
        from ui.actionlist import ops

        def restored(saved: "Action") -> None:
            if action in self._deleted:
                self._deleted.remove(action)
            self.current.guard(lambda: self.current.list_and_open(saved), lambda: self.current.list_row(saved))
            message.info(f"Restored {saved.name}")

        self.writes.run(ops.restore_action, self.current.services, action, on_done=restored,
                        on_error=message.failure(f"Could not restore {action.name}"))

    def forget_deleted(self) -> None:
        """The window is closing: deleted actions can no longer be undone, so their secrets go."""
        if self._deleted and self.current.services is not None:
            from ui.actionlist.ops import forget_secrets

            forget_secrets(self.current.services, self._deleted)
            self._deleted.clear()
