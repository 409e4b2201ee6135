"""One place for messages to the user: the status bar listens, domain-side callers just report.

Like qutebrowser's message bridge: `message.info("Saved x")`, `message.error("...")`. Tests read
`bridge().history` or connect to its signals.
"""
from __future__ import annotations

from typing import Callable, Optional

from PySide6.QtCore import QObject, Signal


class MessageBridge(QObject):
    """Carries messages (level, text) to whoever shows them (the main window's status bar)."""

    shown = Signal(str, str)  # level ("info" | "warning" | "error"), text
    undoOffered = Signal(str)  # text of an undo offer ("Deleted x"); the window shows an Undo link
    # The secret store was probed or switched to session-only: hints saying where secrets live refresh.
    secretStoreChanged = Signal()
    retracted = Signal()  # the message on show reported something that is gone: whoever shows it clears it

    def __init__(self) -> None:
        super().__init__()
        self.history: list[tuple[str, str]] = []
        self._about = ""  # what the last message is about, when its sender may take it back

    def show(self, level: str, text: str, about: str = "") -> None:
        self.history.append((level, text))
        del self.history[:-200]
        self._about = about
        self.shown.emit(level, text)

    def retract(self, about: str) -> None:
        """Take back the last message if it is about `about` (e.g. the unsaved problems of an action
        the pane no longer shows); a newer message about anything else stays."""
        if about and self._about == about:
            self._about = ""
            self.retracted.emit()

    def last(self) -> Optional[tuple[str, str]]:
        return self.history[-1] if self.history else None


_bridge: Optional[MessageBridge] = None


def bridge() -> MessageBridge:
    global _bridge
    if _bridge is None:
        _bridge = MessageBridge()
    return _bridge


def info(text: str) -> None:
    bridge().show("info", text)


def warning(text: str) -> None:
    bridge().show("warning", text)


def error(text: str, about: str = "") -> None:
    """`about`: a tag the sender may later pass to `retract` when what it reports is gone."""
    bridge().show("error", text, about)


def retract(about: str) -> None:
    bridge().retract(about)


def offer_undo(text: str) -> None:
    """Show `text` with an Undo link in the status bar (Ctrl+Z does the same)."""
    bridge().history.append(("info", text))
    bridge()._about = ""
    bridge().undoOffered.emit(text)


def failure(what: str) -> Callable[[BaseException], None]:
    """A worker's error callback: the failure goes to the status bar as "what: reason"."""
    return lambda exc: error(f"{what}: {exc}")
