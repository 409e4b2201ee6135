"""The send panel: compose an event for an action (templates for the two seed endpoints, raw JSON
for any other), see the client-side checks inline, send it; or send a JSON-lines / CSV file as a
batch with a progress bar, a cancel button and a summary. Sending runs off the UI thread."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.calls import CallResult, SetupError, ValuesError, inputs
from app.calls.batch import BatchSummary, format_of, read_batch, run_batch
from app.calls.build import prepare
from app.calls.history import history_of
from app.model import Action
from ui import ask, message
from ui.sending.chooser import ActionChooser, Chosen
from ui.sending.form import ValuesForm
from ui.sending.result_view import ERROR_COLOR, ResultView
from ui.sending.templates import Composer, composer_for
from ui.sending.test_request import send_in_background
from ui.workers import run_in_background

if TYPE_CHECKING:
    from app.services import Services

BATCH_FILTER = "Events (*.jsonl *.ndjson *.json *.csv);;All files (*)"


class _BatchSignals(QObject):
    """Lives on the GUI thread; the batch worker emits progress through it (queued)."""

    progress = Signal(int, int, str)


def run_batch_file(services: Services, action: Action, path: Path, concurrency: int, cancel: threading.Event,
                   signals: _BatchSignals) -> BatchSummary:
    """The batch worker's job (no widgets): read, check, send, record; progress by signal."""
    resolver = services.resolver()
    prepared = prepare(action, resolver)
    parsed = read_batch(prepared, path.read_text("utf-8"), format_of(path.name))
    return run_batch(action, parsed.items, engine=services.auth, resolver=resolver, prepared=prepared,
                     concurrency=concurrency, cancel=cancel, history=history_of(services), bad=parsed.bad,
                     progress=lambda done, total, s: signals.progress.emit(done, total, s.line()))


class SendPanel(QWidget):
    """Manual sending through an action: one composed event, or a batch file."""

    sent = Signal(object)  # CallResult of a manual send
    batchFinished = Signal(object)  # BatchSummary

    def __init__(self, services: Services, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.services = services
        self.action: Optional[Action] = None
        self.composer: Optional[Composer] = None
        self.headers_form: Optional[ValuesForm] = None
        self._sending = False
        self._cancel: Optional[threading.Event] = None
        self._signals = _BatchSignals(self)
        self._signals.progress.connect(self.on_batch_progress)
        self.actions = QComboBox()
        self.actions.setAccessibleName("Action to send through")
        self.chooser = ActionChooser(services, self.actions)
        self.chooser.chosen.connect(self._on_chosen)
        self.chooser.vanished.connect(self._on_vanished)
        self.kind = QLabel()
        self.compose_area = QScrollArea()
        self.compose_area.setWidgetResizable(True)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        _red(self.problems)
        self._names_given = 0  # how many times the names were set: a late read of them is dropped
        self.path = QLineEdit()
        self.path.setPlaceholderText("dynamic path, optional")
        self.send_button = QPushButton("Send event")
        self.send_button.clicked.connect(self.on_send)
        self.result_view = ResultView()
        self.result_view.setObjectName("sendResult")
        top = QHBoxLayout()
        top.addWidget(QLabel("Action"))
        top.addWidget(self.actions, 1)
        top.addWidget(self.kind)
        send_row = QHBoxLayout()
        send_row.addWidget(self.path, 1)
        send_row.addWidget(self.send_button)
        compose = QWidget()
        box = QVBoxLayout(compose)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(top)
        box.addWidget(self.compose_area, 1)
        box.addWidget(self.problems)
        box.addLayout(send_row)
        box.addWidget(self._batch_group())
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(compose)
        splitter.addWidget(self.result_view)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.reload_actions()

    # -- actions and composers ---------------------------------------------------------------
    def reload_actions(self) -> None:
        """The workspace's names, read in a worker (a panel on its own; in the window the list drives
        `set_actions`, and names it gave are never overwritten by a read that started before)."""
        given = self._names_given

        def read(names: list[str]) -> None:
            if given == self._names_given:
                self.set_actions(names)

        run_in_background(self.services.workspace.names, on_done=read,
                          on_error=message.failure("Could not list the actions"), owner=self)

    def set_actions(self, names: list[str]) -> None:
        self._names_given += 1
        self.chooser.set_names(names)

    def select_action(self, name: str) -> None:
        self.chooser.choose(name)

    def actions_changed(self, names: list[str]) -> None:
        """These actions were saved or changed on disk: the chosen one is reloaded, never sent stale."""
        self.chooser.reload(names)

    def _on_chosen(self, choice: Optional[Chosen]) -> None:
        self.show_action(choice.action if choice else None, choice.body if choice else None)

    def show_action(self, action: Optional[Action], body: Any = None) -> None:
        """Compose for the loaded action (`body`: raw JSON's prefill, read with it in the chooser's
        worker); None (loading, or vanished) leaves nothing to send."""
        self.action = action
        self.send_button.setEnabled(action is not None and not self._sending)
        self.start_button.setEnabled(action is not None and self._cancel is None)
        old = self.compose_area.takeWidget()
        if old is not None:
            old.deleteLater()
        self.composer = self.headers_form = None
        if action is None:
            self.kind.setText("")
            self.on_composed()
            return
        self.composer = composer_for(action, body)
        self.composer.changed.connect(self.on_composed)
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(self.composer)
        others = [i for i in inputs(action) if i.kind != "payload"]
        self.headers_form = ValuesForm(others) if others else None
        if self.headers_form is not None:
            group = QGroupBox("Variable headers and query parameters")
            QVBoxLayout(group).addWidget(self.headers_form)
            box.addWidget(group)
        box.addStretch(1)
        self.compose_area.setWidget(page)
        self.kind.setText({"custom_event": "custom event", "inlet": "streaming inlet"}.get(self.composer.kind,
                                                                                             "raw JSON"))
        self.on_composed()

    def _on_vanished(self, reason: str) -> None:
        self.show_action(None)
        self.problems.setText(reason)
        self.problems.setVisible(True)

    def on_composed(self) -> None:
        problems = self.composer.problems() if self.composer is not None else []
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))

    # -- one event -------------------------------------------------------------------------------
    def on_send(self) -> None:
        if self._sending or self.action is None or self.composer is None:
            return
        problems = self.composer.problems()
        if problems:
            self.on_composed()
            self.result_view.show_message("Not sent: the checks above found problems.", ok=False)
            return
        try:
            values = self.headers_form.values() if self.headers_form is not None else {}
        except ValueError as exc:
            self.result_view.show_message(str(exc), ok=False)
            return
        self._sending = True
        self.send_button.setEnabled(False)
        self.result_view.show_message("Sending…")
        run_in_background(send_in_background, self.services, self.action, values, self.path.text().strip(),
                          "manual", self.composer.body(), on_done=self._on_sent, on_error=self._on_send_error,
                          owner=self)

    def _on_sent(self, result: CallResult) -> None:
        if not shiboken6.isValid(self):
            return
        self._sending = False
        self.send_button.setEnabled(self.action is not None)
        self.result_view.show_result(result)
        self.sent.emit(result)

    def _on_send_error(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._sending = False
        self.send_button.setEnabled(self.action is not None)
        if isinstance(exc, ValuesError) and self.headers_form is not None:
            self.headers_form.show_problems(exc.problems)
        self.result_view.show_message(f"Not sent: {exc}", ok=False)

    # -- batch -----------------------------------------------------------------------------------
    def _batch_group(self) -> QGroupBox:
        group = QGroupBox("Batch from a file (JSON lines or CSV, one event per line)")
        self.batch_file = QLineEdit()
        self.batch_file.setPlaceholderText("events.jsonl or events.csv")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.on_browse)
        self.concurrency = QSpinBox()
        self.concurrency.setRange(1, 256)
        self.concurrency.setValue(16)
        self.start_button = QPushButton("Send batch")
        self.start_button.clicked.connect(self.on_start_batch)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.on_cancel_batch)
        self.progress = QProgressBar()
        self.progress.setFormat("%v / %m")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        file_row = QHBoxLayout()
        file_row.addWidget(self.batch_file, 1)
        file_row.addWidget(browse)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("Concurrency"))
        buttons.addWidget(self.concurrency)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        form = QFormLayout(group)
        form.addRow("File", file_row)
        form.addRow(buttons)
        form.addRow(self.progress)
        form.addRow(self.summary)
        return group

    def on_browse(self) -> None:
        path = ask.open_file(self, "Events to send", BATCH_FILTER)
        if path is not None:
            self.batch_file.setText(str(path))

    def on_start_batch(self) -> None:
        if self._cancel is not None or self.action is None:
            return
        path = Path(self.batch_file.text().strip())
        if not path.is_file():
            self.summary.setText(f"No such file: {path}")
            return
        self._cancel = cancel = threading.Event()
        self.destroyed.connect(lambda *_: cancel.set())  # the panel went away: stop the batch too
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.summary.setText("Reading the file…")
        run_in_background(run_batch_file, self.services, self.action, path, self.concurrency.value(), self._cancel,
                          self._signals, on_done=self._on_batch_done, on_error=self._on_batch_error, owner=self)

    def on_cancel_batch(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.summary.setText("Cancelling…")

    def on_batch_progress(self, done: int, total: int, line: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.summary.setText(line)

    def _on_batch_done(self, summary: BatchSummary) -> None:
        if not shiboken6.isValid(self):
            return
        self._end_batch()
        self.progress.setRange(0, max(summary.total, 1))
        self.progress.setValue(summary.sent)
        details = [summary.line()] + [str(b) for b in summary.bad[:5]]
        details += [f"line {n}: {reason}" for n, reason in summary.failures[:5]]
        self.summary.setText("\n".join(details))
        self.batchFinished.emit(summary)

    def _on_batch_error(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._end_batch()
        self.progress.setRange(0, 1)
        expected = isinstance(exc, (SetupError, OSError, UnicodeDecodeError))
        reason = str(exc) if expected else f"{type(exc).__name__}: {exc}"
        self.summary.setText(f"Batch not sent: {reason}")

    def _end_batch(self) -> None:
        self._cancel = None
        self.start_button.setEnabled(self.action is not None)
        self.cancel_button.setEnabled(False)

    @property
    def batch_running(self) -> bool:
        return self._cancel is not None


def _red(label: QLabel) -> None:
    palette = label.palette()
    palette.setColor(label.foregroundRole(), ERROR_COLOR)
    label.setPalette(palette)
