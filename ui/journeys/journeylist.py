"""The workspace's journeys, listed beside the actions (objectName `journeyList`): one row per
journey file, a file that does not load shown with its reason. Selecting a row asks to open it.
The files are listed off the UI thread (`reload`), again whenever the workspace changes on disk."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ui import icons
from ui.workers import run_in_background

if TYPE_CHECKING:  # the journey model imports pydantic: read in the worker, not before the first paint
    from app.journeys.files import JourneyEntry

PathRole = Qt.ItemDataRole.UserRole + 1


class JourneyList(QWidget):
    journeyChosen = Signal(str, object)  # name, file path
    listed = Signal()  # a reload finished (tests and the window wait on it)
    shown = Signal()  # its tab was shown

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.home: Optional[Path] = None
        self.entries: list[JourneyEntry] = []
        self.stamps: dict[str, Optional[str]] = {}  # file path -> its stamp (app.journeys.stamped), as last read
        self.tag: object = None  # what the caller of the last read's reload() gave
        self.caption = QLabel("Journeys of the workspace", self)
        self.caption.setObjectName("journeyListCaption")
        self.list = QListWidget(self)
        self.list.setObjectName("journeyList")
        self.list.setAccessibleName("Journeys")
        self.caption.setBuddy(self.list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.caption)
        layout.addWidget(self.list, 1)
        self.list.currentItemChanged.connect(self._chosen)
        self._quiet = False

    def reload(self, home: Path, tag: object = None) -> None:
        """Read the folder again; `tag` comes back as `self.tag` with this read's result."""
        self.home = Path(home)
        run_in_background(_read, self.home, on_done=lambda read: self._listed(read, tag), owner=self)

    def _listed(self, read: tuple[list[JourneyEntry], dict[str, Optional[str]]], tag: object = None) -> None:
        (entries, self.stamps), self.tag = read, tag
        current = self.current_name()
        self._quiet = True
        self.entries = entries
        try:
            self.list.clear()
            for entry in entries:
                item = QListWidgetItem(entry.name, self.list)
                item.setData(PathRole, str(entry.path))
                if entry.journey is None:
                    item.setIcon(icons.icon("warning", "warning"))
                    item.setToolTip(f"{entry.path.name} does not load: {entry.problem}")
                else:
                    item.setIcon(icons.icon("journey"))
                    item.setToolTip(entry.journey.description or entry.name)
                if entry.name == current:
                    self.list.setCurrentItem(item)
        finally:
            self._quiet = False
        self.caption.setText(f"{len(entries)} journe{'y' if len(entries) == 1 else 'ys'} in journeys/"
                             if entries else "No journey in this workspace (journeys/*.json)")
        self.listed.emit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.shown.emit()

    def current_name(self) -> str:
        item = self.list.currentItem()
        return item.text() if item is not None else ""

    def names(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def select(self, name: str) -> None:
        """Select (and so open) a journey by name."""
        found = self.list.findItems(name, Qt.MatchFlag.MatchExactly)
        if found:
            self.list.setCurrentItem(found[0])

    def _chosen(self, item: Optional[QListWidgetItem], _previous: Optional[QListWidgetItem]) -> None:
        if item is not None and not self._quiet:
            self.journeyChosen.emit(item.text(), Path(item.data(PathRole)))


def _read(home: Path) -> tuple[list[JourneyEntry], dict[str, Optional[str]]]:
    """Worker: the journeys and their files' stamps (to tell a change on disk from what the view shows)."""
    from app.journeys.files import list_journeys
    from app.journeys.stamped import file_stamp

    entries = list_journeys(home)
    return entries, {str(entry.path): file_stamp(entry.path) for entry in entries}
