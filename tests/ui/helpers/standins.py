"""Tiny stand-ins with the AuthSection / PayloadSection interface (for pane tests that must not
depend on the real sections' behaviour)."""
from __future__ import annotations

from typing import Any, Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QVBoxLayout, QWidget


class StandInAuth(QWidget):
    changed = Signal()

    def __init__(self, services: Any, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.mode = QComboBox(self)
        self.mode.setObjectName("authModeCombo")
        self.mode.addItems(["none", "basic"])
        QVBoxLayout(self).addWidget(self.mode)
        self._auth: Any = None
        self.mode.activated.connect(self._on_mode)

    def _on_mode(self, _: int) -> None:
        from app.model import BasicAuth, NoAuth

        self._auth = BasicAuth(username="u") if self.mode.currentText() == "basic" else NoAuth()
        self.changed.emit()

    def set_action(self, action: Any) -> None:
        self._auth = action.auth
        self.mode.setCurrentText("basic" if action.auth.type == "basic" else "none")

    def apply_to(self, action: Any) -> Any:
        return action.model_copy(update={"auth": self._auth}) if self._auth is not None else action

    def pending_secrets(self) -> dict[str, str]:
        return {}

    def problems(self) -> list[str]:
        return []

    def can_test(self) -> bool:
        return False

    def test_authentication(self) -> None:
        raise AssertionError("the pane asks can_test() first")


class StandInPayload(QWidget):
    changed = Signal()

    def __init__(self, services: Any, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.locked: tuple[bool, str] = (False, "")
        self.method = "POST"

    def set_action(self, action: Any) -> None:
        self._action = action

    def apply_to(self, action: Any) -> Any:
        return action

    def pending_secrets(self) -> dict[str, str]:
        return {}

    def problems(self) -> list[str]:
        return []

    def set_locked(self, locked: bool, reason: str) -> None:
        self.locked = (locked, reason)

    def set_method(self, method: str) -> None:
        self.method = method
