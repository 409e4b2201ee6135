"""What a comparison draws on the journey diagram, as items of its own laid over the diagram's
(the node and edge items stay as they are): a +n / −n badge per node and edge whose count changed
from run A to run B, and the two paths of a selected changed profile (A solid, B dashed, offset so
a shared stretch shows both). Colours follow the scene's palette at paint time, the signs the diff
convention (more: green, fewer: red), on a base-coloured backing: readable in light and dark."""
from __future__ import annotations

from itertools import pairwise
from typing import Any, Optional, Sequence

import shiboken6
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsSimpleTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from app.journeys.diff import RunDiff
from ui.icons import error_color, ok_color
from ui.journeys.diagram import JourneyDiagram

RING = {"a": 5.0, "b": 10.0}  # how far outside a node box each run's ring goes
SHIFT = {"a": -2.5, "b": 2.5}  # each run's line beside an edge


def delta_text(delta: int) -> str:
    """+n / −n (a real minus sign: it reads as one at any size)."""
    return f"+{delta}" if delta > 0 else f"\u2212{-delta}"


class DeltaBadge(QGraphicsSimpleTextItem):
    """One count's change, child of the node or edge it is about."""

    def __init__(self, parent: QGraphicsItem, delta: int, a: int, b: int) -> None:
        super().__init__(delta_text(delta), parent)
        self.delta = delta
        font = QFont()
        font.setBold(True)
        self.setFont(font)
        self.setZValue(3)
        self.setToolTip(f"A {a} → B {b} ({delta_text(delta)})")
        self.refresh_colour()

    def refresh_colour(self) -> None:
        self.setBrush(ok_color() if self.delta > 0 else error_color())

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: Optional[QWidget] = None) -> None:
        pal = self.scene().palette() if self.scene() is not None else QPalette()
        rect = self.boundingRect().adjusted(-3, -1, 3, 1)
        painter.setPen(QPen(self.brush().color(), 1))
        painter.setBrush(pal.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(rect, 4, 4)
        super().paint(painter, option, widget)


class PathMark(QGraphicsPathItem):
    """One run's way over a node (a ring) or an edge (a line beside it)."""

    def __init__(self, path: QPainterPath, side: str) -> None:
        super().__init__(path)
        self.side = side
        self.setZValue(2)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setToolTip("Path in run A" if side == "a" else "Path in run B")

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: Optional[QWidget] = None) -> None:
        pal = self.scene().palette() if self.scene() is not None else QPalette()
        pen = QPen(QColor(pal.color(QPalette.ColorRole.Highlight)), 3,
                   Qt.PenStyle.SolidLine if self.side == "a" else Qt.PenStyle.DashLine)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())


class CompareMarks:
    """The badges and path marks of one comparison on one diagram; `clear()` takes them all away."""

    def __init__(self, diagram: JourneyDiagram) -> None:
        self.diagram = diagram
        self.badges: dict[Any, DeltaBadge] = {}  # node id, or (node, port) for an edge
        self.paths: list[PathMark] = []

    def show_deltas(self, diff: RunDiff) -> None:
        self.clear()
        for d in diff.node_deltas:
            item = self.diagram.nodes.get(d.key)
            if d.delta and item is not None:
                badge = DeltaBadge(item, d.delta, d.a, d.b)
                rect = badge.boundingRect()
                badge.setPos(item.place.width - rect.width() - 6, -rect.height() - 3)
                self.badges[d.key] = badge
        for e in diff.edge_deltas:
            edge = self.diagram.edges.get((e.node, e.port))
            if e.delta and edge is not None:
                badge = DeltaBadge(edge, e.delta, e.a, e.b)
                x, y = edge.route.label_at
                badge.setPos(x - badge.boundingRect().width() / 2, y + 3)
                self.badges[(e.node, e.port)] = badge

    def show_paths(self, path_a: Sequence[str], path_b: Sequence[str]) -> None:
        """Mark a changed profile's way in each run (A solid, B dashed)."""
        self._remove(self.paths)
        self.paths = []
        scene = self.diagram.scene()
        for side, path in (("a", path_a), ("b", path_b)):
            for node_id in path:
                item = self.diagram.nodes.get(node_id)
                if item is not None:
                    ring, place = RING[side], item.place
                    shape = QPainterPath()
                    shape.addRoundedRect(QRectF(place.x - ring, place.y - ring, place.width + 2 * ring,
                                                place.height + 2 * ring), 8 + ring, 8 + ring)
                    self.paths.append(PathMark(shape, side))
            for source, target in pairwise(path):
                edge = next((e for k, e in self.diagram.edges.items() if k[0] == source and e.route.target == target),
                            None)
                if edge is not None:
                    line = edge.path().translated(QPointF(SHIFT[side], SHIFT[side]))
                    self.paths.append(PathMark(line, side))
        for mark in self.paths:
            scene.addItem(mark)

    def clear(self) -> None:
        self._remove(list(self.badges.values()))
        self._remove(self.paths)
        self.badges, self.paths = {}, []

    @staticmethod
    def _remove(items: Sequence[QGraphicsItem]) -> None:
        for item in items:
            if shiboken6.isValid(item) and item.scene() is not None:  # a redrawn diagram already took them
                item.scene().removeItem(item)


def follow(marks: CompareMarks, run_view: Any, show_counts: Any) -> None:
    """Wire a run view's comparison to the diagram: a comparison shows run B's counts with the deltas
    (show_counts: the journey view's reader of a run's counts), a selected changed profile its two
    paths; closing it, a new run or a run opened takes the marks away."""
    bar = run_view.runbar

    def closed() -> None:
        marks.clear()
        if run_view.profiles.model.path is not None:
            show_counts(run_view.profiles.model.path)  # the run the results show again

    def wire(compare: Any) -> None:
        compare.diffShown.connect(lambda diff: (show_counts(diff.run_b.path), marks.show_deltas(diff)))
        compare.pathsSelected.connect(marks.show_paths)
        compare.closed.connect(closed)

    run_view.when_compare_built(wire)  # the comparison is built when first needed
    bar.runStarted.connect(marks.clear)
    bar.runOpened.connect(lambda _path: marks.clear())
