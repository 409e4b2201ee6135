"""The window paints an action it shows once laid out (ui.paintonce): the pane's column is never
painted at the size the previous action gave it, nor at a size between the two."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from tests.ui.conftest import wait_idle
from tests.ui.test_mainwindow import select


class PaintedSizes(QObject):
    """Records the size a widget has each time it is painted while the pane shows `name`. Paints of the
    action shown before (its file is read in a worker after the click: a cursor blink or a hover in
    the column repaints it meanwhile, at its own size) are not the switch's."""

    def __init__(self, widget: QWidget, pane: Any, name: str) -> None:
        super().__init__(widget)
        self.pane, self.name = pane, name
        self.sizes: list[tuple[int, int]] = []
        self.every: list[tuple[str, tuple[int, int]]] = []  # every paint and what it showed: for the message
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            shown = self.pane.action()
            self.every.append((shown.name if shown is not None else "", watched.size().toTuple()))
            if shown is not None and shown.name == self.name:
                self.sizes.append(watched.size().toTuple())
        return False


def test_an_action_shown_is_painted_in_its_final_layout_only(qtbot: Any, window: Any) -> None:
    column = window.findChild(QWidget, "paneColumn")
    resolved = window.pane.url.resolved
    qtbot.waitUntil(lambda: "127.0.0.1" in resolved.text(), timeout=15000)  # resolved once shown (a worker)
    # Each a different height; its URL resolved (a worker, a moment after it is shown) before the next.
    for name, path in (("notifyWebhook", "/echo/notify"), ("writeJourneyEvent", "/collection/sample-inlet"),
                       ("airshipCustomEvent", "/api/custom-events")):
        painted = PaintedSizes(column, window.pane, name)
        before = column.size().toTuple()
        select(qtbot, window, name)
        qtbot.waitUntil(lambda p=path: p in resolved.text(), timeout=15000)
        wait_idle(qtbot)
        qtbot.waitUntil(lambda p=painted: bool(p.sizes))
        assert column.size().toTuple() != before  # the action changed the column's layout
        assert set(painted.sizes) == {column.size().toTuple()}, f"{name}: painted at {painted.every}"
        column.removeEventFilter(painted)
