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

from typing import Any, Optional

from PySide6.QtCore import QEvent, QPersistentModelIndex, QPointF, QRect, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QHoverEvent, QPainter, QPaintEvent, QPalette, QStaticText, QTransform
from PySide6.QtWidgets import QStyle, QStyleOptionFocusRect, QStyleOptionViewItem, QTableView, QWidget

from ui.actionlist.model import ALIGNMENTS, UNSAVED_COLUMN, unsaved_font

CACHE_MAX = 20_000  # elided texts kept: a few screens of rows at a few column widths
STATICS_MAX = 2_000  # laid-out texts kept (about 2 KB each): ten screens of cells
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter  # QStyledItemDelegate's default
Column = tuple[int, int, int, bool]  # (column, x, width, right-aligned), a column shown


class _Look:
    """What one paint draws with: the style's option and states, fonts, metrics and pens."""

    def __init__(self, view: QTableView) -> None:
        style = self.style = view.style()
        option = self.option = QStyleOptionViewItem()
        view.initViewItemOption(option)  # the option Qt's own paint starts every cell from
        self.plain = option.state
        feature = QStyleOptionViewItem.ViewItemFeature
        self.features = (feature.None_, feature.Alternate if view.alternatingRowColors() else feature.None_)
        self.group = _color_group(view.isEnabled(), bool(option.state & QStyle.StateFlag.State_Active))
        self.margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
        self.fonts = (view.font(), unsaved_font().resolve(view.font()))  # as QStyledItemDelegate resolves it
        self.metrics = (QFontMetricsF(self.fonts[0]), QFontMetricsF(self.fonts[1]))
        palette = view.palette()
        self.pens = (palette.color(self.group, QPalette.ColorRole.Text),
                     palette.color(self.group, QPalette.ColorRole.HighlightedText))
        self.drawing = (-1, -1)  # (font, pen) the painter has


class ActionTable(QTableView):
    """A QTableView over the search proxy (`ActionFilterProxy.row_texts`) that paints the proxy's rows
    itself, aligned and marked as the list model's roles say (no spans or hidden rows: the list has none)."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self._elided: dict[tuple[str, int, int], str] = {}  # (text, width, bold) -> what fits
        self._advances: dict[tuple[str, int], float] = {}  # (text, bold) -> its width (right-aligned texts)
        self._statics: dict[tuple[str, int], Optional[QStaticText]] = {}  # (text, bold) -> laid out
        self._hover = QPersistentModelIndex()  # the cell under the mouse, as QAbstractItemView keeps it

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._elided.clear()
            self._advances.clear()
            self._statics.clear()
        super().changeEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        """Follows the hovered cell as QAbstractItemView does (hover events come only with a style that
        asks for them: WA_Hover)."""
        kind = event.type()
        if kind in (QEvent.Type.HoverEnter, QEvent.Type.HoverMove) and isinstance(event, QHoverEvent):
            self._hover = QPersistentModelIndex(self.indexAt(event.position().toPoint()))
        elif kind == QEvent.Type.HoverLeave:
            self._hover = QPersistentModelIndex()
        return super().viewportEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._qt_paints():
            return super().paintEvent(event)
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
            marks = self._marks(first, last, columns)
            texts = self.model().row_texts  # type: ignore[attr-defined]
            for row in range(first, last + 1):
                self._paint_row(painter, look, row, texts(row), columns, marks.get(row))
        finally:
            painter.end()

    def _qt_paints(self) -> bool:
        """What the list never shows is left to Qt's own (slower) paint: bidirectional text, grid
        lines, wrapped or unelided (clipped) text."""
        return (self.layoutDirection() == Qt.LayoutDirection.RightToLeft or self.showGrid() or self.wordWrap()
                or self.textElideMode() == Qt.TextElideMode.ElideNone)

    def _columns(self, left: int, right: int) -> list[Column]:
        """The columns shown between x = left and right, in visual order."""
        header = self.horizontalHeader()
        out = []
        for visual in range(header.count()):
            col = header.logicalIndex(visual)
            x, width = header.sectionViewportPosition(col), header.sectionSize(col)
            if header.isSectionHidden(col) or width <= 0 or x + width <= left or x > right:
                continue
            out.append((col, x, width, bool(ALIGNMENTS.get(col, LEFT) & Qt.AlignmentFlag.AlignRight)))
        return out

    def _marks(self, first: int, last: int, columns: list[Column]) -> dict[int, dict[int, Any]]:
        """Per row from first to last that has any, the states its cells add to the plain one as
        QTableView gives them: selected, under the mouse, the current cell of a focused view."""
        marks: dict[int, dict[int, Any]] = {}
        shown = [col for col, _, _, _ in columns]

        def mark(row: int, col: int, state: Any) -> None:
            cells = marks.setdefault(row, {})
            cells[col] = cells.get(col, QStyle.StateFlag.State_None) | state

        for rng in self.selectionModel().selection():
            for row in range(max(rng.top(), first), min(rng.bottom(), last) + 1):
                for col in shown:
                    if rng.left() <= col <= rng.right():
                        mark(row, col, QStyle.StateFlag.State_Selected)
        if self._hover.isValid() and first <= self._hover.row() <= last:
            mark(self._hover.row(), self._hover.column(), QStyle.StateFlag.State_MouseOver)
        current = self.currentIndex()
        if current.isValid() and first <= current.row() <= last and (self.hasFocus() or self.viewport().hasFocus()):
            mark(current.row(), current.column(), QStyle.StateFlag.State_HasFocus)
        return marks

    def _paint_row(self, painter: QPainter, look: _Look, row: int, cells: tuple[tuple[str, ...], bool],
                   columns: list[Column], marks: Optional[dict[int, Any]]) -> None:
        """One row as QTableView paints it: a plain row's background in one go, a marked row's cell by
        cell with each cell's state (a plain cell's item panel is empty: no background role here)."""
        option = look.option
        texts, unsaved = cells
        y, height = self.rowViewportPosition(row), self.rowHeight(row)
        option.features = look.features[row % 2]
        if marks is None:
            left = columns[0][1]
            option.state = look.plain
            option.rect = QRect(left, y, columns[-1][1] + columns[-1][2] - left, height)
            look.style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewRow, option, painter, self)
        for col, x, width, right in columns:
            extra = None if marks is None else marks.get(col, QStyle.StateFlag.State_None)
            self._paint_cell(painter, look, texts[col], int(unsaved and col == UNSAVED_COLUMN),
                             (x, y, width, height), right, extra)

    def _paint_cell(self, painter: QPainter, look: _Look, text: str, bold: int, cell: tuple[int, int, int, int],
                    right: bool, extra: Any) -> None:
        """A cell's text (cell: x, y, width, height), and with `extra` (the states it adds, maybe none)
        its own background first and its focus frame after, as QStyledItemDelegate does."""
        x, y, width, height = cell
        chosen = 0
        if extra is not None:
            option = look.option
            option.rect, option.state = QRect(x, y, width, height), look.plain | extra
            chosen = int(bool(extra & QStyle.StateFlag.State_Selected))
            look.style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewRow, option, painter, self)
            look.style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, self)
        metrics = look.metrics[bold]
        shown = self._elide(text, width - 2 * look.margin, bold, metrics)
        if shown:
            if (bold, chosen) != look.drawing:  # the painter's font and pen, set only when they change
                painter.setFont(look.fonts[bold])
                painter.setPen(look.pens[chosen])
                look.drawing = (bold, chosen)
            left = x + width - look.margin - self._advance(shown, bold, metrics) if right else x + look.margin
            self._draw_text(painter, look, shown, bold, left, y + (height - metrics.height()) / 2)
        if extra is not None and extra & QStyle.StateFlag.State_HasFocus:
            self._paint_focus(painter, look, bool(chosen))

    def _draw_text(self, painter: QPainter, look: _Look, text: str, bold: int, left: float, top: float) -> None:
        """A text seen before is drawn from its laid-out QStaticText (a third of drawText's time): the
        method, auth, count and date repeat on every row, a row's name on every keystroke it stays."""
        key = (text, bold)
        static = self._statics.get(key)
        if static is not None:
            painter.drawStaticText(QPointF(left, top), static)
            return
        painter.drawText(QPointF(left, top + look.metrics[bold].ascent()), text)
        if len(self._statics) >= STATICS_MAX:
            self._statics.clear()
        self._statics[key] = _static(text, look.fonts[bold]) if key in self._statics else None  # None: seen once

    def _elide(self, text: str, width: int, bold: int, metrics: QFontMetricsF) -> str:
        key = (text, width, bold)
        elided = self._elided.get(key)
        if elided is None:
            if len(self._elided) >= CACHE_MAX:
                self._elided.clear()
            elided = self._elided[key] = metrics.elidedText(text, self.textElideMode(), width)
        return elided

    def _advance(self, text: str, bold: int, metrics: QFontMetricsF) -> float:
        advance = self._advances.get((text, bold))
        if advance is None:
            if len(self._advances) >= CACHE_MAX:
                self._advances.clear()
            advance = self._advances[(text, bold)] = metrics.horizontalAdvance(text)
        return advance

    def _paint_focus(self, painter: QPainter, look: _Look, chosen: bool) -> None:
        """The current cell's focus frame (look.option holds the cell), as QCommonStyle's CE_ItemViewItem
        draws it."""
        item = look.option
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


def _static(text: str, font: QFont) -> QStaticText:
    static = QStaticText(text)
    static.setTextFormat(Qt.TextFormat.PlainText)
    static.prepare(QTransform(), font)
    return static
