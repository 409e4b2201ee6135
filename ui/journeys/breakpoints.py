"""Breakpoints in the window: the journey view's one `Breakpoints` (app.journeys.breakpoints), set
from the diagram's context menu (a condition in a small dialog checked as you type with the
expression box), and the "Paused" list of the run bar with Step and Resume per profile.

The run calls back from its own thread when a profile pauses or goes on: `BreakpointsControl`
turns that into a queued signal, so widgets are only touched on the UI thread. Step and Resume
only hand the run's loop a flag (thread-safe), never wait for it.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.journeys.breakpoints import Breakpoint, Paused, condition_findings
from app.journeys.completions import completions
from app.journeys.expr import ExprError
from app.journeys.model import Journey
from ui import ask
from ui.journeys.exprbox import ExprBox
from ui.journeys.runbreaks import RunBreakpoints

Index = QModelIndex | QPersistentModelIndex


class ConditionDialog(QDialog):
    """The optional condition of a breakpoint, checked as it is typed; OK only without errors."""

    def __init__(self, journey: Journey, actions: Mapping[str, Any], node: str, port: Optional[str], text: str,
                 parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("journeyBreakpointDialog")
        where = f"the edge {node} → {port}" if port else f"the node {node}"
        self.setWindowTitle("Breakpoint condition")
        intro = QLabel(f"Pause a profile at {where} only when this is true (empty: always):", self)
        intro.setWordWrap(True)
        responses = {n: a.response.example for n, a in actions.items() if getattr(a, "response", None) is not None}
        self.box = ExprBox(text, lambda t: condition_findings(journey, actions, node, port, t) if t.strip() else [],
                           lambda: completions(journey, node, responses), self)
        self.box.setObjectName("journeyBreakpointCondition")
        self.box.setPlaceholderText('e.g. @action{Name.jo_status_code} != "http_200"')
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.box)
        layout.addWidget(self.box.problem)
        layout.addWidget(self.buttons)
        self.box.textChanged.connect(self._checked)
        self._checked()
        self.resize(560, self.sizeHint().height())

    def _checked(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not self.box.errors)

    def condition(self) -> str:
        return self.box.text().strip()


class BreakpointsControl(QObject):
    """The view's breakpoints: what the diagram asks, the marks it shows, the paused profiles."""

    changed = Signal()  # a profile paused or went on (queued to the UI thread)
    marksChanged = Signal(object)  # {(node, port): condition}: the diagram's markers
    problem = Signal(str)

    def __init__(self, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        # Mirrored to the run's process (ui.journeys.runbreaks); on_change is emitted from a reader: queued
        self.breaks = RunBreakpoints(on_change=self.changed.emit)
        self.journey: Optional[Journey] = None
        self.actions: Mapping[str, Any] = {}

    def set_journey(self, journey: Journey, actions: Mapping[str, Any]) -> None:
        """Another journey (or version) is shown: breakpoints on nodes or edges it no longer has are dropped."""
        self.journey, self.actions = journey, actions
        places = {(n.id, None) for n in journey.nodes} | {(n.id, e.port) for n in journey.nodes for e in n.edges()}
        for point in self.breaks.points():
            if point.key not in places:
                self.breaks.clear(point.node, point.port)
        self.marksChanged.emit(self.marks())

    def marks(self) -> dict[tuple[str, Optional[str]], str]:
        return {p.key: p.condition or "" for p in self.breaks.points()}

    def asked(self, node: str, port: Optional[str], verb: str) -> None:
        """The diagram's menu: add, conditional (ask for the condition) or remove."""
        if verb == "remove":
            self.breaks.clear(node, port)
        elif verb == "add":
            self.breaks.set(Breakpoint(node, port))
        elif verb == "conditional" and self.journey is not None:
            current = self.marks().get((node, port), "")
            dialog = ConditionDialog(self.journey, self.actions, node, port, current,
                                     self.parent() if isinstance(self.parent(), QWidget) else None)
            if ask.show_dialog(dialog) != QDialog.DialogCode.Accepted:
                return
            try:
                self.breaks.set(Breakpoint(node, port, dialog.condition() or None))
            except ExprError as exc:  # the box refuses it first; kept for a text pasted past it
                self.problem.emit(f"The condition does not parse: {exc}")
                return
        self.marksChanged.emit(self.marks())


class PausedModel(QAbstractTableModel):
    """The paused profiles: profile, row, the node it waits before, the edge it came by, why."""

    HEADERS = ("Profile", "Row", "Before node", "Came by", "Why")

    def __init__(self, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.rows: list[Paused] = []

    def set_rows(self, rows: list[Paused]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        p = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            came = f"{p.edge[0]} → {p.edge[1]}" if p.edge else ""
            return (p.profile_id or "", str(p.row), p.node, came, p.why)[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return p
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class PausedPane(QWidget):
    """"Paused": the profiles held at a breakpoint, Step / Resume the selected one, Resume all."""

    pausedSelected = Signal(object)  # the Paused profile chosen (the trace view shows its state)
    shownChanged = Signal(bool)  # the pane appeared or went (the run bar's height changes)

    def __init__(self, control: BreakpointsControl, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("journeyPausedPane")
        self.control = control
        self.model = PausedModel(self)
        self.title = QLabel(self)
        self.table = QTableView(self)
        self.table.setObjectName("journeyPausedTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMaximumHeight(120)
        self.step_button = QPushButton("Step", self)
        self.step_button.setObjectName("journeyStepButton")
        self.step_button.setToolTip("Run the selected profile's next node, then pause it again")
        self.resume_button = QPushButton("Resume", self)
        self.resume_button.setObjectName("journeyResumeButton")
        self.resume_button.setToolTip("Let the selected profile go on to its next breakpoint or its end")
        self.resume_all = QPushButton("Resume all", self)
        self.resume_all.setObjectName("journeyResumeAllButton")
        buttons = QHBoxLayout()
        buttons.addWidget(self.title, 1)
        for button in (self.step_button, self.resume_button, self.resume_all):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self.step_button.clicked.connect(lambda: self._release(Paused.step))
        self.resume_button.clicked.connect(lambda: self._release(Paused.resume))
        self.resume_all.clicked.connect(control.breaks.resume_all)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        control.changed.connect(self.refresh, Qt.ConnectionType.QueuedConnection)
        control.marksChanged.connect(self._marks_changed)  # a method: disconnected when the pane goes
        self.refresh()

    def _marks_changed(self, _marks: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        chosen = self.selected()
        rows = self.control.breaks.paused()
        self.model.set_rows(rows)
        self.title.setText(f"Paused ({len(rows)})" if rows else "Paused: none")
        keys = [p.key for p in rows]
        if chosen is not None and chosen.key in keys:
            self.table.selectRow(keys.index(chosen.key))
        self._buttons()
        shown = bool(rows) or bool(self.control.breaks.points())
        if shown != (not self.isHidden()):
            self.setVisible(shown)
            self.shownChanged.emit(shown)

    def selected(self) -> Optional[Paused]:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.rows[rows[0].row()] if rows and rows[0].row() < len(self.model.rows) else None

    def _selected(self, *_: Any) -> None:
        self._buttons()
        paused = self.selected()
        if paused is not None:
            self.pausedSelected.emit(paused)

    def _buttons(self) -> None:
        some = self.selected() is not None
        self.step_button.setEnabled(some)
        self.resume_button.setEnabled(some)
        self.resume_all.setEnabled(bool(self.model.rows))

    def _release(self, how: Callable[[Paused], None]) -> None:
        paused = self.selected()
        if paused is not None:
            how(paused)
