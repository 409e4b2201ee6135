"""The history panel: recorded calls in a lazy table (pages read as you scroll, see history_model),
search and outcome filter, the selected call's request and response, Re-send, Export JSON lines.

Nothing here reads the database on the UI thread: opening the history, the outcomes, the pages and
the selected call are read on the worker pool and shown when they arrive."""
from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Optional

import shiboken6
from PySide6.QtCore import QModelIndex, QObject, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.calls import CallResult, send
from app.calls.history import Filter, History, HistoryRow, history_of
from ui import ask
from ui.sending.history_model import HistoryModel, RowRole, SortRole
from ui.sending.result_view import ResultView
from ui.workers import run_in_background

SEARCH_PAUSE_MS = 250  # typing pause after which the search runs
REFRESH_MS = 300  # new rows (a batch adds many) are shown at most this often

if TYPE_CHECKING:
    from app.services import Services


class _Bridge(QObject):
    """Carries the history's "rows added" (from any thread) to the GUI thread."""

    added = Signal(int)


class HistoryPanel(QWidget):
    """Browse, search, re-send and export the workspace's recorded calls."""

    resent = Signal(object)  # the CallResult of a re-send

    def __init__(self, services: Services, parent: Optional[QWidget] = None, history: Optional[History] = None) -> None:
        super().__init__(parent)
        self.services = services
        self.history: Optional[History] = None
        self.model = HistoryModel(None, self)
        self.model.loaded.connect(self._update_count)
        self.model.failed.connect(self._show_failure)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search action, URL, request and response…")
        self.search.setToolTip("Calls holding every word typed, as a word or the start of one (cust-4 finds "
                               "cust-42), in any case")
        self.search.setClearButtonEnabled(True)
        self.outcome = QComboBox()
        self.count = QLabel()
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(False)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        _size_columns(self.table)
        self.table.horizontalHeader().setSectionsClickable(True)
        self.table.horizontalHeader().sectionClicked.connect(self.on_sort)
        self.table.verticalHeader().hide()
        self.table.selectionModel().currentRowChanged.connect(self.on_current)
        self.details = ResultView()
        self.resend_button = QPushButton("Re-send")
        self.resend_button.setEnabled(False)
        self.resend_button.clicked.connect(self.on_resend)
        export = QPushButton("Export JSON lines…")
        export.clicked.connect(self.on_export)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        bar.addWidget(self.outcome, 1)
        bar.addWidget(self.count)
        bar.addWidget(self.resend_button)
        bar.addWidget(export)
        # Side by side: the panel lives in a bottom dock, where height is scarce and width is not.
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setSizes([600, 600])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_PAUSE_MS, timeout=self.apply_filter)
        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_MS, timeout=self._refresh)
        self.search.textChanged.connect(self._debounce.start)
        self.outcome.currentIndexChanged.connect(self.apply_filter)
        self._bridge = _Bridge(self)
        self._bridge.added.connect(self._on_added)
        self._shown_id: Optional[int] = None  # the call whose details were asked for last
        self._fill_outcomes([])
        if history is not None:
            self._use(history)
        else:
            self.count.setText("opening the history…")
            run_in_background(history_of, services, on_done=self._use, on_error=self._open_failed, owner=self)

    def _use(self, history: History) -> None:
        self.history = history
        unsubscribe = history.subscribe(self._bridge.added.emit)
        self.destroyed.connect(lambda *_: unsubscribe())
        if history.problems:  # a file set aside, a settings file ignored: say so where the calls are shown
            self.details.show_message("\n".join(history.problems), ok=False)
        self.model.history = history
        self._refresh()

    def _open_failed(self, exc: BaseException) -> None:
        self.count.setText("no history")
        self.details.show_message(str(exc), ok=False)

    def apply_filter(self) -> None:
        code = self.outcome.currentData()
        self.model.set_filter(Filter(outcome=code or None, text=self.search.text().strip() or None))
        self._update_count()

    def _refresh(self) -> None:
        if self.history is None:
            return
        run_in_background(self.history.outcomes, on_done=self._fill_outcomes, owner=self)
        self.apply_filter()

    def _fill_outcomes(self, codes: list[str]) -> None:
        current = self.outcome.currentData()
        self.outcome.blockSignals(True)
        self.outcome.clear()
        self.outcome.addItem("All outcomes", None)
        self.outcome.addItem("Errors (not 2xx)", "error")
        for code in codes:
            self.outcome.addItem(code, code)
        self.outcome.setCurrentIndex(max(self.outcome.findData(current), 0))
        self.outcome.blockSignals(False)

    def _update_count(self) -> None:
        total = self.model.total
        if total is None:
            self.count.setText("searching…" if self.history is not None else self.count.text())
        else:
            self.count.setText(f"{total} call{'s' if total != 1 else ''}")

    def _show_failure(self, message: str) -> None:
        self.count.setText("")
        self.details.show_message(message, ok=False)

    def _on_added(self, n: int) -> None:
        if shiboken6.isValid(self):
            self._refresh_timer.start()  # coalesced: a batch adds rows every few hundred calls

    def on_sort(self, column: int) -> None:
        order = self.table.horizontalHeader().sortIndicatorOrder()
        self.proxy.sort(column, order)
        self.table.horizontalHeader().setSortIndicatorShown(True)

    def on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.selected_row()
        self._shown_id = row.id if row is not None else None
        self.resend_button.setEnabled(False)
        if row is None or self.history is None:
            self.details.show_result(None)
            return
        run_in_background(self.history.result, row.id, on_done=partial(self._show_call, row.id),
                          on_error=lambda exc: self.details.show_message(f"Not read: {exc}", ok=False), owner=self)

    def _show_call(self, row_id: int, result: Optional[CallResult]) -> None:
        if row_id != self._shown_id:
            return  # another row was chosen meanwhile
        self.details.show_result(result)
        self.resend_button.setEnabled(result is not None)

    def selected_row(self) -> Optional[HistoryRow]:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.data(index, RowRole)

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def on_resend(self) -> None:
        result = self.details.result
        if result is None:
            return
        self.resend_button.setEnabled(False)
        self.details.show_message(f"Re-sending {result.action}…")
        run_in_background(resend, self.services, result, on_done=self._on_resent, on_error=self._on_resend_error,
                          owner=self)

    def _on_resent(self, result: CallResult) -> None:
        if not shiboken6.isValid(self):
            return
        self.resend_button.setEnabled(True)
        self.details.show_result(result)
        self.resent.emit(result)

    def _on_resend_error(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self.resend_button.setEnabled(True)
            self.details.show_message(f"Not re-sent: {exc}", ok=False)

    def on_export(self) -> None:
        if self.history is None:
            return
        path = ask.save_file(self, "Export history", "history.jsonl", "JSON lines (*.jsonl);;All files (*)")
        if path is None:
            return
        where = self.model.where
        run_in_background(_export, self.history, str(path), where,
                          on_done=lambda n: self.count.setText(f"exported {n} calls to {path}"),
                          on_error=lambda exc: self.details.show_message(f"Export failed: {exc}", ok=False),
                          owner=self)


def resend(services: Services, recorded: CallResult) -> CallResult:
    """Send a recorded call again with the action as it is now (same values, path and raw body)."""
    action = services.workspace.load(recorded.action)
    return send(action, recorded.values, engine=services.auth, resolver=services.resolver(),
                path_suffix=recorded.path_suffix, body=recorded.body, source="manual",
                history=history_of(services))


def _export(history: History, path: str, where: Filter) -> int:
    with open(path, "w", encoding="utf-8") as out:
        return history.export_jsonl(out, where)


# What each column shows at its widest, mostly (a longer action name is elided; the details beside
# the table name it whole): widths from the font, not from the rows (sizing to contents reads them all).
_COLUMN_SAMPLES = ("0000-00-00 00:00:00", "airshipCustomEvent", "journey", "network_error", "Status",
                   "Duration (ms)")


def _size_columns(table: QTableView) -> None:
    """One line a call: the time whole (it wrapped onto two lines at the default width)."""
    table.setWordWrap(False)
    metrics, header = table.fontMetrics(), table.horizontalHeader()
    for column, sample in enumerate(_COLUMN_SAMPLES):
        header.resizeSection(column, metrics.horizontalAdvance(sample) + 2 * metrics.averageCharWidth())

