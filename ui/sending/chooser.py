"""The send panel's action chooser: a combo box that follows the workspace's names, loads the chosen
action off the UI thread, and says so when the chosen action has vanished (never a traceback, never
the previously chosen action standing in for it)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox

from app.calls import events
from app.model import Action
from app.store import StoreError
from ui.sending.templates import default_body
from ui.workers import run_in_background

if TYPE_CHECKING:
    from app.services import Services


@dataclass(frozen=True)
class Chosen:
    action: Action
    body: Any  # what a raw JSON composer starts from (None for the templates)


def _load(services: Services, name: str) -> Chosen:
    """Worker: the action as stored now and, for raw JSON, its example body with the values resolved."""
    action = services.workspace.load(name)
    if events.kind_of(action) != "raw":
        return Chosen(action, None)
    try:
        resolver = services.resolver()
    except StoreError:  # a broken environments.json: the example as it is (the window names the file)
        resolver = None
    return Chosen(action, default_body(action, resolver))


class ActionChooser(QObject):
    """Owns the combo's items; `chosen` carries the loaded `Chosen`, or None while loading or gone."""

    chosen = Signal(object)
    vanished = Signal(str)  # why the chosen action cannot be used (it is no longer in the workspace)

    def __init__(self, services: Services, combo: QComboBox) -> None:
        super().__init__(combo)
        self.services = services
        self.combo = combo
        self._generation = 0  # a late load of an earlier choice is dropped
        self._wanted = ""  # the window's action, chosen as soon as it is listed (a rename, a new action)
        self.combo.currentTextChanged.connect(self._on_chosen)

    def current_name(self) -> str:
        return self.combo.currentText()

    def set_names(self, names: list[str]) -> None:
        """New items, the choice kept when it still exists; a chosen action that vanished is reported."""
        if names == [self.combo.itemText(i) for i in range(self.combo.count())]:
            return
        current = self.combo.currentText()
        target = self._wanted if self._wanted in names else current if current in names else ""
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItems(names)
        self.combo.setCurrentIndex(self.combo.findText(target) if target else (-1 if current else 0))
        self.combo.blockSignals(False)
        if target != current or not current:
            self._on_chosen(self.combo.currentText())
        if current and not target:
            self.vanished.emit(f"“{current}” is no longer in the workspace: choose another action")

    def choose(self, name: str) -> None:
        """Follow the window's selection; a name not listed yet (renamed, new) is chosen once it is."""
        self._wanted = name
        index = self.combo.findText(name)
        if index >= 0 and name != self.combo.currentText():
            self.combo.setCurrentIndex(index)

    def reload(self, names: list[str]) -> None:
        """The named actions changed (saved in the window or on disk): reload the chosen one if listed."""
        current = self.combo.currentText()
        if current and current in names:
            self._on_chosen(current)

    def _on_chosen(self, name: str) -> None:
        if name != self._wanted:
            self._wanted = ""  # the user picked another action in the panel: keep it
        self._generation += 1
        generation = self._generation
        self.chosen.emit(None)  # nothing can be sent until the choice is loaded
        if not name:
            return

        def loaded(choice: Chosen) -> None:
            if generation == self._generation:
                self.chosen.emit(choice)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.vanished.emit(f"“{name}” cannot be used: {exc}")

        run_in_background(_load, self.services, name, on_done=loaded, on_error=failed, owner=self.combo)

