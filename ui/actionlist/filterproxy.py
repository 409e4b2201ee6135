"""The action list's search: a proxy over the list model showing the rows whose name, description
or URL holds the typed text (case-insensitive).

Not a QSortFilterProxyModel: that one asks `filterAcceptsRow` row by row from C++, 10,000 calls
into Python per keystroke (29-54 ms; issue 14 wants one frame, 16 ms). Here the rows are chosen in
Python in one pass over a pre-lowered search column, only among the rows already shown when the text
grows (each keystroke narrows), a backspace takes back the rows of the text typed a moment ago, and
the view is told once (a reset; `ActionListWidget` reselects the current row). Sorting stays the
source model's.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any, Optional, Sequence

from PySide6.QtCore import QAbstractItemModel, QAbstractProxyModel, QModelIndex, QPersistentModelIndex, Qt, QTimer

Index = QModelIndex | QPersistentModelIndex
FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
RECENT = 32  # needles whose rows are kept: a word typed and backspaced
SEP = "\x00"  # between the lowered fields of the search column: a needle holding it is matched field by field


def search_text(summary: Any) -> str:
    """The search column of a row: its name, description and URL, lowered, one field each."""
    return SEP.join((summary.name.lower(), summary.description.lower(), summary.url.lower()))


def matches(summary: Any, needle: str) -> bool:
    """The search's rule (`needle` stripped and lowered): the needle is in one of the three fields."""
    return any(needle in text.lower() for text in (summary.name, summary.description, summary.url))


class ActionFilterProxy(QAbstractProxyModel):
    """Filters rows on name, description and URL as the user types; sorting is the source model's."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self._hay: Optional[list[str]] = None  # per source row: its search column (made at the first search)
        self._memo: dict[int, tuple[Any, str]] = {}  # id(summary) -> (summary, search column)
        self._rows: list[int] = []  # the source rows shown, ascending
        self._pos: list[int] = []  # per source row: its row here, or -1
        self._recent: dict[str, list[int]] = {}  # needle -> its rows, while the source stays as it is
        self._removing: Optional[tuple[int, int]] = None  # proxy rows being removed (begun)
        self._saved: list[tuple[QPersistentModelIndex, QPersistentModelIndex]] = []
        self._columns = 0

    # -- the source ----------------------------------------------------------------------------
    def setSourceModel(self, model: QAbstractItemModel) -> None:
        """Once: the proxy follows this model's signals from here on."""
        assert self.sourceModel() is None, "the action list's proxy is given its model once"
        self.beginResetModel()
        super().setSourceModel(model)
        self._columns = model.columnCount()  # fixed columns: asked thousands of times per paint
        for signal, slot in ((model.modelAboutToBeReset, self.beginResetModel), (model.modelReset, self._reset),
                             (model.layoutAboutToBeChanged, self._layout_about),
                             (model.layoutChanged, self._layout_changed), (model.dataChanged, self._data_changed),
                             (model.rowsAboutToBeRemoved, self._rows_about_removed),
                             (model.rowsRemoved, self._rows_removed), (model.rowsInserted, self._rows_inserted)):
            signal.connect(slot)
        self._rebuild()
        self.endResetModel()

    def _summaries(self) -> Sequence[Any]:
        source = self.sourceModel()
        return source.summaries() if source is not None else []  # type: ignore[attr-defined]

    def _search_column(self) -> list[str]:
        memo, fresh = self._memo, {}
        hay = []
        for s in self._summaries():
            hit = memo.get(id(s))
            if hit is None or hit[0] is not s:
                hit = (s, search_text(s))
            fresh[id(s)] = hit
            hay.append(hit[1])
        self._memo = fresh
        return hay

    def _rebuild(self) -> None:
        self._recent.clear()
        self._hay = self._search_column() if self._needle else None
        self._set_rows(self._matching(range(self._source_rows())))
        if self._hay is None:  # made when the event loop is idle, not at the first key (10,000 rows)
            QTimer.singleShot(0, self, self._prepare)  # not run once the proxy is gone

    def _prepare(self) -> None:
        if self._hay is None and self.sourceModel() is not None:
            self._hay = self._search_column()

    def _source_rows(self) -> int:
        source = self.sourceModel()
        return source.rowCount() if source is not None else 0

    def _set_rows(self, rows: list[int]) -> None:
        self._rows = rows
        pos = [-1] * self._source_rows()
        for proxy_row, source_row in enumerate(rows):
            pos[source_row] = proxy_row
        self._pos = pos

    def _matching(self, candidates: Sequence[int]) -> list[int]:
        needle = self._needle
        if not needle:
            return list(candidates)
        if self._hay is None:
            self._hay = self._search_column()
        hay = self._hay
        if SEP in needle:  # cannot match across fields: ask each field
            summaries = self._summaries()
            return [r for r in candidates if matches(summaries[r], needle)]
        return [r for r in candidates if needle in hay[r]]

    def _reset(self) -> None:
        self._rebuild()
        self.endResetModel()

    def _layout_about(self, *_: Any) -> None:
        self.layoutAboutToBeChanged.emit()
        self._saved = [(QPersistentModelIndex(self.mapToSource(p)), QPersistentModelIndex(p))
                       for p in self.persistentIndexList()]

    def _layout_changed(self, *_: Any) -> None:
        self._rebuild()
        saved, self._saved = self._saved, []
        self.changePersistentIndexList([p for _, p in saved], [self.mapFromSource(QModelIndex(s)) for s, _ in saved])
        self.layoutChanged.emit()

    def _data_changed(self, top: QModelIndex, bottom: QModelIndex, roles: Sequence[int] = ()) -> None:
        lo, hi = bisect_left(self._rows, top.row()), bisect_right(self._rows, bottom.row()) - 1
        if lo <= hi:
            self.dataChanged.emit(self.index(lo, top.column()), self.index(hi, bottom.column()), roles)

    def _rows_about_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        lo, hi = bisect_left(self._rows, first), bisect_right(self._rows, last) - 1
        self._removing = (lo, hi) if lo <= hi else None
        if self._removing:
            self.beginRemoveRows(QModelIndex(), lo, hi)

    def _rows_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        self._recent.clear()
        count = last - first + 1
        if self._hay is not None:
            del self._hay[first:last + 1]
        self._set_rows([r if r < first else r - count for r in self._rows if not first <= r <= last])
        if self._removing:
            self._removing = None
            self.endRemoveRows()

    def _rows_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        self._recent.clear()
        count = last - first + 1
        if self._hay is not None:
            self._hay[first:first] = [search_text(s) for s in self._summaries()[first:last + 1]]
        shifted = [r if r < first else r + count for r in self._rows]
        new = self._matching(range(first, last + 1))
        if not new:
            self._set_rows(shifted)
            return
        at = bisect_left(shifted, first)
        self.beginInsertRows(QModelIndex(), at, at + len(new) - 1)
        self._set_rows(shifted[:at] + new + shifted[at:])
        self.endInsertRows()

    # -- the search ----------------------------------------------------------------------------
    def set_text(self, text: str) -> bool:
        """Shows the rows holding `text`; whether the rows shown changed (else the view was told nothing)."""
        needle = text.strip().lower()
        if needle == self._needle:
            return False
        self._remember(self._needle, self._rows)
        narrowing = bool(self._needle) and self._needle in needle  # a longer needle: only shown rows can match
        self._needle = needle
        rows = self._recent.get(needle)  # a backspace goes back to a needle typed a moment ago
        if rows is None:
            rows = self._matching(self._rows if narrowing else range(self._source_rows()))
        if rows == self._rows:
            return False  # the same rows (every row holds the text so far): nothing to repaint
        self.beginResetModel()
        self._set_rows(rows)
        self.endResetModel()
        return True

    def _remember(self, needle: str, rows: list[int]) -> None:
        """Keeps a needle's rows (lists never changed in place) for the next keystrokes, the last few."""
        self._recent.pop(needle, None)
        self._recent[needle] = rows
        if len(self._recent) > RECENT:
            del self._recent[next(iter(self._recent))]

    def text(self) -> str:
        return self._needle

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    def source_row(self, proxy_row: int) -> int:
        return self._rows[proxy_row] if 0 <= proxy_row < len(self._rows) else -1

    def row_texts(self, proxy_row: int) -> tuple[tuple[str, ...], bool]:
        """The shown row's texts and dirty mark (see ActionListModel.row_texts): what the table paints."""
        return self.sourceModel().row_texts(self._rows[proxy_row])  # type: ignore[attr-defined, no-any-return]

    def proxy_row_of(self, name: str) -> int:
        source = self.sourceModel()
        row = source.row_of(name) if source is not None else -1  # type: ignore[attr-defined]
        return self._pos[row] if 0 <= row < len(self._pos) else -1

    # -- Qt model API ----------------------------------------------------------------------------
    def mapToSource(self, proxy: Index) -> QModelIndex:
        source = self.sourceModel()
        if source is None or not proxy.isValid() or not 0 <= proxy.row() < len(self._rows):
            return QModelIndex()
        return source.index(self._rows[proxy.row()], proxy.column())

    def mapFromSource(self, source: Index) -> QModelIndex:
        if not source.isValid() or not 0 <= source.row() < len(self._pos) or self._pos[source.row()] < 0:
            return QModelIndex()
        return self.index(self._pos[source.row()], source.column())

    # A paint asks a cell's roles some 2,000 times: multiData answers a cell's roles in one call and
    # data() and flags() go straight to the row (no mapToSource, no source index).
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not 0 <= row < len(self._rows):
            return None
        return self.sourceModel().cell(self._rows[row], index.column(), role)  # type: ignore[attr-defined]

    def multiData(self, index: Index, roleDataSpan: Any) -> None:  # noqa: N803 - Qt's name
        """Every role a delegate paints with, in one call per cell (Qt 6's item delegates ask so)."""
        row = index.row()
        if 0 <= row < len(self._rows):
            self.sourceModel().fill(self._rows[row], index.column(), roleDataSpan)  # type: ignore[attr-defined]
        else:
            for role_data in roleDataSpan:
                role_data.clearData()

    def flags(self, index: Index) -> Qt.ItemFlag:
        return FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if not (0 <= row < len(self._rows) and 0 <= column < self._columns) or parent.isValid():
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        return QModelIndex()

    def sibling(self, row: int, column: int, index: Index) -> QModelIndex:
        return self.index(row, column)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._columns

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and bool(self._rows) and self._columns > 0

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        source = self.sourceModel()
        if source is None:
            return None
        if orientation == Qt.Orientation.Vertical:  # the shown row's own header (hidden in the window)
            row = self.source_row(section)
            return source.headerData(row, orientation, role) if row >= 0 else None
        return source.headerData(section, orientation, role)
