"""The profiles of a run as a lazy table: pages of the run's SQLite file fetched off the UI thread
(canFetchMore / fetchMore), so 100,000 rows open at once; sorted and filtered in SQL
(app.journeys.tracetable), and filterable the way the diagram's counts ask (`filter_to`)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal

from app.journeys.tracetable import COLUMNS, ProfileFilter, ProfileRowView, TraceTable
from ui.icons import error_color, ok_color
from ui.rowsmodel import Index, RowsTableModel
from ui.workers import run_in_background

PAGE = 500
SeqRole = Qt.ItemDataRole.UserRole + 1


def _load(path: Path, flt: ProfileFilter, sort: str, descending: bool, offset: int,
          count: bool) -> tuple[Optional[int], list[ProfileRowView], Optional[dict[str, list[str]]]]:
    """A worker's job: (the filtered count, when asked; one page; the filter choices, with the count)."""
    with TraceTable(path) as table:
        total = table.count(flt) if count else None
        return total, table.page(flt, sort, descending, offset, PAGE), table.choices() if count else None


class ProfilesModel(RowsTableModel):
    """A run's profile entries; `open(path)`, then rows arrive page by page as the view scrolls."""

    columns = tuple(header for _, header, _ in COLUMNS)
    column_tips = ("The profile's row in the profiles file", "", "How the profile's way ended",
                   "The node it stopped at", "The jo_status_code it ended with, if any",
                   "Wall time through the journey")
    loaded = Signal()  # a count or a page arrived (tests and the caption wait on it)
    failed = Signal(str)

    def __init__(self, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._rows: list[ProfileRowView] = []
        self.path: Optional[Path] = None
        self.filter = ProfileFilter()
        self.sort_key, self.descending = "seq", False
        self.total: Optional[int] = None
        self.choices: dict[str, list[str]] = {}
        self._generation = 0
        self._fetching = False
        self.verdicts: dict[int, bool] = {}  # input row -> its expectations held (ui.journeys.expectbar)

    # -- what is shown -------------------------------------------------------------------------
    def open(self, path: Optional[Path]) -> None:
        self.path = Path(path) if path is not None else None
        self.filter = ProfileFilter()
        self.reload()

    def set_filter(self, flt: ProfileFilter) -> None:
        self.filter = flt
        self.reload()

    def filter_to(self, kind: str, key: Any) -> None:
        """What a click on the diagram asks: ("node", id), ("edge", (node, port)), ("status",
        (node, code)), ("outcome", o), ("lastNode", id), ("profileId", text); ("all", None) clears."""
        self.set_filter(ProfileFilter() if kind == "all" else ProfileFilter().with_kind(kind, key))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(COLUMNS):
            self.sort_key, self.descending = COLUMNS[column][0], order == Qt.SortOrder.DescendingOrder
            self.reload()

    def reload(self) -> None:
        """Empty the table, then count and fetch the first page off the UI thread."""
        self._generation += 1
        self.beginResetModel()
        self._rows, self.total = [], None
        self.endResetModel()
        if self.path is not None:
            self._fetch(count=True)

    def set_verdicts(self, verdicts: dict[int, bool]) -> None:
        """Per-profile expectations: an "Expected" column (pass / fail) while there are any."""
        columns = ProfilesModel.columns + (("Expected",) if verdicts else ())
        if tuple(self.columns) == columns:  # the column stays: its cells change, the selection stays
            self.verdicts = verdicts
            if verdicts and self._rows:
                self.dataChanged.emit(self.index(0, len(COLUMNS)), self.index(len(self._rows) - 1, len(COLUMNS)))
            return
        self.beginResetModel()
        self.verdicts, self.columns = verdicts, columns
        self.endResetModel()

    # -- incremental fetching ------------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return (not parent.isValid() and not self._fetching and self.total is not None
                and len(self._rows) < self.total)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._fetch(count=False)

    def _fetch(self, count: bool) -> None:
        assert self.path is not None
        self._fetching = True
        generation = self._generation
        run_in_background(_load, self.path, self.filter, self.sort_key, self.descending, len(self._rows), count,
                          on_done=lambda result: self._arrived(generation, result),
                          on_error=lambda exc: self._failed(generation, exc), owner=self)

    def _arrived(self, generation: int, result: tuple[Optional[int], list[ProfileRowView], Any]) -> None:
        if generation != self._generation:
            return  # a page of a filter or sort since replaced
        self._fetching = False
        total, rows, choices = result
        if total is not None:
            self.total, self.choices = total, choices or {}
        if rows:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        elif self.total is not None and len(self._rows) < self.total:
            self.total = len(self._rows)  # the file shrank under us (it never should): stop asking
        self.loaded.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._fetching = False
            self.total = len(self._rows)
            self.failed.emit(str(exc))

    # -- cells ---------------------------------------------------------------------------------
    def row_at(self, row: int) -> ProfileRowView:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if index.column() >= len(COLUMNS):  # the verdict column
            passed = self.verdicts.get(row.row)
            shown = "" if passed is None else ("pass" if passed else "fail")
            if role == Qt.ItemDataRole.ForegroundRole and passed is not None:
                return ok_color() if passed else error_color()
            return shown if role == Qt.ItemDataRole.DisplayRole else None
        key = COLUMNS[index.column()][0]
        value = row.value(key)
        if role == SeqRole:
            return row.seq
        if role == Qt.ItemDataRole.DisplayRole:
            if value is None:
                return ""
            return f"{value:.1f}" if key == "wallMs" else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("row", "wallMs"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
