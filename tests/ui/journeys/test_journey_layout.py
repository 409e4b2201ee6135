"""The journey view fits a 1280x800 window: nothing in it widens the window, the trace beside the
profile table and the diagram above the tabs stay readable, the action pane's news is gone."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLabel, QTableView, QWidget

from tests.ui.journeys.test_window_journeys import open_sample, show_recorded
from ui import message
from ui.journeys.diagram import JourneyDiagram


def test_the_journey_view_fits_1280x800_with_a_readable_trace_and_diagram(qtbot: Any, window: Any,
                                                                          recorded_sample: Path) -> None:
    window.resize(1280, 800)
    message.error("Not saved: 1 problem to fix (listed above)")  # as the action pane says it
    status = window.findChild(QLabel, "statusMessage")
    assert status.text().startswith("Not saved")
    view = open_sample(qtbot, window)
    assert status.text() == ""  # the pane's message is not about the journey
    show_recorded(qtbot, view, recorded_sample)  # a finished run of the sample shown (what, not how, it ran)
    trace = view.findChild(QWidget, "journeyTrace")
    with qtbot.waitSignal(trace.entryShown, timeout=10000):
        view.findChild(QTableView, "journeyProfileTable").selectRow(0)
    qtbot.wait(100)  # a paint: the splitters take their first sizes just before it (ui.paintonce.before_paint)
    assert window.width() <= 1280 and window.height() <= 800
    assert window.minimumSizeHint().width() <= 1280 and window.minimumSizeHint().height() <= 800
    assert trace.width() >= 400 and trace.isVisible()
    diagram = view.findChild(JourneyDiagram, "journeyDiagram")
    assert diagram.height() >= 250
    assert window.left.width() < 260  # the journey names need less room than the action table
    # The run's results got the room once it was shown: the table shows more than a row or two.
    assert view.findChild(QTableView, "journeyProfileTable").height() >= 120
