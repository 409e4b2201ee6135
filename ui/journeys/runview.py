"""The run side of a journey's view, assembled: the run bar above, the profile table and the
selected profile's trace side by side. The window hosts it beside the diagram, whose
filterRequested(kind, key) goes to `profiles.filter_to` and which takes `runbar.progressed`."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from app.journeys.model import Journey
from ui.journeys.profiles_view import ProfilesPane
from ui.journeys.runbar import RunBar
from ui.journeys.traceview import TraceView

if TYPE_CHECKING:
    from app.services import Services


class RunView(QWidget):
    def __init__(self, services: Services, journey: Journey, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("journeyRunView")
        self.runbar = RunBar(services, journey, self)
        self.profiles = ProfilesPane(self)
        self.trace = TraceView(services, self)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.profiles)
        split.addWidget(self.trace)
        split.setSizes([500, 700])  # the trace needs the room: steps, values, request and response
        layout = QVBoxLayout(self)
        layout.addWidget(self.runbar)
        layout.addWidget(split, 1)
        self.runbar.runOpened.connect(self.open_run)
        self.profiles.profileSelected.connect(self.trace.show_entry)

    def open_run(self, path: Path) -> None:
        self.trace.clear()
        self.profiles.open_run(path)
