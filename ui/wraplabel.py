"""Labels that lay their text out once per width and text, not at every ask; and a one-line label
that gives up width (ElidedLabel).

A layout asks a wrapped label its height for a width at each pass of each layout above it (and a
QStackedLayout asks its hidden pages too), and QLabel lays the whole text out again at every ask:
as a window opens and shows its first action, the pane's four wrapped labels were asked ~180
times, ~5 ms of the open's ~60 ms of CPU (measured with a counting override on 40 opens). A height
is kept per width and text; whatever else changes the answer (font, style, margins, indent,
format, alignment, wrap) forgets them all.
"""
from __future__ import annotations

from typing import Any, Optional

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QWidget

KEPT = 16  # heights kept; a label is asked for a few widths between two text changes


class KeptHeightLabel(QLabel):
    """A QLabel whose heights for a width are remembered. Also for a label that does not wrap: a
    QStackedLayout asks each of its pages, shown or not (the Journeys page's hint: ~90 times an open)."""

    def __init__(self, text: str = "", parent: Optional[QWidget] = None) -> None:
        super().__init__(text, parent)
        self._heights: dict[tuple[int, str], int] = {}

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        key = (width, self.text())
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) >= KEPT:
                self._heights.clear()
            height = self._heights[key] = super().heightForWidth(width)
        return height

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        self._heights = {}  # a font, style, palette or direction changed: the text may measure differently
        super().changeEvent(event)

    # What changes the layout of the same text, set from Python (the only caller of these here).
    def setWordWrap(self, on: bool) -> None:  # noqa: N802
        self._forget(super().setWordWrap, on)

    def setMargin(self, margin: int) -> None:  # noqa: N802
        self._forget(super().setMargin, margin)

    def setIndent(self, indent: int) -> None:  # noqa: N802
        self._forget(super().setIndent, indent)

    def setTextFormat(self, fmt: Any) -> None:  # noqa: N802
        self._forget(super().setTextFormat, fmt)

    def setAlignment(self, alignment: Any) -> None:  # noqa: N802
        self._forget(super().setAlignment, alignment)

    def setContentsMargins(self, *margins: Any) -> None:  # noqa: N802
        self._forget(super().setContentsMargins, *margins)

    def setFont(self, font: Any) -> None:  # noqa: N802
        self._forget(super().setFont, font)

    def _forget(self, setter: Any, *args: Any) -> None:
        self._heights.clear()
        setter(*args)


class WrapLabel(KeptHeightLabel):
    """A word-wrapped label (the pane's rule, resolved URL and lock lines)."""

    def __init__(self, text: str = "", parent: Optional[QWidget] = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)


class ElidedLabel(QLabel):
    """One line of plain text, as wide as it asks when there is room, ending in "…" when there is
    not: its line no longer sets the least width of what holds it (the payload's counts made the
    pane ~470 px at least, and a narrower pane scrolled sideways, laid out twice more at each show).

    The least size is the same for every text (two "…" wide, one line high): a new text never
    changes what the label's holders may shrink to (the pane's title moved the window's divider
    at each action switch, and relaid out and repainted the whole window)."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        metrics = self.fontMetrics()
        margins = self.contentsMargins()
        extra = 2 * self.margin()
        return QSize(metrics.horizontalAdvance("…") * 2 + margins.left() + margins.right() + extra,
                     metrics.height() + margins.top() + margins.bottom() + extra)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter = QPainter(self)
        self.style().drawItemText(painter, rect, int(self.alignment()), self.palette(), self.isEnabled(), text,
                                  self.foregroundRole())
