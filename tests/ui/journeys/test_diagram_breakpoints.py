"""Breakpoint markers and menu entries on the real diagram: a node's and an edge's, plain and
conditional, kept when the journey is redrawn; the control adds and removes them."""
from __future__ import annotations

from typing import Any

from PySide6.QtGui import QImage, QPainter

from tests.app.journeys.runkit import END, EVENT, FAILED, journey, notify
from ui.journeys.breakpoints import BreakpointsControl
from ui.journeys.diagram import JourneyDiagram

J = journey(EVENT, notify(), END, FAILED)


def test_markers_follow_the_control_and_survive_a_redraw(qtbot: Any) -> None:
    diagram = JourneyDiagram()
    qtbot.addWidget(diagram)
    control = BreakpointsControl(diagram)
    control.marksChanged.connect(diagram.set_breakpoints)
    diagram.breakpointAsked.connect(control.asked)
    diagram.set_journey(J)
    control.set_journey(J, {})
    (add,) = [a for a in diagram.breakpoint_actions("notify", "timeoutOrError") if a.text() == "Add breakpoint"]
    add.trigger()
    (add,) = [a for a in diagram.breakpoint_actions("done", None) if a.text() == "Add breakpoint"]
    add.trigger()
    assert diagram.edges[("notify", "timeoutOrError")].breakpoint == "" and diagram.nodes["done"].breakpoint == ""
    assert "Breakpoint" in diagram.edges[("notify", "timeoutOrError")].toolTip()
    assert [p.describe() for p in control.breaks.points()] == ["edge notify -> timeoutOrError", "node done"]
    image = QImage(400, 200, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    diagram.scene().render(painter)  # the markers paint
    painter.end()
    diagram.set_journey(J)  # an edit redraws: the marks stay
    assert diagram.nodes["done"].breakpoint == "" and diagram.nodes["notify"].breakpoint is None
    (remove,) = [a for a in diagram.breakpoint_actions("done", None) if a.text() == "Remove breakpoint"]
    remove.trigger()
    assert diagram.nodes["done"].breakpoint is None and len(control.breaks.points()) == 1
    control.set_journey(journey(EVENT, notify(next_="failed", error=None), FAILED), {})  # no edge any more
    assert control.breaks.points() == []
