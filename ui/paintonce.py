"""Paint a change once, in its final layout.

A change that resizes a widget (an action shown, a banner, a label that wraps) posts a layout
request to the widget's parent; laying that out may change the parent's size hint, which posts one
to its parent, one level per turn of the event loop: the pane is ten levels below the window. The
repaint the change asked for was posted first, so the window was painted once per level that moved
(three to five full paints of the pane per action shown, each ~5 ms of CPU, the scroll bars
alone ~1 ms). The window calls `settle_layouts` before it paints: the pending layouts run first,
and the change is painted once, as it ends up.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent

# Each pass runs the requests posted before it (Qt leaves those posted meanwhile for later): one
# level of the chain a pass. Deeper than the window's nesting; a pass with nothing to do costs ~1 µs.
PASSES = 12


def settle_layouts(passes: int = PASSES) -> None:
    """Run the layout requests pending in this thread, and those they post, up to `passes` levels."""
    for _ in range(passes):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
