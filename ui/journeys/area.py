"""The window's Journeys part: the list of the workspace's journeys (a tab beside the actions) and
the page the right-hand area shows in place of the action pane (the selected journey's view).

Built once the workspace is loaded (`attach`); the list is read in a worker and read again each
time the workspace watcher has read the disk, so journeys added, removed or changed by the command
line appear. An open journey that changed on disk is reopened unless the editor holds changes."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QStackedWidget, QWidget

from ui.journeys.journeylist import JourneyList

if TYPE_CHECKING:
    from ui.journeys.journeyview import JourneyView


class JourneysArea(QObject):
    shown = Signal(str)  # a journey opened in the view (its name)

    def __init__(self, undo_stack: QUndoStack, parent: QWidget) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.list = JourneyList(parent)
        self.page = QStackedWidget(parent)
        self.page.setObjectName("journeyPage")
        self.empty = QLabel("Select a journey in the list to see its diagram, run it and edit it", self.page)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setEnabled(False)
        self.page.addWidget(self.empty)
        self.view: Optional["JourneyView"] = None
        self.services: Any = None
        self._stamps: dict[str, Optional[int]] = {}  # file -> the stamp the view shows (None: our save, take the next)
        self.list.journeyChosen.connect(self.open)
        self.list.listed.connect(self._listed)

    def attach(self, services: Any) -> None:
        from ui.journeys.journeyview import JourneyView  # the view's imports cost more than the window's first paint

        self.services = services
        self.view = JourneyView(services, self.undo_stack, self.page)
        self.view.opened.connect(self.shown)
        self.view.opened.connect(lambda _name: self._remember())
        self.view.editor.saved.connect(lambda path: self._stamps.__setitem__(str(path), None))
        self.page.addWidget(self.view)
        self.reload()

    def reload(self, *_: Any) -> None:
        if self.services is not None:
            self.list.reload(self.services.workspace.home)

    def open(self, name: str, path: Path) -> None:
        if self.view is None:
            return
        self.page.setCurrentWidget(self.view)
        self.view.open(path)

    def _listed(self) -> None:
        """The list was read again: follow what happened to the open journey's file."""
        view = self.view
        if view is None or view.path is None:
            return
        key = str(view.path)
        stamp = self.list.stamps.get(key)
        if view.editor.saving:
            return
        if stamp is None:
            self.page.setCurrentWidget(self.empty)
            self.empty.setText(f"{view.path.name} was deleted outside the window")
            return
        if self._stamps.get(key) is None:
            self._stamps[key] = stamp  # our own save now on disk (or the first stamp seen)
        elif self._stamps[key] != stamp and not view.is_dirty():
            view.open(view.path)

    def _remember(self) -> None:
        """The stamp of the file the view shows, as last listed: a later one was written by someone else."""
        if self.view is not None and self.view.path is not None:
            key = str(self.view.path)
            if key in self.list.stamps:
                self._stamps[key] = self.list.stamps[key]

    def stop(self) -> None:
        if self.view is not None:
            self.view.stop()

