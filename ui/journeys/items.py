"""The diagram's graphics items: a node box (glyph, title, counts, problem marker), an edge (polyline,
arrow, label with its count) and a clickable count. Colours come from the scene's palette at paint
time (light and dark schemes), meaning colours from ui.icons; a click reports (kind, key).
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsSimpleTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from app.journeys.counts import NodeCounts
from app.journeys.findings import Finding
from app.journeys.layout import Place, Route
from app.journeys.model import ActionNode, NodeBase
from ui.icons import error_color, icon, ok_color, warning_color

Click = Callable[[str, Any], None]
GLYPHS = {"event": "event", "action": "send", "condition": "condition", "wait": "wait", "split": "split",
          "cap": "cap", "end": "end"}
HEADER, LINE = 50.0, 17.0
COUNT_LINES = {"event": 1, "end": 1, "action": 4}  # other types: 2


def node_size(node: NodeBase) -> tuple[float, float]:
    """The box of a node, room for its counts included (the layout needs it before any run)."""
    return (220.0, HEADER + LINE * COUNT_LINES.get(node.type, 2) + 8)


def _palette(item: QGraphicsItem) -> QPalette:
    return item.scene().palette() if item.scene() is not None else QPalette()


def _dimmed(color: QColor) -> QColor:
    out = QColor(color)
    out.setAlphaF(0.35)
    return out


class CountLink(QGraphicsSimpleTextItem):
    """A count that filters the profile table when clicked (a status code, an edge's count)."""

    def __init__(self, parent: QGraphicsItem, kind: str, key: Any, on_click: Click, meaning: str = "") -> None:
        super().__init__(parent)
        self.kind, self.key, self._on_click, self.meaning = kind, key, on_click, meaning
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: Optional[QWidget] = None) -> None:
        # A backing of the base colour keeps the text readable over a thick edge.
        painter.fillRect(self.boundingRect().adjusted(-2, 0, 2, 0), _palette(self).color(QPalette.ColorRole.Base))
        super().paint(painter, option, widget)

    def refresh_colour(self) -> None:
        color = {"ok": ok_color, "error": error_color, "warning": warning_color}.get(self.meaning)
        self.setBrush(color() if color else _palette(self).color(QPalette.ColorRole.Link))

    def mousePressEvent(self, event: Any) -> None:
        event.accept()

    def mouseReleaseEvent(self, event: Any) -> None:
        if self.contains(event.pos()):
            self._on_click(self.kind, self.key)


class NodeItem(QGraphicsItem):
    """One node: glyph and title, its counts under them, a marker when validation found a problem."""

    def __init__(self, node: NodeBase, place: Place, on_click: Click) -> None:
        super().__init__()
        self.node, self.place, self._on_click = node, place, on_click
        self.setPos(place.x, place.y)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsFocusable)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.counts: Optional[NodeCounts] = None
        self.findings: list[Finding] = []
        self.highlighted = self.dimmed = False
        self.breakpoint: Optional[str] = None  # "" a breakpoint, else its condition; None: none
        self.lines: list[str] = []
        self.links: list[CountLink] = []
        self._refresh()

    # -- content -----------------------------------------------------------------------------------
    @property
    def title(self) -> str:
        return self.node.label or self.node.id

    @property
    def subtitle(self) -> str:
        return f"action · {self.node.action}" if isinstance(self.node, ActionNode) else self.node.type

    def set_counts(self, counts: Optional[NodeCounts]) -> None:
        self.counts = counts
        self._refresh()

    def set_findings(self, findings: list[Finding]) -> None:
        self.findings = findings
        self._refresh()

    def set_breakpoint(self, condition: Optional[str]) -> None:
        """Mark a breakpoint on the node ("": always; a condition; None: no breakpoint)."""
        self.breakpoint = condition
        self._refresh()

    def count_lines(self) -> list[str]:
        """The counts as drawn (one string per line), for the box and for tests."""
        c = self.counts or NodeCounts()
        if self.node.type in ("event", "end"):
            first = f"Entered {c.entered}"
            return [first + (f" · Exited {c.exited}" if self.node.type == "event" else _ended(c))]
        lines = [f"Entered {c.entered} · Exited {c.exited}"]
        waiting = "In wait" if self.node.type == "wait" else "In node"
        lines.append(" · ".join(p for p in (f"Error {c.error}" if c.error else "",
                                            f"Timed out {c.timed_out}" if c.timed_out else "",
                                            f"{waiting} {c.in_node}" if c.in_node else "") if p))
        if isinstance(self.node, ActionNode):
            latency = f"p50 {_ms(c.p50_ms)} · p95 {_ms(c.p95_ms)}"
            lines.append(latency + (f" · retries {c.retries}" if c.retries is not None else ""))
        return lines

    def tooltip(self) -> str:
        c = self.counts or NodeCounts()
        waiting = "In wait" if self.node.type == "wait" else "In node"
        parts = [f"{self.title} ({self.node.id}) — {self.subtitle}",
                 f"Entered: {c.entered}", f"Exited: {c.exited}", f"Error: {c.error}", f"Timed out: {c.timed_out}",
                 f"{waiting}: {c.in_node}"]
        if isinstance(self.node, ActionNode):
            parts += [f"p50 latency: {_ms(c.p50_ms)}", f"p95 latency: {_ms(c.p95_ms)}",
                      f"Retries: {c.retries if c.retries is not None else '—'}"]
            parts += [f"{code}: {n}" for code, n in sorted(c.codes.items())]
        parts += [str(f) for f in self.findings]
        if self.breakpoint is not None:
            parts.append(breakpoint_text(self.breakpoint))
        return "\n".join(parts)

    def _refresh(self) -> None:
        self.lines = self.count_lines()
        self.setToolTip(self.tooltip())
        self._relink()
        self.update()

    def _relink(self) -> None:
        """The status codes of an action node as links on its last line (kept when unchanged)."""
        codes = sorted((self.counts.codes if self.counts else {}).items())
        wanted = [(code, f"{code} {n}") for code, n in codes]
        if [(link.key[1], link.text()) for link in self.links] == wanted:
            return
        for link in self.links:
            link.setParentItem(None)
            if link.scene() is not None:
                link.scene().removeItem(link)
        self.links = []
        x, y = 10.0, HEADER + LINE * 3
        for code, text in wanted:
            link = CountLink(self, "code", (self.node.id, code), self._on_click,
                             "ok" if code.startswith("http_2") else "error")
            link.setText(text)
            link.setFont(_small_font())
            width = link.boundingRect().width()
            if x + width > self.place.width - 8 and x > 10:
                break  # the rest in the tooltip: the box keeps its size
            link.setPos(x, y)
            link.refresh_colour()
            x += width + 10
            self.links.append(link)

    # -- drawing -----------------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return QRectF(-3, -3, self.place.width + 6, self.place.height + 6)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: Optional[QWidget] = None) -> None:
        pal = _palette(self)
        text = pal.color(QPalette.ColorRole.Text)
        border = pal.color(QPalette.ColorRole.Highlight) if (self.isSelected() or self.highlighted) else \
            pal.color(QPalette.ColorRole.Mid)
        if any(f.severity == "error" for f in self.findings):
            border = error_color()
        if self.dimmed:
            text, border = _dimmed(text), _dimmed(border)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(border, 3 if (self.isSelected() or self.highlighted) else 1.2))
        painter.setBrush(pal.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(QRectF(0, 0, self.place.width, self.place.height), 8, 8)
        if self.hasFocus():
            painter.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 1, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(-3, -3, self.place.width + 6, self.place.height + 6), 10, 10)
        painter.setOpacity(0.35 if self.dimmed else 1.0)
        icon(GLYPHS[self.node.type]).paint(painter, QRectF(10, 10, 22, 22).toRect())
        self._paint_marker(painter)
        painter.setOpacity(1.0)
        self._paint_text(painter, text)
        if self.breakpoint is not None:
            paint_breakpoint(painter, QPointF(4, 4), self.breakpoint)

    def _paint_text(self, painter: QPainter, text: QColor) -> None:
        room = self.place.width - 50 - (24 if self.findings else 0)
        bold = QFont(painter.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text)
        painter.drawText(QPointF(40, 22), QFontMetricsF(bold).elidedText(self.title, Qt.TextElideMode.ElideRight, room))
        small = _small_font()
        painter.setFont(small)
        faint = QColor(text)
        faint.setAlphaF(text.alphaF() * 0.7)
        painter.setPen(faint)
        metrics = QFontMetricsF(small)
        painter.drawText(QPointF(40, 38), metrics.elidedText(self.subtitle, Qt.TextElideMode.ElideRight, room))
        for i, line in enumerate(self.lines):
            painter.setPen(error_color() if ("Error" in line or "Timed out" in line) and not self.dimmed else text)
            painter.drawText(QPointF(10, HEADER + LINE * i + 12),
                             metrics.elidedText(line, Qt.TextElideMode.ElideRight, self.place.width - 20))

    def _paint_marker(self, painter: QPainter) -> None:
        if not self.findings:
            return
        kind = "error" if any(f.severity == "error" for f in self.findings) else "warning"
        icon(kind, kind).paint(painter, QRectF(self.place.width - 28, 8, 20, 20).toRect())

    def mousePressEvent(self, event: Any) -> None:
        super().mousePressEvent(event)
        self._on_click("node", self.node.id)


class EdgeItem(QGraphicsPathItem):
    """One edge: its route with an arrowhead, thicker with more profiles, its label and count."""

    def __init__(self, route: Route, on_click: Click) -> None:
        super().__init__()
        self.route, self._on_click = route, on_click
        self.count: Optional[int] = None
        self.weight = 0.0  # 0..1: this edge's share of the busiest edge
        self.highlighted = self.dimmed = False
        self.breakpoint: Optional[str] = None  # as NodeItem.breakpoint
        path = QPainterPath(QPointF(*route.points[0]))
        for point in route.points[1:]:
            path.lineTo(QPointF(*point))
        self.setPath(path)
        self.setZValue(-1)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.label = CountLink(self, "edge", route.key, on_click)
        self.label.setFont(_small_font())
        self.label.setZValue(2)
        self._refresh()

    def text(self) -> str:
        """The label as drawn: the path's label and the number of profiles that took it."""
        count = "" if self.count is None else str(self.count)
        return " · ".join(p for p in (self.route.label, count) if p)

    def set_breakpoint(self, condition: Optional[str]) -> None:
        self.breakpoint = condition
        self._refresh()

    def set_count(self, count: Optional[int], busiest: int) -> None:
        self.count = count
        self.weight = (count or 0) / busiest if busiest else 0.0
        self._refresh()

    def _refresh(self) -> None:
        self.label.setText(self.text())
        rect = self.label.boundingRect()
        x, y = self.route.label_at
        self.label.setPos(x - rect.width() / 2, y - rect.height() - 2)
        self.label.setVisible(bool(self.label.text()))
        taken = "" if self.count is None else f"\n{self.count} profile(s) took it"
        self.setToolTip(f"{self.route.source} → {self.route.target}" +
                        (f" ({self.route.label})" if self.route.label else "") + taken +
                        ("" if self.breakpoint is None else "\n" + breakpoint_text(self.breakpoint)))
        self.label.setToolTip(self.toolTip())
        self.update()

    def refresh_colours(self) -> None:
        self.label.refresh_colour()
        self.update()

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(12)  # easy to click even when thin
        return stroker.createStroke(self.path())

    def boundingRect(self) -> QRectF:
        return self.shape().boundingRect().adjusted(-10, -10, 10, 10)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: Optional[QWidget] = None) -> None:
        pal = _palette(self)
        color = pal.color(QPalette.ColorRole.Highlight) if self.highlighted else pal.color(QPalette.ColorRole.Text)
        if self.route.port == "timeoutOrError" and not self.highlighted:
            color = error_color()
        if self.dimmed:
            color = _dimmed(color)
        width = 1.2 + 7.0 * self.weight + (1.5 if self.highlighted else 0)
        pen = QPen(color, width, Qt.PenStyle.DashLine if (self.dimmed or self.route.back) else Qt.PenStyle.SolidLine)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())
        self._arrow(painter, color, width)
        if self.breakpoint is not None:
            first, second = self.route.points[0], self.route.points[1]  # near its start: left by that port
            paint_breakpoint(painter, QPointF((first[0] * 2 + second[0]) / 3, (first[1] * 2 + second[1]) / 3),
                             self.breakpoint)

    def _arrow(self, painter: QPainter, color: QColor, width: float) -> None:
        (x1, y1), (x2, y2) = self.route.points[-2], self.route.points[-1]
        tip = QPointF(x2, y2)
        size = 7 + width
        direction = QPointF(x2 - x1, y2 - y1)
        length = max((direction.x() ** 2 + direction.y() ** 2) ** 0.5, 1e-6)
        ux, uy = direction.x() / length, direction.y() / length
        base = QPointF(x2 - ux * size, y2 - uy * size)
        side = QPointF(-uy * size / 2, ux * size / 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawPolygon(QPolygonF([tip, base + side, base - side]))

    def mousePressEvent(self, event: Any) -> None:
        event.accept()

    def mouseReleaseEvent(self, event: Any) -> None:
        self._on_click("edge", self.route.key)


BREAKPOINT_COLOR = "#d32f2f"


def breakpoint_text(condition: str) -> str:
    return f"Breakpoint when {condition}" if condition else "Breakpoint"


def paint_breakpoint(painter: QPainter, at: QPointF, condition: str) -> None:
    """The breakpoint marker: a red dot, hollow in the middle when it has a condition."""
    painter.setPen(QPen(QColor("white"), 1.5))
    painter.setBrush(QColor(BREAKPOINT_COLOR))
    painter.drawEllipse(at, 7, 7)
    if condition:
        painter.setBrush(QColor("white"))
        painter.drawEllipse(at, 2.5, 2.5)


def _ms(value: Optional[float]) -> str:
    return "—" if value is None else f"{value:.0f} ms"


def _ended(c: NodeCounts) -> str:
    others = {k: v for k, v in c.stopped.items() if k != "finished"}
    return "".join(f" · {k} {v}" for k, v in sorted(others.items()))


def _small_font() -> QFont:
    font = QFont()
    font.setPointSizeF(max(font.pointSizeF() * 0.85, 7.0))
    return font
