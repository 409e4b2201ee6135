"""Undo/redo for the pane: each completed edit is one command holding (before, after) snapshots.

A snapshot is plain JSON-ready data (the pane's raw field values plus the sections' parts of the
action), so restoring it puts every section back exactly, valid or not. Workspace operations
(delete) are commands on the same stack, so Ctrl+Z undoes a delete too.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtGui import QUndoCommand

Snapshot = dict[str, Any]


class SnapshotCommand(QUndoCommand):
    """An edit in the pane: undo restores `before`, redo restores `after`."""

    def __init__(self, restore: Callable[[Snapshot], None], before: Snapshot, after: Snapshot, text: str) -> None:
        super().__init__(text)
        self._restore, self.before, self.after = restore, before, after
        self._first = True

    def redo(self) -> None:
        if self._first:  # the edit is already on screen when the command is pushed
            self._first = False
            return
        self._restore(self.after)

    def undo(self) -> None:
        self._restore(self.before)


class CallbackCommand(QUndoCommand):
    """A workspace operation already done (e.g. a delete): undo/redo call back into the window."""

    def __init__(self, text: str, undo: Callable[[], None], redo: Callable[[], None]) -> None:
        super().__init__(text)
        self._undo, self._redo = undo, redo
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._redo()

    def undo(self) -> None:
        self._undo()


def describe(before: Snapshot, after: Snapshot) -> str:
    """A short label for the Edit menu ('Undo edit name'), from what differs."""
    labels = {"name": "name", "description": "description", "url": "URL", "method": "method",
              "headers": "headers", "query": "query parameters"}
    mine_b, mine_a = before.get("mine", {}), after.get("mine", {})
    changed = [labels[k] for k in labels if mine_b.get(k) != mine_a.get(k)]
    theirs_b, theirs_a = before.get("theirs", {}), after.get("theirs", {})
    if theirs_b.get("auth") != theirs_a.get("auth"):
        changed.append("authentication")
    if any(theirs_b.get(k) != theirs_a.get(k) for k in ("request", "response", "errorResponse", "allowNull")):
        changed.append("payloads")
    return "edit " + (", ".join(changed[:2]) if changed else "action")
