"""A section with a clickable title that folds its body away (the pane's building block)."""
from __future__ import annotations

from typing import Callable, Optional, Union

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from ui.focuschain import place_after


class CollapsibleSection(QWidget):
    """Title row (arrow + bold title + optional widgets on the right) above a foldable body.

    `body` may be a function making it: the section then starts folded and makes its body when first
    unfolded (a section most actions leave folded costs no widgets until it is opened)."""

    toggled = Signal(bool)

    def __init__(self, title: str, body: Union[QWidget, Callable[[], QWidget]], key: str,
                 parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"{key}Section")
        self._make_body = None if isinstance(body, QWidget) else body
        self.body: Optional[QWidget] = body if isinstance(body, QWidget) else None
        self._button = QToolButton(self)
        self._button.setObjectName(f"{key}SectionToggle")
        self._button.setText(title)
        self._expanded = True
        self._button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._button.setArrowType(Qt.ArrowType.DownArrow)
        self._button.setAutoRaise(True)
        self._button.setAccessibleName(f"{title} section")
        self._button.setToolTip(f"Show or hide “{title}”")
        font = self._button.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self._button.setFont(font)
        self._button.clicked.connect(lambda: self.set_expanded(not self._expanded))

        self.title_row = QHBoxLayout()
        self.title_row.setContentsMargins(0, 0, 0, 0)
        self.title_row.addWidget(self._button)
        self.title_row.addStretch(1)

        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(4)
        layout.addLayout(self.title_row)
        layout.addWidget(line)
        self._inner = QVBoxLayout()
        self._inner.setContentsMargins(18, 2, 4, 2)
        layout.addLayout(self._inner)
        if self.body is not None:
            self._place(self.body)
        else:
            self.set_expanded(False)

    def _place(self, body: QWidget) -> None:
        body.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._inner.addWidget(body)

    def built_body(self) -> QWidget:
        """The body, made now if it is made on first use (placed in the Tab order after the title)."""
        if self.body is None:
            assert self._make_body is not None
            body = self.body = self._make_body()
            self._place(body)  # into the section first: a widget shown then moved into a layout hides
            body.setVisible(self._expanded)
            place_after(self._button, body)
        return self.body

    def add_title_widget(self, widget: QWidget) -> None:
        """A small control beside the title (e.g. the auth mode combo)."""
        self.title_row.insertWidget(self.title_row.count() - 1, widget)

    def is_expanded(self) -> bool:
        return self._expanded

    def set_expanded(self, expanded: bool) -> None:
        if expanded == self._expanded:
            return
        self._expanded = expanded
        self._button.setAccessibleDescription("expanded" if expanded else "collapsed")
        self._button.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        if self.body is not None or expanded:
            self.built_body().setVisible(expanded)
        self.toggled.emit(expanded)
