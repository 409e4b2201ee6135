"""The action table: Qt's table view for everything but painting its cells, which it paints itself.

Qt's own paint asks the model, per visible cell, for its index, flags, parent and roles: some 1,100
calls from C++ into Python per frame, 14 ms of the 16 ms a keystroke in the search may take with
10,000 actions (issue 14). Here one Python call per paint reads each visible row's texts at once and
draws them through the style's primitives as QTableView and QStyledItemDelegate do (alternating
rows, selection, the current cell's focus frame, elided text, the bold italic of an unsaved action):
the same pixels (tests/ui/test_actionlist_table.py), in about a quarter of the time. Selection,
keyboard, sorting, tooltips and accessibility stay Qt's, through the model.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QEvent, QPointF, QRect, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QStyle, QStyleOptionFocusRect, QStyleOptionViewItem, QTableView, QWidget

CACHE_MAX = 20_000  # elided texts kept: a few screens of rows at a few column widths
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter  # QStyledItemDelegate's default
Column = tuple[int, int, int, bool]  # (column, x, width, right-aligned), a column shown


class _Look:
    """What one paint draws with: the style's option and states, fonts, metrics and pens."""

    def __init__(self, view: QTableView) -> None:
        style = self.style = view.style()
        option = self.option = QStyleOptionViewItem()
        option.initFrom(view)
        if not view.hasFocus():  # QAbstractItemView.initViewItemOption: inactive colours without focus
            option.state &= ~QStyle.StateFlag.State_Active
        option.showDecorationSelected = bool(
            style.styleHint(QStyle.StyleHint.SH_ItemView_ShowDecorationSelected, option, view))
        self.plain = option.state
        self.chosen = option.state | QStyle.StateFlag.State_Selected
        feature = QStyleOptionViewItem.ViewItemFeature
        self.features = (feature.None_, feature.Alternate if view.alternatingRowColors() else feature.None_)
        self.group = _color_group(view.isEnabled(), bool(option.state & QStyle.StateFlag.State_Active))
        self.margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
        self.fonts = (view.font(), _dirty_font(view.font()))
        self.metrics = (QFontMetricsF(self.fonts[0]), QFontMetricsF(self.fonts[1]))
        palette = view.palette()
        self.pens = (palette.color(self.group, QPalette.ColorRole.Text),
                     palette.color(self.group, QPalette.ColorRole.HighlightedText))


class ActionTable(QTableView):
    """A QTableView over the search proxy (`ActionFilterProxy`: row_texts, column_alignment) that
    paints the proxy's rows itself; no grid (the list shows none)."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self._elided: dict[tuple[str, int, int], tuple[str, float]] = {}  # (text, width, bold) -> (shown, advance)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._elided.clear()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            return super().paintEvent(event)  # bidirectional text and elision: Qt's own (slower) paint
        area = event.rect()
        first, last = self.rowAt(area.top()), self.rowAt(area.bottom())
        columns = self._columns(area.left(), area.right())
        if first < 0 or not columns:
            return  # no row here: the viewport's own background is all there is
        if last < 0:
            last = self.model().rowCount() - 1
        painter = QPainter(self.viewport())
        try:
            look = _Look(self)
            painter.setFont(look.fonts[0])
            painter.setPen(look.pens[0])
            selected = self._selected(first, last)
            current = self.currentIndex()
            focus = (current.row(), current.column()) if current.isValid() and self.hasFocus() else None
            texts = self.model().row_texts  # type: ignore[attr-defined]
            for row in range(first, last + 1):
                self._paint_row(painter, look, row, texts(row), columns, selected.get(row),
                                focus[1] if focus and focus[0] == row else -1)
        finally:
            painter.end()

    def _columns(self, left: int, right: int) -> list[Column]:
        """The columns shown between x = left and right, in visual order."""
        header, model = self.horizontalHeader(), self.model()
        out = []
        for visual in range(header.count()):
            col = header.logicalIndex(visual)
            x, width = header.sectionViewportPosition(col), header.sectionSize(col)
            if header.isSectionHidden(col) or width <= 0 or x + width <= left or x > right:
                continue
            align = model.column_alignment(col) or LEFT  # type: ignore[attr-defined]
            out.append((col, x, width, bool(align & Qt.AlignmentFlag.AlignRight)))
        return out

    def _selected(self, first: int, last: int) -> dict[int, list[tuple[int, int]]]:
        """Per row from first to last that has selected cells, their column spans (left, right)."""
        spans: dict[int, list[tuple[int, int]]] = {}
        for rng in self.selectionModel().selection():
            for row in range(max(rng.top(), first), min(rng.bottom(), last) + 1):
                spans.setdefault(row, []).append((rng.left(), rng.right()))
        return spans

    def _paint_row(self, painter: QPainter, look: _Look, row: int, cells: tuple[tuple[str, ...], bool],
                   columns: list[Column], spans: Optional[list[tuple[int, int]]], focus_column: int) -> None:
        """One row, cell by cell as QTableView would (its background in one go when nothing in it is
        selected); `focus_column`: the current cell's column when the view has focus, else -1."""
        option, style = look.option, look.style
        texts, dirty = cells
        y, height = self.rowViewportPosition(row), self.rowHeight(row)
        option.features = look.features[row % 2]
        if not spans:
            left = columns[0][1]
            option.state = look.plain
            option.rect = QRect(left, y, columns[-1][1] + columns[-1][2] - left, height)
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewRow, option, painter, self)
        for col, x, width, right in columns:
            chosen = 0
            if spans:  # per cell, as Qt does: a selection may cover part of the row
                chosen = int(any(lo <= col <= hi for lo, hi in spans))
                option.rect, option.state = QRect(x, y, width, height), look.chosen if chosen else look.plain
                style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewRow, option, painter, self)
                style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, self)
            bold = int(dirty and col == 0)  # the name of an action with unsaved changes
            text, advance = self._elide(texts[col], width - 2 * look.margin, bold, look.metrics[bold])
            if text:
                painter.setFont(look.fonts[bold])
                painter.setPen(look.pens[chosen])
                metrics = look.metrics[bold]
                baseline = y + (height - metrics.height()) / 2 + metrics.ascent()
                painter.drawText(QPointF(x + width - look.margin - advance if right else x + look.margin, baseline),
                                 text)
            if col == focus_column:
                self._paint_focus(painter, look, QRect(x, y, width, height), bool(chosen))

    def _elide(self, text: str, width: int, bold: int, metrics: QFontMetricsF) -> tuple[str, float]:
        key = (text, width, bold)
        hit = self._elided.get(key)
        if hit is None:
            if len(self._elided) >= CACHE_MAX:
                self._elided.clear()
            elided = metrics.elidedText(text, self.textElideMode(), width)
            hit = self._elided[key] = (elided, metrics.horizontalAdvance(elided))
        return hit

    def _paint_focus(self, painter: QPainter, look: _Look, cell: QRect, chosen: bool) -> None:
        """The current cell's focus frame, as QCommonStyle's CE_ItemViewItem draws it."""
        item = look.option
        item.rect, item.state = cell, (look.chosen if chosen else look.plain) | QStyle.StateFlag.State_HasFocus
        frame = QStyleOptionFocusRect()
        frame.initFrom(self)
        frame.rect = look.style.subElementRect(QStyle.SubElement.SE_ItemViewItemFocusRect, item, self)
        frame.state = item.state | QStyle.StateFlag.State_KeyboardFocusChange | QStyle.StateFlag.State_Item
        frame.backgroundColor = self.palette().color(
            look.group, QPalette.ColorRole.Highlight if chosen else QPalette.ColorRole.Window)
        look.style.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, frame, painter, self)


def _color_group(enabled: bool, active: bool) -> QPalette.ColorGroup:
    if not enabled:
        return QPalette.ColorGroup.Disabled
    return QPalette.ColorGroup.Active if active else QPalette.ColorGroup.Inactive


def _dirty_font(font: QFont) -> QFont:
    """The view's font as the model's FontRole makes it for an unsaved action (bold italic)."""
    dirty = QFont(font)
    dirty.setBold(True)
    dirty.setItalic(True)
    return dirty

