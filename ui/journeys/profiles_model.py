"""The profiles of a run as a lazy table: pages of the run's SQLite file fetched off the UI thread
(canFetchMore / fetchMore), so 100,000 rows open at once; sorted and filtered in SQL
(app.journeys.tracetable), and filterable the way the diagram's counts ask (`filter_to`)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from PySide6.QtCore import QObject, Qt

from app.journeys.tracetable import COLUMNS, ProfileFilter, ProfileRowView, TraceTable
from ui import roles
from ui.icons import error_color, ok_color
from ui.pagedmodel import PagedRowsModel
from ui.rowsmodel import Index

PAGE = 500
SeqRole = Qt.ItemDataRole.UserRole + 1


def _load(path: Path, flt: ProfileFilter, sort: str, descending: bool, offset: int,
          count: bool) -> tuple[Optional[int], list[ProfileRowView], Optional[dict[str, list[str]]]]:
    """A worker's job: (the filtered count, when asked; one page; the filter choices, with the count)."""
    with TraceTable(path) as table:
        total = table.count(flt) if count else None
        return total, table.page(flt, sort, descending, offset, PAGE), table.choices() if count else None


class ProfilesModel(PagedRowsModel):
    """A run's profile entries; `open(path)`, then rows arrive page by page as the view scrolls."""

    columns = tuple(header for _, header, _ in COLUMNS)
    column_tips = ("The profile's row in the profiles file", "", "How the profile's way ended",
                   "The node it stopped at", "The jo_status_code it ended with, if any",
                   "Wall time through the journey")

    def __init__(self, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.path: Optional[Path] = None
        self.filter = ProfileFilter()
        self.sort_key, self.descending = "seq", False
        self.choices: dict[str, list[str]] = {}
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
        self._restart(None)  # counted with the first page
        if self.path is not None:
            self._request(*self._job(count=True))

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
    def _page_job(self) -> tuple[Any, tuple[Any, ...]]:
        return self._job(count=False)

    def _job(self, count: bool) -> tuple[Any, tuple[Any, ...]]:
        assert self.path is not None
        return _load, (self.path, self.filter, self.sort_key, self.descending, len(self._rows), count)

    def _take(self, result: tuple[Optional[int], list[ProfileRowView], Any]) -> list[Any]:
        total, rows, choices = result
        if total is not None:
            self.total, self.choices = total, choices or {}
        return rows

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
            if role == roles.FOREGROUND and passed is not None:
                return ok_color() if passed else error_color()
            return shown if role == roles.DISPLAY else None
        key = COLUMNS[index.column()][0]
        value = row.value(key)
        if role == SeqRole:
            return row.seq
        if role == roles.DISPLAY:
            if value is None:
                return ""
            return f"{value:.1f}" if key == "wallMs" else str(value)
        if role == roles.TEXT_ALIGNMENT and key in ("row", "wallMs"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
