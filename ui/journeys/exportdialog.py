"""Export… of a run: the format (JSON lines, CSV, the platform's test-mode log, a profile's calls as
cURL), an optional profile (needed for cURL) and node, and the file. The dialog only gathers the
choice; `start_export` writes it on a worker thread (app.journeys.exports.export_file) and reports
back on the UI thread."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.journeys.exports import FORMATS, export_file
from ui import ask
from ui.workers import run_in_background

LABELS = {"jsonl": "JSON lines: every step of every profile", "csv": "CSV: a row per profile",
          "platform-log": "The platform's test-mode log (as \"Show log\")", "curl": "A profile's calls as cURL"}
SUFFIXES = {"jsonl": ".jsonl", "csv": ".csv", "platform-log": ".json", "curl": ".sh"}


@dataclass(frozen=True)
class ExportChoice:
    fmt: str
    path: Path
    profile: Optional[str] = None
    node: Optional[str] = None


class ExportDialog(QDialog):
    """What to export and where; OK once the choice is complete (a cURL export needs a profile)."""

    def __init__(self, run: Path, action_nodes: list[str], profile: str = "", parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("journeyExportDialog")
        self.setWindowTitle(f"Export run {run.stem}")
        self.run = run
        self.format = QComboBox(self)
        self.format.setObjectName("journeyExportFormat")
        for fmt in FORMATS:
            self.format.addItem(LABELS[fmt], fmt)
        self.profile = QLineEdit(profile, self)
        self.profile.setObjectName("journeyExportProfile")
        self.profile.setPlaceholderText("every profile (a profile id, or #N for input row N)")
        self.node = QComboBox(self)
        self.node.setObjectName("journeyExportNode")
        self.node.addItem("every call", None)
        for node in action_nodes:
            self.node.addItem(node, node)
        self.file = QLineEdit(self)
        self.file.setObjectName("journeyExportFile")
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.file, 1)
        where.addWidget(browse)
        self.problem = QLabel(self)
        self.problem.setObjectName("journeyExportProblem")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Format", self.format)
        form.addRow("&Profile", self.profile)
        form.addRow("&Node (cURL)", self.node)
        form.addRow("F&ile", where)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.format.currentIndexChanged.connect(self._format_changed)
        for edit in (self.profile, self.file):
            edit.textChanged.connect(self._check)
        self._format_changed()

    def fmt(self) -> str:
        return str(self.format.currentData())

    def _format_changed(self) -> None:
        fmt = self.fmt()
        self.node.setEnabled(fmt == "curl")
        current = self.file.text().strip()
        stem = Path(current).with_suffix("") if current else self.run.parent.parent / "exports" / self.run.stem
        self.file.setText(str(stem) + SUFFIXES[fmt])
        self._check()

    def _check(self) -> None:
        problem = ""
        if self.fmt() == "curl" and not self.profile.text().strip():
            problem = "A cURL export is of one profile's calls: give its id"
        elif not self.file.text().strip():
            problem = "Choose the file to write"
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def _browse(self) -> None:
        chosen = ask.save_file(self, "Export to", self.file.text(), "All files (*)")
        if chosen is not None:
            self.file.setText(str(chosen))

    def choice(self) -> ExportChoice:
        curl = self.fmt() == "curl"
        return ExportChoice(self.fmt(), Path(self.file.text().strip()), self.profile.text().strip() or None,
                            self.node.currentData() if curl else None)


def start_export(run: Path, choice: ExportChoice, done: Callable[[str], None], owner: QObject) -> None:
    """Write the export on a worker; done(message) on the UI thread says what was written or why not."""
    noun = ("call", "calls") if choice.fmt == "curl" else ("entry", "entries")

    def finished(written: int) -> None:
        done(f"Exported {written:,} {noun[written != 1]} to {choice.path}")

    run_in_background(export_file, run, choice.fmt, choice.path, choice.profile, choice.node,
                      on_done=finished, on_error=lambda exc: done(f"Not exported: {exc}"), owner=owner)
