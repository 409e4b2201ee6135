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

        self.guard(lambda: run_in_background(ops.new_draft, self.services, owner=self, on_done=self._open_draft,
                                             on_error=self._failed("Could not add an action")))

    def _open_draft(self, action: Any) -> None:
        """Show a new action in the list and the pane; nothing is written until it is saved."""
        from ui.actionlist.ops import summary_of

        self._drop_draft()
        with self.list.quiet():
            self.list.model.upsert(summary_of(action))
        self._draft = action.name
        self.undo_stack.clear()
        self.pane.load(action, [], draft=True)
        self.list.select(action.name)
        self._after_open(action.name)
        self.export_act.setEnabled(False)
        message.info(f"Added {action.name}: give it a name and a URL, then save it")
        self.pane.names.name_edit.setFocus()
        self.pane.names.name_edit.selectAll()

    def draft_name(self) -> str:
        return self._draft or ""

    def rename_draft(self, name: str) -> None:
        """Move the draft's row to another name (its own was taken on disk meanwhile)."""
        from ui.actionlist.ops import summary_of

        assert self._draft is not None
        self.pane.rename_draft(name)
        with self.list.quiet():
            self.list.model.upsert(summary_of(self.pane.action()), old_name=self._draft)
        self._draft = name
        self.list.select(name)
        self._after_open(name)

    def _drop_draft(self) -> None:
        """The draft's row goes when the pane leaves it unsaved (its edits were discarded)."""
        if self._draft is not None:
            with self.list.quiet():
                self.list.model.remove(self._draft)
            self._draft = None

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

        self.guard(lambda: self.run_write(ops.duplicate_action, self.services, name, on_done=done,
                                          on_error=self._failed(f"Could not duplicate {name}")))

    def delete_action(self) -> None:
        name = self.current_name()
        if not name:
            return
        if name == self._draft:
            self._discard_draft()
            return
        used = self.list.model.used_in(name)
        if used:  # the store's rule, asked before the question (the store refuses too, if the list is behind)
            from app.store import InUseError

            message.error(str(InUseError(name, used)))
            return
        detail = "Its unsaved changes will be lost. " if self.pane.is_dirty() else ""
        if not ask.confirm(self, "Delete action", f"Delete “{name}”?", "Delete",
                           detail + "You can undo this (Ctrl+Z)."):
            return
        from ui.actionlist import ops

        row = self.list.proxy.proxy_row_of(name)
        self.run_write(ops.delete_action, self.services, name, on_done=lambda action: self._on_deleted(action, row),
                       on_error=self._failed(f"Could not delete {name}"))

    def _discard_draft(self) -> None:
        if ask.confirm(self, "Discard new action", f"Discard “{self._draft}”?", "Discard",
                       "It was never saved: nothing is written."):
            row = self.list.proxy.proxy_row_of(self._draft)
            self._drop_draft()
            self.open_row(row)

    def open_row(self, row: int) -> None:
        """Open the action at (or nearest to) a list row, or clear the pane when the list is empty."""
        count = self.list.proxy.rowCount()
        if count:
            self.open_action(self.list.proxy.data(self.list.proxy.index(min(max(row, 0), count - 1), 0)))
        else:
            self.undo_stack.clear()
            self.pane.clear()
            self.list.select("")
            self.actionShown.emit("")

    def _on_deleted(self, action: Any, row: int) -> None:
        self._deleted.append(action)
        with self.list.quiet():
            self.list.model.remove(action.name)
        self.open_row(row)
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

        self.run_write(ops.restore_action, self.services, action, on_done=restored,
                       on_error=self._failed(f"Could not restore {action.name}"))

    def _insert_quietly(self, action: Any) -> None:
        from ui.actionlist.ops import summary_of

        with self.list.quiet():
            self.list.model.upsert(summary_of(action))
        self.list.select(self.current_name())
