"""The action list as a table model over workspace summaries (no widget per row).

Sorting happens in the source model with Python's list.sort on precomputed keys (10,000 rows sort
in milliseconds, where a proxy calling back into Python per comparison takes far longer); the
proxy (filterproxy.py) only filters. Each row's sort key is also offered through SortRole for any other consumer.
"""
from __future__ import annotations

import bisect
from datetime import datetime
from typing import Any, Callable, Iterable, Optional

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from ui.actionlist.filterproxy import ActionFilterProxy
from ui.rowsmodel import RowsTableModel

__all__ = ["ActionFilterProxy", "ActionListModel"]  # the proxy lives in filterproxy.py

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("Name", "Description", "Used in", "Method", "Auth", "Last modified")
NAME, DESCRIPTION, USED, METHOD, AUTH, MODIFIED = range(6)
SortRole = Qt.ItemDataRole.UserRole + 1
SummaryRole = Qt.ItemDataRole.UserRole + 2  # the backing ActionSummary
NameRole = Qt.ItemDataRole.UserRole + 3
DirtyRole = Qt.ItemDataRole.UserRole + 4

BULK = 200  # more row changes than this at once: one reset instead of one insert/remove each
UNSAVED_COLUMN = NAME  # the column an action with unsaved changes shows in unsaved_font()
ALIGNMENTS = {USED: int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)}  # else the view's default
AUTH_LABELS = {"none": "none", "basic": "basic", "apiKey": "API key", "customAuthorization": "custom"}


def unsaved_font() -> QFont:
    """Bold italic, over the view's own font (the FontRole of an unsaved action's name)."""
    font = QFont()
    font.setItalic(True)
    font.setBold(True)
    return font


def modified_text(iso: str) -> str:
    """'2026-11-23 12:00' in local time, from the summary's ISO timestamp."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


class ActionListModel(RowsTableModel):
    """One row per action summary (name, description, method, auth, modified, url)."""

    columns = COLUMNS
    column_tips = ("", "", "How many journeys call the action")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._used: dict[str, list[str]] = {}
        self._dirty: set[str] = set()
        self._row_of: dict[str, int] = {}
        self._lowered: Optional[set[str]] = None  # the names lowered, made on first ask after a change
        self._sort_column, self._sort_order = NAME, Qt.SortOrder.AscendingOrder
        self._modified_cache: dict[str, str] = {}
        self.revision = 0  # bumped by every change of rows (a read of the disk older than it is stale)

    # -- loading -----------------------------------------------------------------------------
    def set_summaries(self, summaries: Iterable[Any], used_in: Optional[dict[str, list[str]]] = None) -> None:
        self.revision += 1
        self.beginResetModel()
        self._rows = list(summaries)
        self._used = dict(used_in or {})
        self._dirty &= {s.name for s in self._rows}
        self._sort_rows()
        self.endResetModel()

    def set_used_in(self, used_in: dict[str, list[str]]) -> None:
        if used_in == self._used:
            return
        self._used = dict(used_in)
        if self._rows:
            self.dataChanged.emit(self.index(0, USED), self.index(len(self._rows) - 1, USED))

    def rename_used(self, old: str, new: str) -> None:
        """Keep the journeys count on a renamed row (the store renamed the action in its journeys too)."""
        if old in self._used:
            self._used[new] = self._used.pop(old)

    def used_in(self, name: str) -> list[str]:
        return list(self._used.get(name, []))

    # -- queries -----------------------------------------------------------------------------
    def summary(self, row: int) -> Any:
        return self._rows[row]

    def summaries(self) -> list[Any]:
        return list(self._rows)

    def names(self) -> list[str]:
        return [s.name for s in self._rows]

    def row_of(self, name: str) -> int:
        """The row of an action, or -1."""
        return self._row_of.get(name, -1)

    def is_dirty(self, name: str) -> bool:
        return name in self._dirty

    # -- edits -------------------------------------------------------------------------------
    def upsert(self, summary: Any, old_name: Optional[str] = None) -> int:
        """Add or replace a row (a rename replaces old_name's row); returns the new row."""
        self.revision += 1
        for name in {old_name, summary.name} - {None}:
            row = self.row_of(name)  # type: ignore[arg-type]
            if row >= 0:
                self._remove_row(row)
        if old_name and old_name in self._dirty:
            self._dirty.discard(old_name)
        keys = [self._key(s) for s in self._rows]
        key = self._key(summary)
        row = (bisect.bisect_right(keys, key) if self._sort_order == Qt.SortOrder.AscendingOrder
               else len(keys) - bisect.bisect_left(keys[::-1], key))
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, summary)
        self._reindex()
        self.endInsertRows()
        return row

    def remove(self, name: str) -> None:
        self.revision += 1
        row = self.row_of(name)
        if row >= 0:
            self._remove_row(row)
        self._dirty.discard(name)

    def _remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self._reindex()
        self.endRemoveRows()

    def sync(self, summaries: list[Any], keep: Iterable[str] = ()) -> tuple[list[str], list[str], list[str]]:
        """Make the rows what the workspace holds (read from disk); rows named in `keep` stay (a draft,
        an action with unsaved edits). Returns the (added, removed, changed) names."""
        fresh = {s.name: s for s in summaries}
        kept = set(keep)
        removed = [n for n in self._row_of if n not in fresh and n not in kept]
        added = [n for n in fresh if n not in self._row_of]
        changed = [n for n, s in fresh.items() if n in self._row_of and self._rows[self._row_of[n]] != s]
        if len(added) + len(removed) + len(changed) > BULK:
            rows = list(fresh.values()) + [s for s in self._rows if s.name in kept and s.name not in fresh]
            self.set_summaries(rows, self._used)
            return added, removed, changed
        for name in removed:
            self.remove(name)
        for name in added + changed:
            self.upsert(fresh[name])
        return added, removed, changed

    def set_dirty(self, name: str, dirty: bool) -> None:
        if dirty == (name in self._dirty):
            return
        (self._dirty.add if dirty else self._dirty.discard)(name)
        row = self.row_of(name)
        if row >= 0:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # -- sorting -----------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old = {id(s): r for r, s in enumerate(self._rows)}
        persistent = self.persistentIndexList()
        self._sort_column, self._sort_order = column, order
        self._sort_rows()
        new = {id(s): r for r, s in enumerate(self._rows)}
        moved_to = {old[k]: new[k] for k in old}
        self.changePersistentIndexList(
            persistent, [self.index(moved_to[p.row()], p.column()) for p in persistent])
        self.layoutChanged.emit()

    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        return self._sort_column, self._sort_order

    def _key(self, s: Any) -> Any:
        return (self.sort_key(s, self._sort_column), s.name.lower())

    def _sort_rows(self) -> None:
        self._rows.sort(key=self._key, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        self._reindex()

    def _reindex(self) -> None:
        self._row_of = {s.name: r for r, s in enumerate(self._rows)}
        self._lowered = None

    def has_name(self, name: str) -> bool:
        """Whether a row has this name, case-insensitively (file systems may fold case): in memory, so a
        check per keystroke costs a set lookup, not a read of the actions folder."""
        if self._lowered is None:
            self._lowered = {n.lower() for n in self._row_of}
        return name.lower() in self._lowered

    def sort_key(self, s: Any, column: int) -> Any:
        if column == NAME:
            return s.name.lower()
        if column == DESCRIPTION:
            return s.description.lower()
        if column == USED:
            return len(self._used.get(s.name, ()))
        if column == METHOD:
            return s.method
        if column == AUTH:
            return AUTH_LABELS.get(s.auth, s.auth)
        return s.modified

    # -- Qt model API ------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, row: int, col: int, role: int) -> Any:
        """What data() answers for a row in range (the search proxy asks it directly while painting)."""
        handler: Optional[Callable[[Any, int], Any]] = _ROLES.get(role)
        return handler(self, self._rows[row], col) if handler else None

    def fill(self, row: int, col: int, span: Any) -> None:
        """multiData for a row in range: every role of the span (a QModelRoleDataSpan) at once."""
        s = self._rows[row]
        for role_data in span:
            handler = _ROLES.get(role_data.role())
            value = handler(self, s, col) if handler else None
            if value is None:
                role_data.clearData()
            else:
                role_data.setData(value)

    def row_texts(self, row: int) -> tuple[tuple[str, ...], bool]:
        """A row's shown texts, column by column, and whether it has unsaved changes (what the table paints)."""
        s = self._rows[row]
        return self._texts(s), s.name in self._dirty

    def _texts(self, s: Any) -> tuple[str, ...]:
        modified = self._modified_cache.get(s.modified)
        if modified is None:
            modified = self._modified_cache[s.modified] = modified_text(s.modified)
        return (s.name, s.description, str(len(self._used.get(s.name, ()))), s.method,
                AUTH_LABELS.get(s.auth, s.auth), modified)

    def _display(self, s: Any, col: int) -> Any:
        return self._texts(s)[col]

    def _font(self, s: Any, col: int) -> Any:
        return unsaved_font() if s.name in self._dirty and col == UNSAVED_COLUMN else None

    def _tooltip(self, s: Any, col: int) -> Any:
        if col == USED:
            journeys = self._used.get(s.name, [])
            return "Used in: " + ", ".join(journeys) if journeys else "Not used in any journey"
        tip = f"{s.name} — {s.method} {s.url}"
        if s.description:
            tip += f"\n{s.description}"
        if s.name in self._dirty:
            tip += "\n(unsaved changes)"
        return tip

    def _alignment(self, s: Any, col: int) -> Any:
        return ALIGNMENTS.get(col)


_ROLES: dict[int, Callable[[ActionListModel, Any, int], Any]] = {
    Qt.ItemDataRole.DisplayRole: ActionListModel._display,
    Qt.ItemDataRole.FontRole: ActionListModel._font,
    Qt.ItemDataRole.ToolTipRole: ActionListModel._tooltip,
    Qt.ItemDataRole.AccessibleTextRole: lambda m, s, c: m._display(s, c),
    Qt.ItemDataRole.TextAlignmentRole: ActionListModel._alignment,
    SortRole: lambda m, s, c: m.sort_key(s, c),
    SummaryRole: lambda m, s, c: s,
    NameRole: lambda m, s, c: s.name,
    DirtyRole: lambda m, s, c: s.name in m._dirty,
}
