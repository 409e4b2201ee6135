"""File > Import from (Postman, OpenAPI, cURL) and File > Export as (Postman, cURL, httpx), and
files of any of those formats dropped on the window (format sniffed). Disk work runs in workers
(`ui.importexport_ops`); an OpenAPI document with several operations asks which one; every import
ends with its report (what was imported, what could not be mapped)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Optional

from PySide6.QtCore import QMimeData, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui import ask, message
from ui.current import CurrentAction
from ui.workers import run_in_background
from ui.writes import WorkspaceWrites

IMPORTABLE = (".json", ".yaml", ".yml", ".sh", ".txt", ".curl")
FILTERS = {
    "postman": "Postman collections (*.json);;All files (*)",
    "openapi": "OpenAPI documents (*.yaml *.yml *.json);;All files (*)",
    "curl": "cURL commands (*.sh *.txt *.curl);;All files (*)",
}
EXPORTS = {"postman": ("Postman collection", "actions.postman_collection.json", "Postman collections (*.json)"),
           "curl": ("cURL", "{name}.sh", "Shell scripts (*.sh);;All files (*)"),
           "httpx": ("Python httpx", "{name}.py", "Python files (*.py);;All files (*)")}


def importable_paths(mime: QMimeData) -> list[Path]:
    """The local files of a drag that an import may read (our exports, Postman, OpenAPI, cURL)."""
    if not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls() if u.toLocalFile().lower().endswith(IMPORTABLE)]


class ImportExport(QObject):
    """The Import from / Export as menus and their work; drops of other formats come here too."""

    def __init__(self, current: CurrentAction, writes: WorkspaceWrites, native_import: Callable[[list[Path]], None],
                 window: QWidget) -> None:
        super().__init__(window)
        self.current, self.writes, self._native_import = current, writes, native_import
        self._window = window
        self.export_selected_acts: list[QAction] = []

    def add_menus(self, file_menu: QMenu, before: QAction) -> None:
        """Import from and Export as submenus, placed before `before` in the File menu."""
        imports = QMenu("Import &from", file_menu)
        imports.setObjectName("importFromMenu")
        for fmt, text in (("postman", "&Postman collection…"), ("openapi", "&OpenAPI document…"),
                          ("curl", "&cURL command (file)…")):
            act = imports.addAction(text)
            act.setObjectName(f"importFrom_{fmt}")
            act.triggered.connect(lambda *_, fmt=fmt: self.import_dialog(fmt))
        paste = imports.addAction("Paste c&URL command…")
        paste.setObjectName("importFrom_pastedCurl")
        paste.triggered.connect(lambda *_: self.paste_curl())
        exports = QMenu("Export &as", file_menu)
        exports.setObjectName("exportAsMenu")
        for fmt, (what, _suggested, _filter) in EXPORTS.items():
            label = f"{what} (all actions)…" if fmt == "postman" else f"{what} (selected action)…"
            act = exports.addAction(label)
            act.setObjectName(f"exportAs_{fmt}")
            act.triggered.connect(lambda *_, fmt=fmt: self.export_dialog(fmt))
            if fmt != "postman":
                act.setEnabled(False)
                self.export_selected_acts.append(act)
        file_menu.insertMenu(before, imports)
        file_menu.insertMenu(before, exports)

    def action_shown(self, draft: bool) -> None:
        for act in self.export_selected_acts:
            act.setEnabled(not draft)

    # -- import -----------------------------------------------------------------------------------
    def import_dialog(self, fmt: str) -> None:
        path = ask.open_file(self._window, "Import actions", FILTERS[fmt])
        if path is not None:
            self.import_paths([path], fmt)

    def paste_curl(self) -> None:
        """A whole call pasted as a curl command (e.g. from a vendor's docs) becomes an action."""
        text = paste_text(self._window)
        if text and self.current.services is not None:
            from ui import importexport_ops as ops

            pasted = ops.Prepared(Path("pasted cURL"), text, "curl")
            self.writes.run(ops.import_prepared, self.current.services, [pasted], on_done=self._imported,
                            on_error=message.failure("Import failed"))

    def import_paths(self, paths: list[Path], fmt: Optional[str] = None) -> None:
        """Read the files in a worker, ask for OpenAPI operations, then import (ours go the native way)."""
        if self.current.services is None:
            return
        from ui import importexport_ops as ops

        run_in_background(ops.prepare, list(paths), fmt, owner=self, on_done=self._prepared,
                          on_error=message.failure("Import failed"))

    def _prepared(self, prepared: list[Any]) -> None:
        from ui import importexport_ops as ops

        native = [p.path for p in prepared if p.fmt == "native"]
        if native:
            self._native_import(native)
        others = [p for p in prepared if p.fmt != "native"]
        for each in others:
            if each.fmt == "openapi" and len(each.operations) > 1:
                each.operation = choose_operation(self._window, each.path.name, each.operations)
                if each.operation is None:
                    message.info(f"Import of {each.path.name} cancelled")
                    return
        if others:
            self.writes.run(ops.import_prepared, self.current.services, others, on_done=self._imported,
                            on_error=message.failure("Import failed"))

    def _imported(self, done: Any) -> None:
        for action in done.saved:
            self.current.list_row(action)
        if done.saved:
            last = done.saved[-1].name
            self.current.guard(lambda: self.current.open_action(last))
        envs = f"; variables added to {len(done.kept)} environment{'s' if len(done.kept) != 1 else ''}"
        message.info(f"Imported {len(done.saved)} action{'s' if len(done.saved) != 1 else ''}"
                     + (envs if done.kept else ""))
        show_report(self._window, done)

    # -- export -----------------------------------------------------------------------------------
    def export_dialog(self, fmt: str) -> None:
        if self.current.services is None:
            return
        what, suggested, filter_ = EXPORTS[fmt]
        names = None
        if fmt != "postman":
            name = self.current.current_name()
            if not name:
                return
            names, suggested = [name], suggested.format(name=name)
        path = ask.save_file(self._window, f"Export as {what} (secrets are left out)", suggested, filter_)
        if path is None:
            return
        from ui import importexport_ops as ops

        def done(result: tuple[int, list[str], list[str]]) -> None:
            count, extra, kept = result
            beside = f", and {len(extra)} environment{'s' if len(extra) != 1 else ''} beside it" if extra else ""
            text = f"Exported {count} action{'s' if count != 1 else ''} as {what} to {path}{beside} (secrets left out)"
            if kept:
                message.warning(f"{text}; not replaced (already there): {', '.join(kept)}")
            else:
                message.info(text)

        run_in_background(ops.export_as, self.current.services, names, fmt, path, owner=self, on_done=done,
                          on_error=message.failure("Export failed"))


def choose_operation(parent: QWidget, name: str, operations: list[Any]) -> Optional[str]:
    """The operation of an OpenAPI document to import (its id), or None when cancelled."""
    dialog = QDialog(parent)
    dialog.setObjectName("openapiOperationDialog")
    dialog.setWindowTitle(f"Import from {name}")
    listing = QListWidget(dialog)
    listing.setObjectName("operations")
    for op in operations:
        listing.addItem(f"{op.method} {op.path}  ({op.id}){'  ' + op.summary if op.summary else ''}")
    listing.setCurrentRow(0)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    listing.itemDoubleClicked.connect(lambda _item: dialog.accept())
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel("Choose the operation to import as an action:", dialog))
    layout.addWidget(listing)
    layout.addWidget(buttons)
    accepted = ask.show_dialog(dialog) == QDialog.DialogCode.Accepted
    row = listing.currentRow()
    dialog.deleteLater()
    return operations[row].id if accepted and row >= 0 else None


def paste_text(parent: QWidget) -> str:
    """The curl command the user pastes ("" when cancelled)."""
    dialog = QDialog(parent)
    dialog.setObjectName("pasteCurlDialog")
    dialog.setWindowTitle("Import a cURL command")
    edit = QPlainTextEdit(dialog)
    edit.setObjectName("curlText")
    edit.setPlaceholderText("curl -X POST 'https://api.example.com/v1/events' -H 'Content-Type: application/json' "
                            "--data-raw '{\"name\": \"purchased\"}'")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel("Paste the whole call (method, URL, headers, data); secrets go to the keyring:", dialog))
    layout.addWidget(edit)
    layout.addWidget(buttons)
    dialog.resize(640, 240)
    accepted = ask.show_dialog(dialog) == QDialog.DialogCode.Accepted
    text = edit.toPlainText().strip()
    dialog.deleteLater()
    return text if accepted else ""


def report_text(done: Any) -> str:
    lines = [f"Imported {a.name}" for a in done.saved]
    lines += [f"{old} was renamed {new} (the name was taken)" for old, new in done.renamed]
    lines += [f"Enter secrets for {name}: {', '.join(fields)}" for name, fields in done.missing.items()]
    lines += done.kept
    notes = [line for report in done.reports for line in report.lines()]
    if notes:
        lines += ["", "Not mapped:"] + notes
    return "\n".join(lines)


def show_report(parent: QWidget, done: Any) -> None:
    """The import report: what was imported, renamed, what secrets to enter, what was not mapped."""
    dialog = report_dialog(parent, done)
    ask.show_dialog(dialog)
    dialog.deleteLater()


def report_dialog(parent: QWidget, done: Any) -> QDialog:
    dialog = QDialog(parent)
    dialog.setObjectName("importReportDialog")
    dialog.setWindowTitle("Import report")
    text = QPlainTextEdit(report_text(done), dialog)
    text.setObjectName("reportText")
    text.setReadOnly(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text)
    layout.addWidget(buttons)
    dialog.resize(640, 360)
    return dialog
