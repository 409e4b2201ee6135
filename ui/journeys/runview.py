"""The run side of a journey's view, assembled: the run bar above, the profile table and the
selected profile's trace side by side below it. The window hosts it under the diagram, whose
filterRequested(kind, key) goes to `profiles.filter_to` and which takes `runbar.progressed`.

Sized for a 1280x800 window: the run bar sits in a scroll area in a vertical splitter (it never
forces the window taller), its preview and targets fold away once a run is shown, and the trace
gets the larger share of the width once a profile is selected."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QVBoxLayout, QWidget

from app.journeys.model import Journey
from ui.focuschain import place_after
from ui.journeys.compare import CompareView
from ui.journeys.expectbar import ExpectBar
from ui.journeys.profiles_view import ProfilesPane
from ui.journeys.runbar import RunBar
from ui.journeys.traceview import TraceView
from ui.paintonce import before_paint

if TYPE_CHECKING:
    from app.services import Services

TRACE_SHARE = 0.6  # of the results' width, once a profile is selected
TABLE_SHARE = 0.5  # before any profile is selected


class RunView(QWidget):
    def __init__(self, services: Services, journey: Journey, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("journeyRunView")
        self.runbar = RunBar(services, journey, self)
        self.expect = ExpectBar(journey, self.runbar)
        bar_layout = self.runbar.layout()
        bar_layout.insertWidget(bar_layout.indexOf(self.runbar.status), self.expect)  # type: ignore[attr-defined]
        self.profiles = ProfilesPane(self)
        self.trace = TraceView(services, self)
        self.bar_area = QScrollArea(self)
        self.bar_area.setObjectName("journeyRunBarArea")
        self.bar_area.setWidget(self.runbar)
        self.bar_area.setWidgetResizable(True)
        self.bar_area.setFrameShape(QFrame.Shape.NoFrame)
        self.bar_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.bar_area.setMinimumHeight(60)
        self.results = QSplitter(Qt.Orientation.Horizontal, self)
        self.results.setObjectName("journeyResultsSplitter")
        self.results.addWidget(self.profiles)
        self.results.addWidget(self.trace)
        self.results.setStretchFactor(0, 2)
        self.results.setStretchFactor(1, 3)
        self.results.setChildrenCollapsible(False)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.setObjectName("journeyRunSplitter")
        self.split.addWidget(self.bar_area)
        self.split.addWidget(self.results)
        self._services = services
        self._compare: Optional[CompareView] = None  # in place of the results while two runs are compared
        self._compare_hooks: list[Callable[[CompareView], None]] = []
        self.split.setStretchFactor(1, 1)
        self.split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.split, 1)
        self._trace_favoured = False
        self._sized = False  # the first sizes are set once the view has its width
        self.runbar.runOpened.connect(self.open_run)
        self.runbar.detailsToggled.connect(lambda _shown: QTimer.singleShot(0, self, self.fit_bar))
        self.profiles.profileSelected.connect(self.trace.show_entry)
        self.trace.replayAsked.connect(self.runbar.start_replay)
        self.profiles.profileSelected.connect(lambda *_: self.favour_trace())
        self.runbar.compare_button.chosen.connect(self.show_compare)
        self.runbar.profiles.textChanged.connect(self.expect.profiles_changed)
        self.runbar.runOpened.connect(self.expect.check)
        self.expect.verdictsReady.connect(self.profiles.model.set_verdicts)
        self.runbar.runFinished.connect(self._replayed)

    @property
    def compare(self) -> CompareView:
        """The comparison of two runs (built when first asked for: most runs are never compared)."""
        if self._compare is None:
            compare = self._compare = CompareView(self._services, self)
            compare.hide()
            self.split.addWidget(compare)
            place_after(self, compare)  # in the Tab order where it was when built with the view
            compare.replayAsked.connect(self.runbar.start_replay)
            compare.closed.connect(lambda: self._comparing(False))
            for hook in self._compare_hooks:
                hook(compare)
        return self._compare

    def when_compare_built(self, hook: Callable[[CompareView], None]) -> None:
        """Call `hook` with the comparison once it exists (now, if it does)."""
        self._compare_hooks.append(hook)
        if self._compare is not None:
            hook(self._compare)

    def show_compare(self, run_a: Path, run_b: Path) -> None:
        """Compare two runs in place of the results (the diagram shows the deltas, see compare_marks)."""
        self._comparing(True)
        self.compare.compare(run_a, run_b)

    def _replayed(self, result: Any) -> None:
        """A replay is done: compare it with its source (once the bar has opened it as the run shown)."""
        replay = self.runbar.replaying
        if replay is not None:
            QTimer.singleShot(0, self, lambda: self.show_compare(replay.run, result.path))

    def _comparing(self, shown: bool) -> None:
        # The comparison needs the whole height (two tables, two traces): at 1280x800 the bar beside it
        # was squeezed to a clipped sliver. It comes back with "Back to the run".
        self.bar_area.setVisible(not shown)
        self.results.setVisible(not shown)
        if shown or self._compare is not None:
            self.compare.setVisible(shown)
        if not shown:
            QTimer.singleShot(0, self, self.fit_bar)

    def open_run(self, path: Path) -> None:
        self._comparing(False)
        self.trace.clear()
        self.profiles.open_run(path)
        self.runbar.show_details(False)  # the results need the room now

    # -- sizes -------------------------------------------------------------------------------------
    def fit_bar(self) -> None:
        """Give the run bar the height it asks for (at most half the view), the rest to the results."""
        total = sum(self.split.sizes()) or self.height()
        if total <= 0:
            return
        self.runbar.adjustSize()
        wanted = self.runbar.sizeHint().height() + 2
        bar = max(self.bar_area.minimumHeight(), min(wanted, total // 2))
        self.split.setSizes([bar, total - bar, 0])  # bar, results, comparison (hidden)

    def favour_trace(self) -> None:
        """A profile is selected: the trace (steps, request, response) takes the larger share."""
        if self._trace_favoured:
            return
        self._trace_favoured = True
        total = sum(self.results.sizes())
        if total > 0:
            trace = round(total * TRACE_SHARE)
            self.results.setSizes([total - trace, trace])

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._sized:
            before_paint(self, self._first_sizes)  # painted at its first sizes, not once before them

    def _first_sizes(self) -> None:
        if self._sized or self.width() <= 0:
            return
        self._sized = True
        total = sum(self.results.sizes()) or self.width()
        table = round(total * (1 - TRACE_SHARE if self._trace_favoured else TABLE_SHARE))
        self.results.setSizes([table, total - table])
        self.fit_bar()
