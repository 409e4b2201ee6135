"""The window's Journeys part: the list of the workspace's journeys (a tab beside the actions) and
the page the right-hand area shows in place of the action pane (the selected journey's view).

The list is filled once the workspace is loaded (`attach`) and its tab is shown; the view is built the first time it is
needed (`ensure_view`: the Journeys tab shown, a journey chosen), so a window that never shows a
journey pays neither its widgets nor its imports. The list is read in a worker and read again each
time the workspace watcher has read the disk (and when the open journey's file is written in
place, which changes no folder), so journeys added, removed or changed by the command line appear.
An open journey whose file changed on disk is reopened unless the editor holds changes; with
changes, the window says so and the save asks what to keep (ui.journeys.editor)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QStackedWidget, QWidget

from ui import icons, message
from ui.journeys.journeylist import JourneyList
from ui.wraplabel import KeptHeightLabel

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
        self.empty = KeptHeightLabel("Select a journey in the list to see its diagram, run it and edit it", self.page)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        icons.tint(self.empty, "quiet")
        self.page.addWidget(self.empty)
        self.view: Optional["JourneyView"] = None
        self.services: Any = None
        self._warned: tuple[str, Optional[str]] = ("", None)  # (file, stamp) the user was last told about
        self._saves = 0  # the editor's saves so far: each list read is tagged with it
        self._file = QFileSystemWatcher(self)  # the open journey's file: an editor may write it in place
        self._file.fileChanged.connect(self._file_changed)
        self._read = False  # the list was read (or is being read) at least once
        self.list.journeyChosen.connect(self.open)
        self.list.listed.connect(self._listed)
        self.list.shown.connect(lambda: None if self._read else self.reload())

    def attach(self, services: Any) -> None:
        """The workspace is loaded: its journeys are read now if their tab is shown, else when it first is
        (a window used for actions only never reads journeys/: ~2 ms of a worker's CPU at each open)."""
        self.services = services
        if self.list.isVisibleTo(self.list.window()):
            self.reload()

    def ensure_view(self) -> Optional["JourneyView"]:
        """The journey view, built now if it was not yet (None until the workspace is loaded)."""
        if self.view is None and self.services is not None:
            from ui.journeys.journeyview import JourneyView  # its imports cost more than the window's first paint

            self.view = JourneyView(self.services, self.undo_stack, self.page)
            self.view.opened.connect(self.shown)
            self.view.opened.connect(lambda _name: self._watch())
            self.view.editor.saved.connect(self._saved)
            self.page.addWidget(self.view)
        return self.view

    def reload(self, *_: Any) -> None:
        if self.services is not None:
            self._read = True
            self.list.reload(self.services.workspace.home, self._saves)

    def _saved(self, _path: Path) -> None:
        self._saves += 1  # a read started before is stale: it may miss (or predate) the file just written
        self._watch()

    def open(self, name: str, path: Path) -> None:
        view = self.ensure_view()
        if view is None:
            return
        self.page.setCurrentWidget(view)
        view.open(path)

    def _listed(self) -> None:
        """The list was read again: follow what happened to the open journey's file."""
        view = self.view
        if view is None or view.path is None or view.editor.saving:
            return
        if self.list.tag != self._saves:
            self.reload()
            return
        key = str(view.path)
        stamp = self.list.stamps.get(key)
        if stamp == view.editor.stamp:
            return
        what = "deleted" if stamp is None else "changed"
        if view.is_dirty():
            if self._warned != (key, stamp):
                self._warned = (key, stamp)
                message.warning(f"{view.path.name} was {what} outside the window; saving will ask what to keep")
        elif stamp is None:
            self.page.setCurrentWidget(self.empty)
            self.empty.setText(f"{view.path.name} was deleted outside the window")
        else:
            view.open(view.path)
            message.info(f"Reloaded {view.path.stem}: it was changed outside the window")

    def _watch(self) -> None:
        """Watch the open journey's file (an atomic write replaces it: watched again on each open and save)."""
        if self._file.files():
            self._file.removePaths(self._file.files())
        if self.view is not None and self.view.path is not None and self.view.path.exists():
            self._file.addPath(str(self.view.path))

    def _file_changed(self, path: str) -> None:
        if Path(path).exists() and path not in self._file.files():
            self._file.addPath(path)
        self.reload()

    def stop(self) -> None:
        """The window is closing: a run still going stops and finishes its trace before the app ends."""
        if self._file.files():
            self._file.removePaths(self._file.files())
        if self.view is not None:
            self.view.stop()
        # Imported by the run bar when a run starts, not here: its imports cost more than the window's
        # first paint. Not imported yet: no run was started.
        runprocess = sys.modules.get("ui.journeys.runprocess")
        if runprocess is not None:
            runprocess.finish_all()

