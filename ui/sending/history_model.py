"""The history table's model: recorded calls, newest first, a page at a time, read off the UI thread.

Every query (the count and first page of a filter, each next page) runs on the worker pool and its
rows come back by signal; a result for a filter that has changed since is dropped. Pages are read by
key (the rows older than the last one shown), so rows recorded meanwhile shift nothing.
"""
from __future__ import annotations

from functools import partial
from typing import Any, Optional

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from app.calls.history import Filter, History, HistoryRow
from ui.rowsmodel import RowsTableModel
from ui.sending.result_view import ERROR_COLOR, OK_COLOR
from ui.workers import run_in_background

PAGE = 200
COLUMNS = ("Time", "Action", "Source", "Outcome", "Status", "Duration (ms)", "URL")
SortRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


class HistoryModel(RowsTableModel):
    """History rows of the current filter; `loaded` after each answer, `failed(message)` on an error."""

    columns = COLUMNS
    loaded = Signal()
    failed = Signal(str)

    def __init__(self, history: Optional[History] = None, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.history = history
        self.where = Filter()
        self.total: Optional[int] = None  # calls matching the filter; None until counted
        self._rows: list[HistoryRow] = []
        self._asked = 0  # which filter the answers in flight belong to
        self._fetching = False

    def set_history(self, history: History) -> None:
        self.history = history
        self.reload()

    def set_filter(self, where: Filter) -> None:
        self.where = where
        self.reload()

    def reload(self) -> None:
        """Forget the rows; count and read the first page of the filter again."""
        self.beginResetModel()
        self._rows, self.total = [], None
        self._asked += 1
        self._fetching = False
        self.endResetModel()
        if self.history is not None:
            self._fetching = True
            run_in_background(_first_page, self.history, self.where, on_done=partial(self._on_first, self._asked),
                              on_error=partial(self._on_error, self._asked), owner=self)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return (not parent.isValid() and not self._fetching and self.total is not None
                and len(self._rows) < self.total)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent) or self.history is None:
            return
        self._fetching = True
        run_in_background(self.history.rows, self.where, PAGE, self._rows[-1].id if self._rows else None,
                          on_done=partial(self._on_page, self._asked), on_error=partial(self._on_error, self._asked),
                          owner=self)

    def busy(self) -> bool:
        """Whether an answer is still awaited."""
        return self._fetching

    def _on_first(self, asked: int, found: tuple[int, list[HistoryRow]]) -> None:
        if asked == self._asked:
            self.total = found[0]
            self._on_page(asked, found[1])

    def _on_page(self, asked: int, rows: list[HistoryRow]) -> None:
        if asked != self._asked:
            return
        if not rows:
            self.total = len(self._rows)  # rows were pruned since the count
        else:
            # Still fetching while the rows go in: slots of rowsInserted (views) may ask for more.
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self._fetching = False
        self.loaded.emit()

    def _on_error(self, asked: int, exc: BaseException) -> None:
        if asked == self._asked:
            self._fetching = False
            self.failed.emit(f"the history could not be read: {exc}")

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


def _first_page(history: History, where: Filter) -> tuple[int, list[HistoryRow]]:
    """The count of a filter and its newest page (on a worker)."""
    return history.count(where), history.rows(where, limit=PAGE)
