"""Two runs of a journey side by side (objectName `journeyCompareView`): what changed from run A to
run B (app.journeys.diff), read off the UI thread. The outcome deltas head it; the "Changed
profiles" table (lazy, ui.journeys.compare_model) lists each profile whose path or outcome changed
with where the paths part; selecting one shows its trace in each run and asks the diagram to mark
both paths (`pathsSelected`); each action node's p50/p95 network time sits side by side.

`diffShown(RunDiff)` tells the view a comparison is shown (the diagram draws its deltas, see
ui.journeys.compare_marks); `closed` that the user went back to the run's results."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.journeys import runsql
from app.journeys.diff import ChangedProfile, RunDiff, diff_runs
from app.journeys.tracereader import RunInfo
from ui.journeys.compare_marks import delta_text
from ui.journeys.compare_model import ChangedModel
from ui.journeys.traceview import TraceView
from ui.menubutton import MenuToolButton
from ui.workers import run_in_background

if TYPE_CHECKING:
    from app.services import Services

LATENCY_COLUMNS = ("Action node", "p50 A", "p50 B", "p95 A", "p95 B")


def compare(home: Path, run_a: Path, run_b: Path) -> RunDiff:
    """A worker's job: the comparison (TraceError: a run cannot be read)."""
    return diff_runs(home, str(run_a), str(run_b))


def entry_seqs(paths: tuple[Path, Path], row: int) -> tuple[Optional[int], Optional[int]]:
    """A worker's job: the first entry (seq) of an input row in each run, None where it is absent."""
    out: list[Optional[int]] = []
    for path in paths:
        db = runsql.connect(path)
        try:
            found = db.execute("SELECT MIN(seq) FROM profile WHERE row = ?", (row,)).fetchone()
        finally:
            db.close()
        out.append(found[0] if found else None)
    return out[0], out[1]


def run_label(info: RunInfo) -> str:
    replay = info.settings.get("replayOf")
    return (f"{info.id} ({info.started_at[:19].replace('T', ' ')}, {info.profiles:,} profiles, seed {info.seed}"
            + (f", replay of {replay}" if replay else "") + ")")


class CompareButton(MenuToolButton):
    """"Compare with…" beside the past runs: its menu lists the journey's other runs; choosing one
    asks to compare the run selected in the list (A) with it (B)."""

    chosen = Signal(object, object)  # run A's file, run B's file

    def __init__(self, past: QComboBox, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("journeyCompareButton")
        self.setText("Compare with…")
        self.setToolTip("Compare the run selected in the list with another run of this journey: count deltas on "
                        "the diagram, the profiles whose path changed, latency side by side")
        self.past = past
        self.setMenu(QMenu(self))
        self.menu().aboutToShow.connect(self.fill_menu)
        past.model().rowsInserted.connect(self._enable)
        past.model().rowsRemoved.connect(self._enable)
        self._enable()

    def _enable(self) -> None:
        self.setEnabled(self.past.count() > 1)

    def fill_menu(self) -> None:
        """The other runs, newest first (as the list shows them)."""
        menu, current = self.menu(), self.past.currentData()
        menu.clear()
        for i in range(self.past.count()):
            path = self.past.itemData(i)
            if path and path != current:
                action = menu.addAction(self.past.itemText(i))
                action.setData(path)
                action.triggered.connect(lambda _=False, p=path: self.choose(p))

    def choose(self, other: str) -> None:
        current = self.past.currentData()
        if current and other:
            self.chosen.emit(Path(current), Path(other))


class CompareView(QWidget):
    diffShown = Signal(object)  # RunDiff
    pathsSelected = Signal(object, object)  # the selected profile's path in A, in B (tuples of node ids)
    closed = Signal()
    replayAsked = Signal(object)  # ReplayAsk: "Replay this profile" in either side's trace

    def __init__(self, services: Services, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("journeyCompareView")
        self.services = services
        self.diff: Optional[RunDiff] = None
        self._asked: Optional[tuple[Path, Path]] = None
        self.summary = QLabel(self)
        self.summary.setObjectName("journeyCompareSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QPushButton("Back to the run", self)
        self.close_button.setObjectName("journeyCompareClose")
        self.close_button.setToolTip("Close the comparison and show the run's profiles again")
        self.caption = QLabel("Changed profiles", self)
        self.caption.setObjectName("journeyChangedCaption")
        self.model = ChangedModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("journeyChangedTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column in (3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideLeft)  # paths share their start: show where they end
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.latency = QTableWidget(0, len(LATENCY_COLUMNS), self)
        self.latency.setObjectName("journeyCompareLatency")
        self.latency.setHorizontalHeaderLabels(LATENCY_COLUMNS)
        self.latency.setToolTip("Each action node's network time (ms) in run A and run B")
        self.latency.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.latency.verticalHeader().hide()
        self.latency.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.latency.setMaximumHeight(120)
        self.trace_a = TraceView(services, self, name="journeyCompareTraceA")
        self.trace_b = TraceView(services, self, name="journeyCompareTraceB")
        for trace in (self.trace_a, self.trace_b):
            trace.replayAsked.connect(self.replayAsked)
        self._lay_out()
        self.close_button.clicked.connect(self.close_comparison)
        self.model.loaded.connect(self._caption)
        self.model.failed.connect(lambda text: self.caption.setText(f"Cannot read the changed profiles: {text}"))
        self.table.selectionModel().selectionChanged.connect(self._selected)

    def _lay_out(self) -> None:
        head = QHBoxLayout()
        head.addWidget(self.summary, 1)
        head.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        left = QWidget(self)
        box = QVBoxLayout(left)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.caption)
        box.addWidget(self.table, 1)
        box.addWidget(QLabel("Latency (network ms) side by side", left))
        box.addWidget(self.latency)
        traces = QSplitter(Qt.Orientation.Vertical, self)
        for side, trace in (("A", self.trace_a), ("B", self.trace_b)):
            pane = QWidget(traces)
            column = QVBoxLayout(pane)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(QLabel(f"<b>Run {side}</b>", pane))
            column.addWidget(trace, 1)
            traces.addWidget(pane)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(traces)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(split, 1)

    # -- the comparison --------------------------------------------------------------------------
    def compare(self, run_a: Path, run_b: Path) -> None:
        """Compare run A with run B (files); the diff is read in a worker, then shown."""
        asked = self._asked = (Path(run_a), Path(run_b))
        self.summary.setText(f"Comparing {Path(run_a).stem} with {Path(run_b).stem}…")
        self.model.open(None)
        run_in_background(compare, self.services.workspace.home, asked[0], asked[1], owner=self,
                          on_done=lambda diff: self.show_diff(diff) if asked == self._asked else None,
                          on_error=lambda exc: self._failed(asked, exc))

    def _failed(self, asked: tuple[Path, Path], exc: BaseException) -> None:
        if asked == self._asked:
            self.summary.setText(f"Cannot compare the runs: {exc}")

    def show_diff(self, diff: RunDiff) -> None:
        self.diff = diff
        self.trace_a.clear()
        self.trace_b.clear()
        outcomes = ", ".join(f"{d.key} {d.a} → {d.b}" + (f" ({delta_text(d.delta)})" if d.delta else "")
                             for d in diff.outcome_deltas) or "no profile"
        note = "" if diff.same_journey else (f"<br>Runs of two journeys ({diff.run_a.journey_name}, "
                                             f"{diff.run_b.journey_name}): nodes are matched by id.")
        self.summary.setText(f"<b>A</b> {_escape(run_label(diff.run_a))}<br><b>B</b> {_escape(run_label(diff.run_b))}"
                             f"<br>Outcomes: {_escape(outcomes)}{note}<br>On the diagram: B's counts with the "
                             "change from A (+n / −n); a selected profile's path in A solid, in B dashed.")
        self._fill_latency(diff)
        self.model.open(diff)
        self._caption()
        self.diffShown.emit(diff)

    def _fill_latency(self, diff: RunDiff) -> None:
        self.latency.setRowCount(len(diff.latency))
        for r, row in enumerate(diff.latency):
            for c, value in enumerate((row.node, _ms(row.p50_a), _ms(row.p50_b), _ms(row.p95_a), _ms(row.p95_b))):
                item = QTableWidgetItem(value)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.latency.setItem(r, c, item)

    def _caption(self) -> None:
        if self.diff is None:
            return
        n = self.diff.changed_count
        self.caption.setText("No profile changed its path or outcome" if n == 0 else
                             f"Changed profiles: {n:,}" + (f" (showing {self.model.rowCount():,})"
                                                           if self.model.rowCount() < n else ""))

    # -- a changed profile -----------------------------------------------------------------------
    def _selected(self, selected: QItemSelection, _deselected: Any) -> None:
        rows = selected.indexes()
        if not rows or self.diff is None:
            return
        self.show_profile(self.model.row_at(rows[0].row()))

    def show_profile(self, changed: ChangedProfile) -> None:
        """Both runs' traces of the profile (read off the UI thread) and its two paths on the diagram."""
        assert self.diff is not None
        paths = (self.diff.run_a.path, self.diff.run_b.path)
        self.pathsSelected.emit(changed.path_a, changed.path_b)
        run_in_background(entry_seqs, paths, changed.row, owner=self,
                          on_done=lambda seqs: self._show_traces(paths, changed, seqs))

    def _show_traces(self, paths: tuple[Path, Path], changed: ChangedProfile,
                     seqs: tuple[Optional[int], Optional[int]]) -> None:
        if self.diff is None or paths != (self.diff.run_a.path, self.diff.run_b.path):
            return
        for trace, path, seq, side in ((self.trace_a, paths[0], seqs[0], "A"), (self.trace_b, paths[1], seqs[1], "B")):
            if seq is None:
                trace.clear()
                trace.header.setText(f"Run {side} has no row {changed.row}")
            else:
                trace.show_entry(path, seq)

    def close_comparison(self) -> None:
        self.diff, self._asked = None, None
        self.model.open(None)
        self.closed.emit()


def _ms(value: Optional[float]) -> str:
    return "—" if value is None else f"{value:.1f}"


def _escape(text: str) -> str:
    import html

    return html.escape(text)
