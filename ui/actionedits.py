"""Adding, duplicating and deleting actions (deletion undoable), from the list, the pane or the
Edit menu. A mixin of `MainWindow`; the work runs in workers (`ui.actionlist.ops`)."""
from __future__ import annotations

from typing import Any

from ui import ask, message
from ui.workers import run_in_background


class ActionEditsMixin:
    """Add, duplicate, delete and undelete; each guards unsaved edits before leaving the action."""

    def add_action(self) -> None:
        if self.services is None:
            return
        from ui.actionlist import ops

        def created(action: Any) -> None:
            self._insert_and_open(action)
            message.info(f"Added {action.name}: give it a name and a URL")
            self.pane.names.name_edit.setFocus()
            self.pane.names.name_edit.selectAll()

        self.guard(lambda: run_in_background(ops.create_action, self.services, owner=self, on_done=created,
                                             on_error=self._failed("Could not add an action")))

    def _insert_and_open(self, action: Any) -> None:
        from ui.actionlist.ops import summary_of

        with self.list.quiet():
            self.list.model.upsert(summary_of(action))
        self.open_action(action.name)

    def duplicate_action(self) -> None:
        name = self.current_name()
        if not name:
            return
        from ui.actionlist import ops

        def done(result: tuple[Any, list[str]]) -> None:
            action, missing = result
            self._insert_and_open(action)
            note = f" ({len(missing)} secret(s) were missing and must be entered again)" if missing else ""
            message.info(f"Duplicated {name} as {action.name}{note}")

        self.guard(lambda: run_in_background(ops.duplicate_action, self.services, name, owner=self, on_done=done,
                                             on_error=self._failed(f"Could not duplicate {name}")))

    def delete_action(self) -> None:
        name = self.current_name()
        if not name:
            return
        used = self.list.model.used_in(name)
        detail = f"It is used in {', '.join(used)}." if used else ""
        if self.pane.is_dirty():
            detail += " Its unsaved changes will be lost."
        if not ask.confirm(self, "Delete action", f"Delete “{name}”?", "Delete",
                           (detail + " You can undo this (Ctrl+Z).").strip()):
            return
        from ui.actionlist import ops

        row = self.list.proxy.proxy_row_of(name)
        run_in_background(ops.delete_action, self.services, name,
                          owner=self, on_done=lambda action: self._on_deleted(action, row),
                          on_error=self._failed(f"Could not delete {name}"))

    def _on_deleted(self, action: Any, row: int) -> None:
        self._deleted.append(action)
        with self.list.quiet():
            self.list.model.remove(action.name)
        count = self.list.proxy.rowCount()
        if count:
            self.open_action(self.list.proxy.data(self.list.proxy.index(min(max(row, 0), count - 1), 0)))
        else:
            self.undo_stack.clear()
            self.pane.clear()
            self.list.select("")
        from ui.undo import CallbackCommand

        self.undo_stack.push(CallbackCommand(f"delete {action.name}", lambda: self._undelete(action), lambda: None))
        message.offer_undo(f"Deleted {action.name}")

    def _undelete(self, action: Any) -> None:
        from ui.actionlist import ops

        def restored(saved: Any) -> None:
            if action in self._deleted:
                self._deleted.remove(action)
            self.guard(lambda: self._insert_and_open(saved), lambda: self._insert_quietly(saved))
            message.info(f"Restored {saved.name}")

        run_in_background(ops.restore_action, self.services, action, owner=self, on_done=restored,
                          on_error=self._failed(f"Could not restore {action.name}"))

    def _insert_quietly(self, action: Any) -> None:
        from ui.actionlist.ops import summary_of

        with self.list.quiet():
            self.list.model.upsert(summary_of(action))
        self.list.select(self.current_name())
