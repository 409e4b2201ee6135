"""The File menu's import and export of our own format (also for our files dropped on the window,
sent here by `ui.importexport`). The work runs in workers (`ui.actionlist.ops`); imported actions
are listed through `CurrentAction`."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from ui import ask, message
from ui.current import CurrentAction
from ui.workers import run_in_background
from ui.writes import WorkspaceWrites


class FileOps(QObject):
    """Import (dialog or drop) and export (selected or all, secrets masked)."""

    def __init__(self, current: CurrentAction, writes: WorkspaceWrites, window: QWidget) -> None:
        super().__init__(window)
        self.current = current
        self.writes = writes
        self._window = window  # the parent of the file dialogs

    def import_dialog(self) -> None:
        path = ask.open_file(self._window, "Import actions")
        if path is not None:
            self.import_paths([path])

    def import_paths(self, paths: list[Path]) -> None:
        if self.current.services is None:
            return
        from ui.actionlist import ops

        def done(report: Any) -> None:
            for action in report.saved:
                self.current.list_row(action)
            if report.saved:
                last = report.saved[-1].name
                self.current.guard(lambda: self.current.open_action(last))
            parts = [f"Imported {len(report.saved)} action{'s' if len(report.saved) != 1 else ''}"]
            parts += [f"{old} was renamed {new} (the name was taken)" for old, new in report.renamed]
            parts += [f"enter secrets for {name}: {', '.join(fields)}" for name, fields in report.missing.items()]
            (message.warning if report.renamed or report.missing else message.info)("; ".join(parts))

        self.writes.run(ops.import_files, self.current.services, list(paths), on_done=done,
                        on_error=message.failure("Import failed"))

    def export_selected(self) -> None:
        name = self.current.current_name()
        if name:
            self._export([name], f"{name}.json")

    def export_all(self) -> None:
        if self.current.services is not None:
            self._export(None, "actions.json")

    def _export(self, names: Optional[list[str]], suggested: str) -> None:
        path = ask.save_file(self._window, "Export actions (secrets are masked)", suggested)
        if path is None:
            return
        from ui.actionlist import ops

        def done(n: int) -> None:
            message.info(f"Exported {n} action{'s' if n != 1 else ''} to {path} (secrets masked)")

        run_in_background(ops.export_actions, self.current.services, names, path, owner=self, on_done=done,
                          on_error=message.failure("Export failed"))
