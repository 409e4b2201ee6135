"""A section framed between two line edits, and the widgets Tab visits through it: the parts built on
first use (ui/focuschain.py) must take the place in the Tab order they had when built eagerly."""
from __future__ import annotations

from typing import Any, Callable, TypeVar

from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

W = TypeVar("W", bound=QWidget)


def framed(qtbot: Any, make: Callable[[QWidget], W]) -> tuple[QWidget, QLineEdit, W, QLineEdit]:
    """A shown host holding a "before" line edit, the widget `make(host)` builds, and an "after" one."""
    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    before, widget, after = QLineEdit(host), make(host), QLineEdit(host)
    before.setObjectName("before")
    after.setObjectName("after")
    for each in (before, widget, after):
        layout.addWidget(each)
    host.show()
    return host, before, widget, after


def tab_stops(qtbot: Any, host: QWidget, first: QWidget, last: QWidget, limit: int = 60) -> list[str]:
    """The widgets Tab visits from `first` to `last`, both included, by object name (or class)."""
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    seen: list[str] = []
    while len(seen) < limit:
        widget = QApplication.focusWidget()
        seen.append(widget.objectName() or type(widget).__name__)
        if widget is last:
            return seen
        host.focusNextChild()
    return seen
