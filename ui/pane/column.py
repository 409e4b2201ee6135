"""The pane's scrolling column: the four sections in the platform's order, each foldable, and the
way to a field a blocker names."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from ui.pane.collapsible import CollapsibleSection

# Where a blocker's path sends the focus (the first matching prefix wins).
FOCUS = (("name", "nameEdit"), ("description", "descriptionEdit"), ("endpoint.url", "urlEdit"),
         ("endpoint.method", "methodCombo"), ("endpoint.headers", "headersTable"),
         ("endpoint.query", "queryTable"), ("endpoint", "urlEdit"), ("auth", "authModeCombo"),
         ("request", "requestPayloadEdit"), ("response", "responsePayloadEdit"),
         ("errorResponse", "responsePayloadEdit"), ("allowNull", "payloadFieldsView"))
TITLES = {"name": "Name and description", "url": "URL configuration", "auth": "Authentication",
          "payload": "Payloads"}


class SectionColumn(QScrollArea):
    """`sections` maps "name", "url", "auth", "payload" to their CollapsibleSection."""

    def __init__(self, bodies: dict[str, QWidget], parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("paneScroll")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        column = QWidget(self)
        column.setObjectName("paneColumn")
        layout = QVBoxLayout(column)
        layout.setContentsMargins(12, 4, 12, 12)
        # Into the viewport while empty: setWidget reparents the column, and a column already holding
        # the sections (~150 widgets) was reparented widget by widget a second time (~1.5 ms a pane).
        self.setWidget(column)
        self.sections = {key: CollapsibleSection(TITLES[key], body, key, column) for key, body in bodies.items()}
        for section in self.sections.values():
            layout.addWidget(section)
        layout.addStretch(1)

    def focus_path(self, path: str) -> None:
        """Scroll to and focus the field a blocker names (e.g. 'endpoint.headers[2].name')."""
        target = next((name for prefix, name in FOCUS if path == prefix or path.startswith(prefix)), None)
        if target is None:
            return
        widget = self.findChild(QWidget, target)
        if widget is None:  # in a body made on first use (the query table): made now
            for box in self.findChildren(CollapsibleSection):
                box.built_body()
            widget = self.findChild(QWidget, target)
        if widget is None:
            return
        for section in self.sections.values():
            if section.isAncestorOf(widget):
                section.set_expanded(True)
        self.ensureWidgetVisible(widget, 50, 50)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def scroll_to(self, key: str) -> None:
        """Bring a section's title to the top."""
        section = self.sections[key]
        section.set_expanded(True)
        column = self.widget()
        if column is not None and column.layout() is not None:
            column.layout().activate()  # type: ignore[union-attr]
        self.verticalScrollBar().setValue(section.y())
        # Again once pending layout work is done (a section that just grew moves the others).
        QTimer.singleShot(0, self, lambda: self.verticalScrollBar().setValue(section.y()))
