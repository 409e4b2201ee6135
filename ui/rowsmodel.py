"""The base of every flat table model here: rows in `self._rows`, fixed column headers."""
from __future__ import annotations

from typing import Any, Sequence, Union

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ui.roles import DISPLAY, HORIZONTAL, TOOLTIP

Index = Union[QModelIndex, QPersistentModelIndex]


class RowsTableModel(QAbstractTableModel):
    """rowCount, columnCount, headerData and read-only flags for a table over `self._rows`.

    Subclasses set `self._rows` in __init__, name their `columns` and, optionally, a tooltip per
    column in `column_tips`; editable models override `flags`.
    """

    columns: Sequence[str] = ()
    column_tips: Sequence[str] = ()
    _rows: Sequence[Any]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != HORIZONTAL or not 0 <= section < len(self.columns):
            return None
        if role == DISPLAY:
            return self.columns[section]
        if role == TOOLTIP and section < len(self.column_tips):
            return self.column_tips[section] or None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
