"""A table whose rows arrive a page at a time, read off the UI thread as the view scrolls
(canFetchMore / fetchMore), so 100,000 rows open at once and only the pages scrolled to are held.

Subclasses say how to read the next page (`_page_job`) and, when a page's result carries more than
its rows (a count, filter choices), take that in `_take`. A reset (`_restart`) starts a new
generation: a page still in flight for the old one is dropped when it arrives.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from PySide6.QtCore import QModelIndex, QObject, Signal

from ui.rowsmodel import Index, RowsTableModel
from ui.workers import run_in_background


class PagedRowsModel(RowsTableModel):
    loaded = Signal()  # a page arrived (tests and captions wait on it)
    failed = Signal(str)

    def __init__(self, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self.total: Optional[int] = None  # None: not counted yet (nothing more is fetched meanwhile)
        self._generation = 0
        self._fetching = False

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    # -- subclasses ------------------------------------------------------------------------------
    def _page_job(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        """The worker's function and its arguments for the page after the rows held."""
        raise NotImplementedError

    def _take(self, result: Any) -> list[Any]:
        """The rows of a page's result (a subclass keeps what else it carries)."""
        return list(result)

    # -- fetching --------------------------------------------------------------------------------
    def _restart(self, total: Optional[int]) -> None:
        """Empty the table for something new to show; pages of what it showed before are dropped."""
        self._generation += 1
        self.beginResetModel()
        self._rows, self.total, self._fetching = [], total, False
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return (not parent.isValid() and not self._fetching and self.total is not None
                and len(self._rows) < self.total)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._request(*self._page_job())

    def _request(self, job: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self._fetching = True
        generation = self._generation
        run_in_background(job, *args, owner=self, on_done=lambda result: self._arrived(generation, result),
                          on_error=lambda exc: self._failed(generation, exc))

    def _arrived(self, generation: int, result: Any) -> None:
        if generation != self._generation:
            return  # a page of something since replaced
        self._fetching = False
        rows = self._take(result)
        if rows:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        elif self.total is not None and len(self._rows) < self.total:
            self.total = len(self._rows)  # the source shrank under us (it never should): stop asking
        self.loaded.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._fetching = False
            self.total = len(self._rows)
            self.failed.emit(str(exc))
