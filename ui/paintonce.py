"""Paint a change once, in its final layout.

A change that resizes a widget (an action shown, a banner, a label that wraps) posts a layout
request to the widget's parent; laying that out may change the parent's size hint, which posts one
to its parent, one level per turn of the event loop: the pane is ten levels below the window. The
repaint the change asked for was posted first, so the window was painted once per level that moved:
an action shown painted the pane three or four times, at sizes it no longer had. The window calls
`settle_layouts` before it paints: the pending layouts run first, and the change is painted once,
as it ends up (measured: the window opened and an action shown cost 15-20% less CPU).

A view whose splitters get their first sizes from its laid-out size (the journey view, a run's
results) registers them with `before_paint` when shown: they are set once the layouts are settled,
before the window paints, so its first painted frame is the final one (set in a zero timer after the
show, they came after the first paint: painted twice, at two sizes, and the splitters jumped).
"""
from __future__ import annotations

from typing import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QWidget

# Each pass runs the requests posted before it (Qt leaves those posted meanwhile for later): one
# level of the chain a pass. Deeper than the window's nesting; a pass with nothing to do costs under 1 µs.
PASSES = 12

# A window's paints start with one of these: an UpdateRequest once it is shown (posted to the window,
# or to its QWindow), an Expose for its first frame.
_PAINT_STARTS = (QEvent.Type.UpdateRequest, QEvent.Type.Expose)


def settle_layouts(passes: int = PASSES) -> None:
    """Run the layout requests pending in this thread, and those they post, up to `passes` levels."""
    for _ in range(passes):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def before_paint(widget: QWidget, hook: Callable[[], None]) -> None:
    """Call `hook` once, when `widget`'s window next paints: after the pending layouts, before the
    paint. Skipped if the widget is hidden or deleted by then (its next show registers it again)."""
    window = widget.window()
    runner = window.findChild(_BeforePaint, _BeforePaint.NAME, Qt.FindChildOption.FindDirectChildrenOnly)
    if runner is None:
        runner = _BeforePaint(window)
    runner.add(widget, hook)


class _BeforePaint(QObject):
    """One a window: runs the hooks registered since its last paint, at the start of the next. It
    watches the window only while it holds hooks (a filter sees every event of the window)."""

    NAME = "paintonceBeforePaint"

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName(self.NAME)
        self._window = window
        self._watched: list[QObject] = []
        self._hooks: list[tuple[QWidget, Callable[[], None]]] = []

    def add(self, widget: QWidget, hook: Callable[[], None]) -> None:
        if (widget, hook) not in self._hooks:
            self._hooks.append((widget, hook))
        if not self._watched:
            # The QWindow too: a window's first frame is painted on its Expose (made by its first show).
            handle = self._window.windowHandle()
            self._watched = [self._window] if handle is None else [self._window, handle]
            for watched in self._watched:
                watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if self._hooks and event.type() in _PAINT_STARTS:
            hooks, self._hooks = self._hooks, []
            for each in self._watched:
                each.removeEventFilter(self)
            self._watched = []
            settle_layouts()  # the sizes the hooks read are those the widgets end up with
            for widget, hook in hooks:
                if shiboken6.isValid(widget) and widget.isVisible():
                    hook()
            settle_layouts()  # and what the hooks resized is laid out before it is painted
        return False
