"""The readiness check's latency over time, drawn with QPainter (no chart dependency).

One point per second of the run: the mean latency (a line) and the slowest call (a lighter line),
with the platform's slow-service threshold (0.75 s) as a dashed rule when it is in range.
"""
from __future__ import annotations

from typing import Any, Optional

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.check import SLOW_SERVICE_MS

MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_RIGHT = 56, 22, 10, 10


class LatencyPlot(QWidget):
    """Shows `timeline` points ({"second", "meanMs", "maxMs"}), as a check report gives them."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.points: list[dict[str, Any]] = []
        self.setMinimumSize(360, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Latency over time")

    def set_points(self, points: list[dict[str, Any]]) -> None:
        self.points = [p for p in points if p.get("calls")]
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().windowText().color()
        area = QRectF(MARGIN_LEFT, MARGIN_TOP, self.width() - MARGIN_LEFT - MARGIN_RIGHT,
                      self.height() - MARGIN_TOP - MARGIN_BOTTOM)
        painter.setPen(QPen(text, 1))
        painter.drawRect(area)
        if not self.points:
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "No calls answered yet")
            return
        top = max(max(p["maxMs"] for p in self.points), 1.0) * 1.1
        seconds = max(p["second"] for p in self.points) + 1

        def at(second: float, ms: float) -> QPointF:
            return QPointF(area.left() + area.width() * (second + 0.5) / seconds,
                           area.bottom() - area.height() * min(ms, top) / top)

        painter.drawText(QRectF(0, area.top() - 6, MARGIN_LEFT - 4, 14), Qt.AlignmentFlag.AlignRight, f"{top:.0f} ms")
        painter.drawText(QRectF(0, area.bottom() - 8, MARGIN_LEFT - 4, 14), Qt.AlignmentFlag.AlignRight, "0")
        painter.drawText(QRectF(area.left(), area.bottom() + 4, area.width(), 16), Qt.AlignmentFlag.AlignRight,
                         f"{seconds} s")
        if SLOW_SERVICE_MS < top:
            painter.setPen(QPen(QColor("#c62828"), 1, Qt.PenStyle.DashLine))
            y = at(0, SLOW_SERVICE_MS).y()
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            painter.drawText(QRectF(area.left() + 4, y - 16, 200, 14), Qt.AlignmentFlag.AlignLeft,
                             "slow service 0.75 s")
        legend_x = area.right() - 230
        for n, (key, color, label) in enumerate((("maxMs", QColor(120, 144, 156), "slowest call"),
                                                 ("meanMs", QColor("#1565c0"), "mean, per second"))):
            painter.setPen(QPen(color, 2))
            painter.drawPolyline(QPolygonF([at(p["second"], p[key]) for p in self.points]))
            y = area.top() + 12 + 16 * n
            painter.drawLine(QPointF(legend_x, y), QPointF(legend_x + 24, y))
            painter.setPen(QPen(text, 1))
            painter.drawText(QRectF(legend_x + 30, y - 8, 200, 16), Qt.AlignmentFlag.AlignLeft, label)
