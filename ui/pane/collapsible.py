"""A section with a clickable title that folds its body away (the pane's building block)."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QSizePolicy, QToolButton, QVBoxLayout, QWidget


class CollapsibleSection(QWidget):
    """Title row (arrow + bold title + optional widgets on the right) above a foldable body."""

    toggled = Signal(bool)

    def __init__(self, title: str, body: QWidget, key: str, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"{key}Section")
        self.body = body
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
        body.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        inner = QVBoxLayout()
        inner.setContentsMargins(18, 2, 4, 2)
        inner.addWidget(body)
        layout.addLayout(inner)

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
        self.body.setVisible(expanded)
        self.toggled.emit(expanded)
