"""Where the pane gets its Authentication and Payloads sections (written in ui/auth, ui/payload).

`section_classes()` is the one hook: tests may replace it with stand-ins. When a section's module
is not installed the pane shows a plain notice instead, so the window still opens.
"""
from __future__ import annotations

from typing import Any, Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class UnavailableSection(QWidget):
    """Stands in for a section whose module is missing: shows why, leaves the action unchanged."""

    changed = Signal()

    def __init__(self, services: Any, parent: Optional[QWidget] = None, what: str = "section") -> None:
        super().__init__(parent)
        label = QLabel(f"The {what} editor is not available in this build.", self)
        label.setEnabled(False)
        QVBoxLayout(self).addWidget(label)

    def set_action(self, action: Any) -> None:
        pass

    def apply_to(self, action: Any) -> Any:
        return action

    def pending_secrets(self) -> dict[str, str]:
        return {}

    def problems(self) -> list[str]:
        return []

    def set_locked(self, locked: bool, reason: str) -> None:
        pass

    def set_method(self, method: str) -> None:
        pass


def _load(module: str, name: str, what: str) -> Any:
    try:
        mod = __import__(module, fromlist=[name])
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise  # a real bug inside the section's module: let it surface
        return lambda services, parent=None: UnavailableSection(services, parent, what)
    return getattr(mod, name)


def section_classes() -> tuple[Any, Any]:
    """(AuthSection, PayloadSection) constructors: (services, parent) -> widget."""
    return (_load("ui.auth.section", "AuthSection", "authentication"),
            _load("ui.payload.section", "PayloadSection", "payload"))
