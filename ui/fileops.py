"""The File menu's import and export, and importing JSON files dropped on the window.
A mixin of `MainWindow`; the work runs in workers (`ui.actionlist.ops`)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from PySide6.QtGui import QDragEnterEvent, QDropEvent

from ui import ask, message
from ui.workers import run_in_background


class FileOpsMixin:
    """Import (dialog or drop) and export (selected or all, secrets masked)."""

    def import_dialog(self) -> None:
        path = ask.open_file(self, "Import actions")
        if path is not None:
            self.import_paths([path])

    def import_paths(self, paths: list[Path]) -> None:
        if self.services is None:
            return
        from ui.actionlist import ops

        def done(report: Any) -> None:
            for action in report.saved:
                self._insert_quietly_only(action)
            if report.saved:
                last = report.saved[-1].name
                self.guard(lambda: self.open_action(last))
            parts = [f"Imported {len(report.saved)} action{'s' if len(report.saved) != 1 else ''}"]
            parts += [f"{old} was renamed {new} (the name was taken)" for old, new in report.renamed]
            parts += [f"enter secrets for {name}: {', '.join(fields)}" for name, fields in report.missing.items()]
            (message.warning if report.renamed or report.missing else message.info)("; ".join(parts))

        self.run_write(ops.import_files, self.services, list(paths), on_done=done, on_error=self._failed("Import failed"))

    def _insert_quietly_only(self, action: Any) -> None:
        from ui.actionlist.ops import summary_of

        with self.list.quiet():
            self.list.model.upsert(summary_of(action))

    def export_selected(self) -> None:
        name = self.current_name()
        if name:
            self._export([name], f"{name}.json")

    def export_all(self) -> None:
        if self.services is not None:
            self._export(None, "actions.json")

    def _export(self, names: Optional[list[str]], suggested: str) -> None:
        path = ask.save_file(self, "Export actions (secrets are masked)", suggested)
        if path is None:
            return
        from ui.actionlist import ops

        run_in_background(ops.export_actions, self.services, names, path,
                          owner=self, on_done=lambda n: message.info(f"Exported {n} action{'s' if n != 1 else ''} to {path} "
                                                         "(secrets masked)"),
                          on_error=self._failed("Export failed"))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.toLocalFile().lower().endswith(".json")
                                              for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.toLocalFile().lower().endswith(".json")]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)
