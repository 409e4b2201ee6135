"""The profiles whose path changed between two runs, as a lazy table: pages of
`RunDiff.changed_profiles` read off the UI thread (canFetchMore / fetchMore), so a comparison of
100,000 profiles opens at once and holds only the pages scrolled to."""
from __future__ import annotations

from typing import Any, Optional

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal

from app.journeys.diff import ChangedProfile, RunDiff
from ui.rowsmodel import Index, RowsTableModel
from ui.workers import run_in_background

PAGE = 200


def _page(diff: RunDiff, offset: int) -> list[ChangedProfile]:
    """A worker's job: one page of changed profiles (each call opens its own read-only connection)."""
    return list(diff.changed_profiles(offset, PAGE))


def path_text(path: tuple[str, ...], outcome: Optional[str]) -> str:
    """A profile's way as the table shows it: node ids joined by `>`, its outcome after it."""
    if outcome is None:
        return "(not in this run)"
    return ">".join(path) + f" [{outcome}]"


def parted_text(changed: ChangedProfile) -> str:
    """Where the paths part, in words."""
    if changed.diverges_at is not None:
        return f"after {changed.diverges_at}"
    if changed.outcome_a is None or changed.outcome_b is None:
        return "only in one run"
    return "same path" if changed.path_a == changed.path_b else "from the start"


class ChangedModel(RowsTableModel):
    """`open(diff)`; the rows then arrive page by page as the view scrolls."""

    columns = ("Row", "Profile", "Diverges", "Path in A", "Path in B")
    column_tips = ("The profile's row in the profiles file", "", "The last node both paths went through",
                   "Its way (and outcome) in run A", "Its way (and outcome) in run B")
    loaded = Signal()  # a page arrived (tests and the caption wait on it)
    failed = Signal(str)

    def __init__(self, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._rows: list[ChangedProfile] = []
        self.diff: Optional[RunDiff] = None
        self.total = 0
        self._generation = 0
        self._fetching = False

    def open(self, diff: Optional[RunDiff]) -> None:
        self._generation += 1
        self.beginResetModel()
        self.diff, self._rows, self._fetching = diff, [], False
        self.total = diff.changed_count if diff is not None else 0
        self.endResetModel()
        if self.canFetchMore():
            self.fetchMore()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and not self._fetching and self.diff is not None and len(self._rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        assert self.diff is not None
        self._fetching = True
        generation = self._generation
        run_in_background(_page, self.diff, len(self._rows), owner=self,
                          on_done=lambda rows: self._arrived(generation, rows),
                          on_error=lambda exc: self._failed(generation, exc))

    def _arrived(self, generation: int, rows: list[ChangedProfile]) -> None:
        if generation != self._generation:
            return  # a page of a comparison since replaced
        self._fetching = False
        if not rows:
            self.total = len(self._rows)  # the runs changed under us (they never should): stop asking
        else:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.loaded.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._fetching = False
            self.total = len(self._rows)
            self.failed.emit(str(exc))

    def row_at(self, row: int) -> ChangedProfile:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        changed, column = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (str(changed.row), changed.profile_id or "", parted_text(changed),
                    path_text(changed.path_a, changed.outcome_a), path_text(changed.path_b, changed.outcome_b))[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
