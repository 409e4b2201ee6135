"""The profiles whose path changed between two runs, as a lazy table: pages of
`RunDiff.changed_profiles` read off the UI thread (canFetchMore / fetchMore), so a comparison of
100,000 profiles opens at once and holds only the pages scrolled to."""
from __future__ import annotations

from typing import Any, Callable, Optional

from PySide6.QtCore import QObject, Qt

from app.journeys.diff import ChangedProfile, RunDiff
from ui import roles
from ui.pagedmodel import PagedRowsModel
from ui.rowsmodel import Index

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


class ChangedModel(PagedRowsModel):
    """`open(diff)`; the rows then arrive page by page as the view scrolls."""

    columns = ("Row", "Profile", "Diverges", "Path in A", "Path in B")
    column_tips = ("The profile's row in the profiles file", "", "The last node both paths went through",
                   "Its way (and outcome) in run A", "Its way (and outcome) in run B")

    def __init__(self, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.diff: Optional[RunDiff] = None
        self.total = 0

    def open(self, diff: Optional[RunDiff]) -> None:
        self.diff = diff
        self._restart(diff.changed_count if diff is not None else 0)
        self.fetchMore()

    def _page_job(self) -> tuple[Any, tuple[Any, ...]]:
        return _page, (self.diff, len(self._rows))

    def row_at(self, row: int) -> ChangedProfile:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Asked ~8 roles per cell of every row each time a page arrives (the first columns size to
        # their contents): the roles shown nothing return first, and a text is made for its column only.
        if role != roles.DISPLAY and role != roles.TOOLTIP:
            return _RIGHT if role == roles.TEXT_ALIGNMENT and index.column() == 0 else None
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        return _TEXTS[index.column()](self._rows[row])


_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_TEXTS: tuple[Callable[[ChangedProfile], str], ...] = (
    lambda c: str(c.row), lambda c: c.profile_id or "", parted_text,
    lambda c: path_text(c.path_a, c.outcome_a), lambda c: path_text(c.path_b, c.outcome_b))
