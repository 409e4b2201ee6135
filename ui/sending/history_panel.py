"""The history panel: recorded calls in a lazy table (pages fetched from SQLite as you scroll),
search and outcome filter, the selected call's request and response, Re-send, Export JSON lines."""
from __future__ import annotations

from typing import Any, Optional

import shiboken6
from PySide6.QtCore import (QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel,
                            Qt, QTimer, Signal)
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QSplitter,
                               QTableView, QVBoxLayout, QWidget)

from app.calls import CallResult, send
from app.calls.history import Filter, History, HistoryRow, history_of
from ui import ask
from ui.rowsmodel import RowsTableModel
from ui.sending.result_view import ERROR_COLOR, OK_COLOR, ResultView
from ui.workers import run_in_background

PAGE = 200
COLUMNS = ("Time", "Action", "Source", "Outcome", "Status", "Duration (ms)", "URL")
SortRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


class HistoryModel(RowsTableModel):
    """History rows, newest first, fetched a page at a time (canFetchMore / fetchMore)."""

    columns = COLUMNS

    def __init__(self, history: History, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.history = history
        self.where = Filter()
        self._rows: list[HistoryRow] = []
        self._busy = False
        self._total = history.count(self.where)

    def set_filter(self, where: Filter) -> None:
        self.where = where
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = []
        self._total = self.history.count(self.where)
        # Slots of modelReset (views, the model tester) may ask for more rows while the reset is
        # still being announced; they get them once it is over.
        self._busy = True
        try:
            self.endResetModel()
        finally:
            self._busy = False

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and not self._busy and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid() or self._busy:
            return
        rows = self.history.rows(self.where, limit=PAGE, offset=len(self._rows))
        if not rows:
            self._total = len(self._rows)
            return
        # Guarded like a reset: slots of rowsAboutToBeInserted must not fetch the same page again.
        self._busy = True
        try:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        finally:
            self._busy = False

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == RowRole:
            return row
        values = (row.time[:19].replace("T", " "), row.action, row.source, row.outcome, row.status,
                  row.duration_ms, row.url)
        if role == SortRole:
            return values[column] if values[column] is not None else -1
        if role == Qt.ItemDataRole.DisplayRole:
            value = values[column]
            if column == 5:
                return f"{value:.0f}"
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            return OK_COLOR if row.outcome.startswith("http_2") else ERROR_COLOR
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.error or row.url
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (4, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def row_at(self, row: int) -> HistoryRow:
        return self._rows[row]


class _Bridge(QObject):
    """Carries the history's "rows added" (from any thread) to the GUI thread."""

    added = Signal(int)


class HistoryPanel(QWidget):
    """Browse, search, re-send and export the workspace's recorded calls."""

    resent = Signal(object)  # the CallResult of a re-send

    def __init__(self, services: Any, parent: Optional[QWidget] = None, history: Optional[History] = None) -> None:
        super().__init__(parent)
        self.services = services
        self.history = history or history_of(services)
        self.model = HistoryModel(self.history, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search action, URL, request and response…")
        self.search.setClearButtonEnabled(True)
        self.outcome = QComboBox()
        self.count = QLabel()
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(False)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
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
        self._debounce = QTimer(self, singleShot=True, interval=250, timeout=self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        self.outcome.currentIndexChanged.connect(self.apply_filter)
        self._bridge = _Bridge(self)
        self._bridge.added.connect(self._on_added)
        self._unsubscribe = self.history.subscribe(self._bridge.added.emit)
        self.destroyed.connect(self._unsubscribe)
        self._refresh_outcomes()
        self.apply_filter()

    def apply_filter(self) -> None:
        code = self.outcome.currentData()
        self.model.set_filter(Filter(outcome=code or None, text=self.search.text().strip() or None))
        if self.model.canFetchMore():
            self.model.fetchMore()
        self._update_count()

    def _refresh_outcomes(self) -> None:
        current = self.outcome.currentData()
        self.outcome.blockSignals(True)
        self.outcome.clear()
        self.outcome.addItem("All outcomes", None)
        self.outcome.addItem("Errors (not 2xx)", "error")
        for code in self.history.outcomes():
            self.outcome.addItem(code, code)
        index = self.outcome.findData(current)
        self.outcome.setCurrentIndex(max(index, 0))
        self.outcome.blockSignals(False)

    def _update_count(self) -> None:
        self.count.setText(f"{self.model._total} call{'s' if self.model._total != 1 else ''}")

    def _on_added(self, n: int) -> None:
        if not shiboken6.isValid(self):
            return
        # Coalesce: a batch adds rows every few hundred calls.
        if not hasattr(self, "_refresh_timer"):
            self._refresh_timer = QTimer(self, singleShot=True, interval=300, timeout=self._refresh)
        self._refresh_timer.start()

    def _refresh(self) -> None:
        self._refresh_outcomes()
        self.apply_filter()

    def on_sort(self, column: int) -> None:
        order = self.table.horizontalHeader().sortIndicatorOrder()
        self.proxy.sort(column, order)
        self.table.horizontalHeader().setSortIndicatorShown(True)

    def on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.selected_row()
        result = self.history.result(row.id) if row is not None else None
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
        path = ask.save_file(self, "Export history", "history.jsonl", "JSON lines (*.jsonl);;All files (*)")
        if path is None:
            return
        where = self.model.where
        run_in_background(_export, self.history, str(path), where,
                          on_done=lambda n: self.count.setText(f"exported {n} calls to {path}"),
                          on_error=lambda exc: self.details.show_message(f"Export failed: {exc}", ok=False),
                          owner=self)


def resend(services: Any, recorded: CallResult) -> CallResult:
    """Send a recorded call again with the action as it is now (same values, path and raw body)."""
    action = services.workspace.load(recorded.action)
    return send(action, recorded.values, engine=services.auth, resolver=services.resolver(),
                path_suffix=recorded.path_suffix, body=recorded.body, source="manual",
                history=history_of(services))


def _export(history: History, path: str, where: Filter) -> int:
    with open(path, "w", encoding="utf-8") as out:
        return history.export_jsonl(out, where)
