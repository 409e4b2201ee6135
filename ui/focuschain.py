"""Tab order for widgets built on first use (a page of a stack, a tab): Qt appends a widget created
late at the end of its window's focus chain, after every widget of the window; `place_after` puts
it back where it would be had it been built with the others."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def built_together(first: QWidget) -> list[QWidget]:
    """`first` and its descendants, in focus-chain order: a widget and its children built at once
    follow each other in the chain. Only that run is walked, never the whole window's chain."""
    out, widget = [first], first.nextInFocusChain()
    while widget is not None and widget is not first and first.isAncestorOf(widget):
        out.append(widget)
        widget = widget.nextInFocusChain()
    return out


def place_after(before: QWidget, *built: QWidget) -> None:
    """Move the tab stops of the widgets `built` (each with its descendants; in this order, each keeping
    its own) right after `before`'s last one."""
    def inside(widget: QWidget) -> bool:
        return any(root is widget or root.isAncestorOf(widget) for root in built)

    anchor = [w for w in built_together(before) if w.focusPolicy() & Qt.FocusPolicy.TabFocus and not inside(w)]
    if not anchor:
        return
    moved = [w for root in built for w in built_together(root) if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    previous = anchor[-1]
    for widget in moved:
        QWidget.setTabOrder(previous, widget)
        previous = widget
