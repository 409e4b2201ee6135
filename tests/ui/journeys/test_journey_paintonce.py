"""A journey opened in the window is painted at its first sizes only (ui.paintonce.before_paint): the
diagram at DIAGRAM_SHARE of the height, the profile table at TABLE_SHARE of the results' width, the run
bar at the height it asks for. Its splitters used to get those sizes after the first paint, so it was
painted twice, at two sizes (a visible jump of the splitters)."""
from __future__ import annotations

from typing import Any, Optional

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QListWidget, QWidget

from tests.ui.conftest import wait_idle
from ui.journeys.journeyview import DIAGRAM_SHARE
from ui.journeys.runview import TABLE_SHARE

# A paint of one of these or of a widget inside it (a scroll area paints its viewport and what it
# holds) records the size of the one it is in.
WATCHED = ("journeyDiagram", "journeyProfileTable", "journeyRunBarArea")


class PaintedSizes(QObject):
    """The size each watched widget had at each paint of it or inside it, by objectName."""

    def __init__(self) -> None:
        super().__init__()
        self.sizes: dict[str, list[tuple[int, int]]] = {name: [] for name in WATCHED}
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            area: Optional[QWidget] = watched
            while area is not None and area.objectName() not in self.sizes:
                area = area.parentWidget()
            if area is not None:
                self.sizes[area.objectName()].append(area.size().toTuple())
        return False

    def stop(self) -> None:
        QApplication.instance().removeEventFilter(self)


def first_sizes_set(view: Any) -> bool:
    """The sizes a journey's view opens with (those users got before the fix, once it had settled)."""
    split, run = view.split.sizes(), view.run_view
    if run is None or split[0] != sum(split) * DIAGRAM_SHARE // 100:
        return False
    results = run.results.sizes()
    return results[0] == round(sum(results) * TABLE_SHARE) and run.split.sizes()[0] > run.bar_area.minimumHeight()


def test_a_journey_opened_is_painted_at_its_first_sizes_only(qtbot: Any, window: Any) -> None:
    painted = PaintedSizes()
    try:
        window.show_journeys()
        journeys = window.findChild(QListWidget, "journeyList")
        qtbot.waitUntil(lambda: journeys.count() == 1, timeout=10000)
        journeys.setCurrentRow(0)
        view = window.journeys.view
        qtbot.waitUntil(lambda: first_sizes_set(view), timeout=10000)
        wait_idle(qtbot)
        qtbot.waitUntil(lambda: all(painted.sizes.values()), timeout=10000)  # each painted at least once
    finally:
        painted.stop()
    run = view.run_view
    final = {"journeyDiagram": view.diagram, "journeyProfileTable": run.profiles.table,
             "journeyRunBarArea": run.bar_area}
    for name, widget in final.items():
        assert set(painted.sizes[name]) == {widget.size().toTuple()}, f"{name} painted at {painted.sizes[name]}"


def test_a_run_view_shown_as_its_own_window_is_painted_at_its_first_sizes_only(qtbot: Any, services: Any) -> None:
    from app.journeys.files import load_journey
    from ui.journeys.runview import RunView

    view = RunView(services, load_journey(services.workspace.home, "sampleJourney"))
    qtbot.addWidget(view)
    view.resize(1300, 900)
    painted = PaintedSizes()
    try:
        view.show()  # a window of its own (as the run_view fixture shows it): the sizes come with its first paint too
        qtbot.waitUntil(lambda: bool(painted.sizes["journeyProfileTable"] and painted.sizes["journeyRunBarArea"]),
                        timeout=10000)
        wait_idle(qtbot)
    finally:
        painted.stop()
    results = view.results.sizes()
    assert results[0] == round(sum(results) * TABLE_SHARE)
    for name, widget in (("journeyProfileTable", view.profiles.table), ("journeyRunBarArea", view.bar_area)):
        assert set(painted.sizes[name]) == {widget.size().toTuple()}, f"{name} painted at {painted.sizes[name]}"
