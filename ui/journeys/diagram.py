"""The journey diagram (objectName `journeyDiagram`): the layout of app.journeys.layout drawn with
its live counts, validation markers, zoom to fit and keyboard navigation between nodes.

Counts come as the engine gives them (a `RunProgress` from the run's callback, or `RunCounts`
from a trace, see app.journeys.counts); `set_counts` only keeps the latest and a timer redraws at
most every 100 ms, so a run that reports 100,000 times redraws a few times a second. A click on a
node, an edge or a status count emits `filterRequested(kind, key)`: ("node", id), ("edge",
(node, port)), ("code", (node, jo_status_code)).
"""
from __future__ import annotations

from itertools import pairwise
from typing import Any, Iterable, Optional, Sequence, Union

from PySide6.QtCore import QEvent, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QContextMenuEvent, QKeyEvent, QKeySequence, QPainter, QShortcut, QWheelEvent
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QMenu, QWidget

from app.journeys.counts import RunCounts
from app.journeys.findings import Finding
from app.journeys.layout import Layout, Route, layout
from app.journeys.model import Journey
from app.journeys.progress import RunProgress
from ui.journeys.items import EdgeItem, NodeItem, node_size
from ui.journeys.navigation import neighbour

REDRAW_MS = 100  # at most ~10 redraws a second, however often the run reports
MAX_ZOOM = 1.5


class JourneyDiagram(QGraphicsView):
    filterRequested = Signal(str, object)  # kind: node / edge / code; key: see the module docstring
    currentNodeChanged = Signal(str)
    breakpointAsked = Signal(str, object, str)  # node id, port (None: the node), add / conditional / remove

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("journeyDiagram")
        self.setAccessibleName("Journey diagram")
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.journey: Optional[Journey] = None
        self.layout_result: Optional[Layout] = None
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[tuple[str, str], EdgeItem] = {}
        self.counts: Optional[RunCounts] = None
        self.breakpoint_marks: dict[tuple[str, Optional[str]], str] = {}  # (node, port) -> condition ("": none)
        self.redraws = 0  # how many times counts were drawn (tests check the coalescing)
        self._findings: list[Finding] = []
        self._pending: Union[RunProgress, RunCounts, None] = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self.flush)
        QShortcut(QKeySequence("Ctrl+0"), self, self.zoom_to_fit, context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self.zoom(1.25),
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self.zoom(0.8),
                  context=Qt.ShortcutContext.WidgetShortcut)

    # -- the journey -------------------------------------------------------------------------------
    def set_journey(self, journey: Journey, findings: Iterable[Finding] = ()) -> None:
        """Draw a journey (counts cleared); findings: its validation problems, shown on the nodes."""
        scene = self.scene()
        scene.clear()
        self.journey, self.counts, self._pending = journey, None, None
        self.layout_result = result = layout(journey, node_size)
        by_id = journey.by_id()
        self.nodes = {}
        for node_id, place in result.nodes.items():
            item = NodeItem(by_id[node_id], place, self._clicked)
            scene.addItem(item)
            self.nodes[node_id] = item
        self.edges = {}
        for route in result.edges:
            edge = EdgeItem(route, self._clicked)
            scene.addItem(edge)
            self.edges[route.key] = edge
        scene.setSceneRect(QRectF(0, 0, result.width, result.height))
        self.set_breakpoints(self.breakpoint_marks)
        self.set_findings(findings)
        self._recolour()
        self.zoom_to_fit()

    def set_findings(self, findings: Iterable[Finding]) -> None:
        self._findings = list(findings)
        for node_id, item in self.nodes.items():
            item.set_findings([f for f in self._findings if f.node == node_id])

    def alerts(self) -> list[Finding]:
        """Every validation problem, the journey's own first, then node by node (as validate gives)."""
        return list(self._findings)

    # -- breakpoints (ui.journeys.breakpoints owns them; the diagram marks them and offers the menu) --
    def set_breakpoints(self, marks: dict[tuple[str, Optional[str]], str]) -> None:
        """Mark the breakpoints: (node, None) a node's, (node, port) an edge's; the value its condition."""
        self.breakpoint_marks = dict(marks)
        for node_id, item in self.nodes.items():
            item.set_breakpoint(marks.get((node_id, None)))
        for key, edge in self.edges.items():
            edge.set_breakpoint(marks.get(key))

    def breakpoint_actions(self, node: str, port: Optional[str]) -> list[QAction]:
        """The context menu's entries for a node (port None) or an edge."""
        key, actions = (node, port), []
        what = f"edge {node} → {port}" if port else f"node {node}"
        if key in self.breakpoint_marks:
            entries = [("Edit breakpoint condition…", "conditional"), ("Remove breakpoint", "remove")]
        else:
            entries = [("Add breakpoint", "add"), ("Add conditional breakpoint…", "conditional")]
        for text, verb in entries:
            action = QAction(text, self)
            action.setToolTip(f"{text.rstrip('…')} on {what}")
            action.triggered.connect(lambda _=False, v=verb: self.breakpointAsked.emit(node, port, v))
            actions.append(action)
        return actions

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        item = self.itemAt(event.pos())
        while item is not None and not isinstance(item, (NodeItem, EdgeItem)):
            item = item.parentItem()  # a count link: its node or edge
        if isinstance(item, NodeItem):
            actions = self.breakpoint_actions(item.node.id, None)
        elif isinstance(item, EdgeItem):
            actions = self.breakpoint_actions(item.route.source, item.route.port)
        else:
            super().contextMenuEvent(event)
            return
        QMenu.exec(actions, event.globalPos(), None, self)

    # -- counts ------------------------------------------------------------------------------------
    def set_counts(self, counts: Union[RunProgress, RunCounts, None]) -> None:
        """Show a run's counts (the latest wins); drawn by the next tick of the redraw timer."""
        self._pending = counts
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Draw the pending counts now (the timer calls it; so may a test or the end of a run)."""
        self._timer.stop()
        pending, self._pending = self._pending, None
        if pending is None or self.journey is None:
            return
        counts = RunCounts.from_progress(pending, self.journey) if isinstance(pending, RunProgress) else pending
        self.counts = counts
        busiest = counts.busiest_edge
        for node_id, item in self.nodes.items():
            item.set_counts(counts.nodes.get(node_id))
        for key, edge in self.edges.items():
            edge.set_count(counts.edges.get(key, 0), busiest)
        self.redraws += 1

    def clear_counts(self) -> None:
        self._timer.stop()
        self._pending, self.counts = None, None
        for item in self.nodes.values():
            item.set_counts(None)
        for edge in self.edges.values():
            edge.set_count(None, 0)

    # -- a profile's path, coverage ----------------------------------------------------------------
    def highlight_path(self, nodes: Sequence[str], edges: Optional[Sequence[tuple[str, str]]] = None) -> None:
        """Highlight a profile's way: its node ids in order and, when known, the (node, port) it left
        each by (a trace step's port); without them, the first edge between each pair of nodes."""
        self._reset_marks()
        if edges is None:
            edges = [next((k for k, e in self.edges.items() if k[0] == a and e.route.target == b), ("", ""))
                     for a, b in pairwise(nodes)]
        for node_id in nodes:
            if node_id in self.nodes:
                self.nodes[node_id].highlighted = True
        for key in edges:
            if key in self.edges:
                self.edges[key].highlighted = True
        self._repaint_all()

    def show_coverage(self) -> list[Route]:
        """Dim the edges no profile took (and the nodes none reached); returns those edges."""
        self.flush_if_pending()
        self._reset_marks()
        counts = self.counts
        untaken = []
        for key, edge in self.edges.items():
            if counts is None or not counts.edges.get(key):
                edge.dimmed = True
                untaken.append(edge.route)
        for node_id, item in self.nodes.items():
            item.dimmed = counts is None or not (counts.nodes.get(node_id) and counts.nodes[node_id].entered)
        self._repaint_all()
        return untaken

    def clear_marks(self) -> None:
        self._reset_marks()
        self._repaint_all()

    def flush_if_pending(self) -> None:
        if self._pending is not None:
            self.flush()

    def _reset_marks(self) -> None:
        for item in (*self.nodes.values(), *self.edges.values()):
            item.highlighted = item.dimmed = False

    def _repaint_all(self) -> None:
        for item in (*self.nodes.values(), *self.edges.values()):
            item.update()

    # -- navigation and zoom -----------------------------------------------------------------------
    def current_node(self) -> Optional[str]:
        selected = [i for i in self.scene().selectedItems() if isinstance(i, NodeItem)]
        return selected[0].node.id if selected else None

    def select_node(self, node_id: str) -> None:
        item = self.nodes[node_id]
        self.scene().clearSelection()
        item.setSelected(True)
        self.scene().setFocusItem(item)
        self.ensureVisible(item, 30, 30)
        self.currentNodeChanged.emit(node_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self.current_node():
            self._clicked("node", self.current_node())
            return
        moves = {Qt.Key.Key_Right: "right", Qt.Key.Key_Left: "left", Qt.Key.Key_Up: "up", Qt.Key.Key_Down: "down"}
        if key in moves and self.layout_result is not None and self.layout_result.nodes:
            target = neighbour(self.layout_result, self.current_node(), moves[key])
            if target is not None:
                self.select_node(target)
            return
        super().keyPressEvent(event)

    def focusNextPrevChild(self, forward: bool) -> bool:
        # Tab walks the nodes in reading order; past the last (or before the first) focus leaves.
        if self.hasFocus() and self.layout_result is not None:
            target = neighbour(self.layout_result, self.current_node(), "next" if forward else "previous")
            if target is not None:
                self.select_node(target)
                return True
        return super().focusNextPrevChild(forward)

    def zoom_to_fit(self) -> None:
        rect = self.scene().sceneRect()
        if rect.isEmpty():
            return
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > MAX_ZOOM:  # a tiny journey is not blown up
            self.resetTransform()
            self.scale(MAX_ZOOM, MAX_ZOOM)

    def zoom(self, factor: float) -> None:
        scale = self.transform().m11() * factor
        if 0.1 <= scale <= 4:
            self.scale(factor, factor)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)
            return
        super().wheelEvent(event)

    def resizeEvent(self, event: Any) -> None:
        # Refit on resize: a zoom by hand lasts until the view changes size.
        super().resizeEvent(event)
        self.zoom_to_fit()

    def showEvent(self, event: Any) -> None:
        # Fit once the first layout gave the view its real size (set_journey may run while hidden).
        super().showEvent(event)
        QTimer.singleShot(0, self, self.zoom_to_fit)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._recolour()

    def _recolour(self) -> None:
        self.scene().setPalette(self.palette())
        for edge in self.edges.values():
            edge.refresh_colours()
        for item in self.nodes.values():
            for link in item.links:
                link.refresh_colour()
            item.update()

    def _clicked(self, kind: str, key: Any) -> None:
        if kind == "node" and key in self.nodes and self.current_node() != key:
            self.select_node(key)
        self.filterRequested.emit(kind, key)
