"""One journey's view (objectName `journeyView`): the diagram with its alerts above, and below it
the run (run bar, profile table, trace) and the editor as tabs. This module wires the standalone
widgets: the run's progress and a reopened run's stored trace become the diagram's counts, a
click on a count filters the table, a selected profile's path is highlighted, "All" shows the
coverage, an edit redraws the diagram. Every file and SQLite read happens in a worker."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QListWidget, QSplitter, QTabWidget, QVBoxLayout, QWidget

from app.journeys.alerts import group
from app.journeys.breakpoints import paused_entry
from app.journeys.counts import RunCounts
from app.journeys.findings import Finding
from app.journeys.model import Journey
from app.journeys.stamped import load_stamped
from app.journeys.tracereader import TraceReader
from app.journeys.validate import validate_in
from app.model import Action
from ui.journeys.breakpoints import BreakpointsControl
from ui.journeys.compare_marks import CompareMarks, follow
from ui.journeys.diagram import JourneyDiagram
from ui.journeys.editor import JourneyEditor
from ui.journeys.runview import RunView
from ui.paintonce import before_paint
from ui.workers import run_in_background

# The diagram names a status count "code"; the profile table's filter calls it "status".
FILTER_KINDS = {"code": "status"}
DIAGRAM_SHARE = 40  # percent of the view's height the diagram starts with (the rest: the Run / Edit tabs)


@dataclass(frozen=True)
class Opened:
    """A journey as read from its file, with what the view needs beside it."""

    path: Path
    journey: Journey
    findings: list[Finding]
    actions: dict[str, Action]  # the actions it calls that load
    names: list[str]  # every action of the workspace
    stamp: Optional[str] = None  # the file's stamp as read: a save checks it (app.journeys.stamped)


def read_journey(workspace: Any, path: Path) -> Opened:
    """Worker: the journey file, its validation and the actions it calls."""
    from app.store_errors import StoreError

    journey, stamp = load_stamped(path)
    actions = {}
    for name in journey.actions_used():
        try:
            if workspace.exists(name):
                actions[name] = workspace.load(name)
        except StoreError:
            pass  # validate_in reports it at the nodes that call it
    return Opened(Path(path), journey, validate_in(workspace, journey).findings, actions, workspace.names(), stamp)


def trace_counts(path: Path) -> RunCounts:
    """Worker: a stored run's counts, as the trace gives them."""
    with TraceReader(path) as reader:
        return RunCounts.from_trace(reader)


class JourneyView(QWidget):
    opened = Signal(str)  # a journey is shown (its name)
    countsShown = Signal()  # the diagram shows a stored run's counts

    def __init__(self, services: Any, undo_stack: QUndoStack, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("journeyView")
        self.services = services
        self.journey: Optional[Journey] = None
        self.path: Optional[Path] = None
        self.run_view: Optional[RunView] = None
        self._asked: Optional[Path] = None
        self._split_sized = False
        self._drawn = False  # the diagram shows the editor's data (set by _edited)
        self.title = QLabel(self)
        self.title.setObjectName("journeyTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.diagram = JourneyDiagram(self)
        self.compare_marks = CompareMarks(self.diagram)
        self.alerts = QListWidget(self)
        self.alerts.setObjectName("journeyAlerts")
        self.alerts.setAccessibleName("Journey alerts")
        self.alerts.setWordWrap(True)
        # Wrapped to the panel's width (a grouped alert lists its places): no sideways scrolling.
        self.alerts.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.alerts.setResizeMode(QListWidget.ResizeMode.Adjust)
        # A field path has no space to wrap at: cut in its middle, the places of a grouped alert keep their
        # different ends (…journeyVersionId], …nodeId]) where the default cut left two identical starts.
        self.alerts.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.coverage = QLabel(self)
        self.coverage.setObjectName("journeyCoverage")
        self.coverage.setWordWrap(True)
        self.editor = JourneyEditor(services, undo_stack, self)
        self.breakpoints = BreakpointsControl(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("journeyTabs")
        self.run_page = QWidget(self)
        QVBoxLayout(self.run_page).setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self.run_page, "&Run")
        self.tabs.addTab(self.editor, "&Edit")
        self._lay_out()
        self.diagram.filterRequested.connect(self._filter)
        self.diagram.currentNodeChanged.connect(self.editor.select_node)
        self.alerts.itemActivated.connect(self._alert_chosen)
        self.editor.edited.connect(self._edited)
        self.editor.saved.connect(self._saved)
        self.editor.theirsTaken.connect(self._theirs_taken)
        self.diagram.breakpointAsked.connect(self.breakpoints.asked)
        self.breakpoints.marksChanged.connect(self.diagram.set_breakpoints)

    def _lay_out(self) -> None:
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("&Alerts", side)
        caption.setBuddy(self.alerts)
        side_layout.addWidget(caption)
        side_layout.addWidget(self.alerts, 1)
        side_layout.addWidget(self.coverage)
        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.addWidget(self.diagram)
        top.addWidget(side)
        top.setStretchFactor(0, 1)
        top.setSizes([840, 220])
        # The diagram gets a good share of the height (its text readable once zoomed to fit); the
        # run side below has its own splitter between the run bar and the results.
        split = self.split = QSplitter(Qt.Orientation.Vertical, self)
        split.setObjectName("journeySplitter")
        split.addWidget(top)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([DIAGRAM_SHARE, 100 - DIAGRAM_SHARE])
        split.setChildrenCollapsible(False)
        self.diagram.setMinimumHeight(120)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(split, 1)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._split_sized:
            before_paint(self, self._first_split)  # painted at its first sizes, not once before them

    def _first_split(self) -> None:
        """Once laid out, the diagram starts with DIAGRAM_SHARE of the height."""
        total = sum(self.split.sizes())
        if self._split_sized or total <= 0:
            return
        self._split_sized = True
        diagram = total * DIAGRAM_SHARE // 100
        self.split.setSizes([diagram, total - diagram])

    # -- opening ---------------------------------------------------------------------------------
    def open(self, path: Path) -> None:
        """Read a journey file in a worker, then show it (its diagram, run side and editor)."""
        self._asked = Path(path)
        self.title.setText(f"Reading {Path(path).name}…")
        run_in_background(read_journey, self.services.workspace, Path(path), owner=self,
                          on_done=lambda o: self._opened(o) if o.path == self._asked else None,
                          on_error=lambda e, p=Path(path): self._unreadable(p, e))

    def _unreadable(self, path: Path, exc: BaseException) -> None:
        if path == self._asked:
            self.title.setText(f"{path.name} cannot be opened: {exc}")

    def _opened(self, opened: Opened) -> None:
        self.path, self.journey = opened.path, opened.journey
        self._show_title(opened.journey)
        self.breakpoints.set_journey(opened.journey, opened.actions)
        self._new_run_view(opened.journey)
        self._drawn = False
        # The editor's `edited` draws the diagram and the alerts (_edited): drawn here as well, they
        # were drawn twice at every open.
        self.editor.set_journey(opened.journey, opened.path, opened.actions, opened.names, opened.stamp)
        if not self._drawn:  # the editor's data made no journey: what the file holds, as read
            self.diagram.set_journey(opened.journey, opened.findings)
            self._show_alerts(opened.findings)
        self.opened.emit(opened.journey.name)

    def _show_title(self, journey: Journey) -> None:
        self.title.setText(f"<b>{journey.name}</b>" + (f" — {journey.description}" if journey.description else ""))

    def _new_run_view(self, journey: Journey) -> None:
        old = self.run_view
        if old is not None:
            if old.runbar.running:
                old.runbar.stop()
            old.setParent(None)
            old.deleteLater()
        view = self.run_view = RunView(self.services, journey, self.run_page)
        self.run_page.layout().addWidget(view)
        bar = view.runbar
        bar.runStarted.connect(self._run_started)
        bar.progressed.connect(self.diagram.set_counts)
        bar.runOpened.connect(self.show_run_counts)
        bar.use_breakpoints(self.breakpoints)
        assert bar.paused is not None
        bar.paused.pausedSelected.connect(lambda p, j=journey: view.trace.show_paused(paused_entry(p), j))
        self.editor.set_profiles(lambda: [row.attributes for row in bar.preview_data.rows] if bar.preview_data else [])
        view.profiles.all_button.clicked.connect(self.show_coverage)
        view.trace.entryShown.connect(self._entry_shown)
        follow(self.compare_marks, view, self.show_run_counts)

    # -- the run and the diagram -----------------------------------------------------------------
    def _run_started(self) -> None:
        self.diagram.clear_counts()
        self.diagram.clear_marks()
        self.coverage.clear()

    def show_run_counts(self, path: Path) -> None:
        """A finished or reopened run: the diagram shows what its stored trace counts."""
        run_in_background(trace_counts, Path(path), owner=self, on_done=self._counts_read,
                          on_error=lambda e: self.coverage.setText(f"Cannot read the run's counts: {e}"))

    def _counts_read(self, counts: RunCounts) -> None:
        self.diagram.set_counts(counts)
        self.diagram.flush()
        self.countsShown.emit()

    def _filter(self, kind: str, key: Any) -> None:
        if self.run_view is not None and self.run_view.profiles.model.path is not None:
            self.run_view.profiles.filter_to(FILTER_KINDS.get(kind, kind), key)
            self.tabs.setCurrentWidget(self.run_page)

    def _entry_shown(self, entry: dict[str, Any]) -> None:
        steps = entry.get("steps", [])
        self.diagram.highlight_path(entry.get("path", []), [(s["node"], s["port"]) for s in steps if s.get("port")])

    def show_coverage(self) -> None:
        """"All": the branches no profile took, dimmed on the diagram and listed."""
        untaken = self.diagram.show_coverage()
        names = [f"{r.source} → {r.target}" + (f" ({r.label})" if r.label else "") for r in untaken]
        self.coverage.setText("Every branch was taken" if not names else "Not taken: " + "; ".join(names))

    # -- validation and edits ----------------------------------------------------------------------
    def _show_alerts(self, findings: list[Finding]) -> None:
        """One line per problem: the same finding at several places of a node is one alert saying where."""
        self.alerts.clear()
        for alert in group(findings):
            self.alerts.addItem(str(alert))
            item = self.alerts.item(self.alerts.count() - 1)
            item.setToolTip(alert.details())
            item.setData(Qt.ItemDataRole.UserRole, alert.node)
        if not findings:
            self.alerts.addItem("No problem found")

    def _alert_chosen(self, item: Any) -> None:
        node = item.data(Qt.ItemDataRole.UserRole)
        if node and node in self.diagram.nodes:
            self.diagram.select_node(node)

    def _edited(self, journey: Optional[Journey]) -> None:
        """The editor's data changed: redraw the diagram and its alerts (validation is CPU only)."""
        if journey is None:
            return  # the data does not make a journey yet; the editor says why
        findings = self.editor.findings()  # the editor validated the data it emitted for its own boxes
        self.diagram.set_journey(journey, findings)
        self._show_alerts(findings)
        self._drawn = True

    def _saved(self, path: Path) -> None:
        journey = self.editor.journey()
        if journey is not None:
            self.path, self.journey = path, journey
            self.breakpoints.set_journey(journey, self.editor.actions)
            self._show_title(journey)
            self._new_run_view(journey)

    def _theirs_taken(self, kind: str) -> None:
        """A save conflict settled for the disk's version: show it (or say it is gone)."""
        if self.path is None:
            return
        if kind == "deleted":
            self.title.setText(f"{self.path.name} was deleted outside the window; your changes were dropped")
        else:
            self.open(self.path)

    def is_dirty(self) -> bool:
        return self.editor.dirty

    def stop(self) -> None:
        if self.run_view is not None:
            self.run_view.runbar.stop()
