"""The window's status area: the keyring banner above the list, and the status bar (messages with
their Undo link, the action count, the keyring in use). It listens to the message bridge itself."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from PySide6.QtCore import QAbstractItemModel, QObject, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMainWindow, QPushButton, QSizePolicy

from ui import icons, message
from ui.workers import run_in_background

if TYPE_CHECKING:
    from app.secrets import SecretStore
    from app.services import Services


def probe_keyring(secrets: "SecretStore") -> tuple[bool, str, Optional[str]]:
    """Worker: probing the keyring imports it and may talk to D-Bus (slow-ish)."""
    return secrets.available, secrets.backend_name, secrets.problem


class StatusArea(QObject):
    """Builds the banner (the window lays it out) and fills the window's status bar."""

    def __init__(self, window: QMainWindow, undo_stack: QUndoStack, actions: QAbstractItemModel) -> None:
        super().__init__(window)
        self._services: Optional["Services"] = None
        self._home: Optional[Path] = None
        self._actions = actions
        self._build_keyring_banner(window)
        self._build_status_bar(window, undo_stack)
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self._clear_message)
        message.bridge().shown.connect(self._on_message)
        message.bridge().retracted.connect(self.clear_message)
        message.bridge().undoOffered.connect(self._on_undo_offered)

    def _build_keyring_banner(self, window: QMainWindow) -> None:
        self.keyring_banner = QFrame(window)
        self.keyring_banner.setObjectName("keyringBanner")
        self.keyring_banner.setFrameShape(QFrame.Shape.StyledPanel)
        icon = QLabel(self.keyring_banner)
        icon.setPixmap(icons.icon("warning", "warning").pixmap(20, 20))
        self.keyring_text = QLabel(self.keyring_banner)
        self.keyring_text.setObjectName("keyringBannerText")
        self.keyring_text.setWordWrap(True)
        self.session_button = QPushButton("Use session-only storage", self.keyring_banner)
        self.session_button.setObjectName("sessionOnlyButton")
        self.session_button.setAccessibleName("Keep secrets in memory for this session only")
        self.session_button.clicked.connect(self.use_session_only)
        row = QHBoxLayout(self.keyring_banner)
        row.setContentsMargins(12, 6, 12, 6)
        row.addWidget(icon)
        row.addWidget(self.keyring_text, 1)
        row.addWidget(self.session_button)
        self.keyring_banner.hide()

    def _build_status_bar(self, window: QMainWindow, undo_stack: QUndoStack) -> None:
        bar = window.statusBar()
        self.status_message = QLabel(window)
        self.status_message.setObjectName("statusMessage")
        self.status_message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.undo_link = QPushButton("Undo", window)
        self.undo_link.setObjectName("statusUndoButton")
        self.undo_link.setFlat(True)
        self.undo_link.setAccessibleName("Undo the last operation")
        self.undo_link.clicked.connect(undo_stack.undo)
        self.undo_link.hide()
        self.count_status = QLabel(window)
        self.count_status.setObjectName("statusCount")
        self.keyring_status = QLabel("keyring: …", window)
        self.keyring_status.setObjectName("statusKeyring")
        bar.addWidget(self.status_message, 1)
        bar.addWidget(self.undo_link)
        bar.addPermanentWidget(self.count_status)
        bar.addPermanentWidget(self.keyring_status)
        for signal in (self._actions.rowsInserted, self._actions.rowsRemoved, self._actions.modelReset):
            signal.connect(self._update_count)

    def attach(self, services: "Services", home: Path) -> None:
        """The workspace is loaded: probe its keyring (in a worker) and show which one is in use."""
        self._services, self._home = services, home
        run_in_background(probe_keyring, services.secrets, owner=self, on_done=self._on_keyring)

    def stop(self) -> None:
        """The window is closing: messages are no longer shown here."""
        self._message_timer.stop()
        message.bridge().shown.disconnect(self._on_message)
        message.bridge().retracted.disconnect(self.clear_message)
        message.bridge().undoOffered.disconnect(self._on_undo_offered)

    # -- the keyring ----------------------------------------------------------------------------
    def _on_keyring(self, probe: tuple[bool, str, Optional[str]]) -> None:
        available, name, problem = probe
        self.keyring_status.setText(f"keyring: {name}")
        self.keyring_status.setToolTip("Where secrets are kept" if available else (problem or ""))
        if not available:
            self.keyring_text.setText(
                f"<b>No keyring is available</b>: {problem or 'secrets cannot be stored'}. Secrets are never "
                "written to disk in plain text. Keep them in memory for this session (they are forgotten on quit)?")
            self.keyring_banner.show()
        else:
            self.keyring_banner.hide()
        message.bridge().secretStoreChanged.emit()

    def use_session_only(self) -> None:
        services = self._services
        if services is None or self._home is None:
            return
        services.secrets.use_session_only()
        from app.sample import seed_sample_secrets

        if (self._home / "actions" / "writeJourneyEvent.json").exists():
            seed_sample_secrets(services.secrets)  # the sample's demo secrets, in memory this time
        message.warning("Secrets are kept in memory for this session only")
        self._on_keyring((True, services.secrets.backend_name, None))

    # -- messages -------------------------------------------------------------------------------
    def _on_message(self, level: str, text: str) -> None:
        self.undo_link.hide()
        self.status_message.setText(text)
        self.status_message.setToolTip(text)
        icons.tint(self.status_message, {"error": "error", "warning": "warning"}.get(level, ""))
        # A message is news, not state: it fades so a fixed problem is not still reported.
        self._message_timer.start(10_000 if level == "info" else 30_000)

    def clear_message(self) -> None:
        """Clear the message now (and its Undo link): the view it was about is no longer shown."""
        self._message_timer.stop()
        self.undo_link.hide()
        self._clear_message()

    def _clear_message(self) -> None:
        if not self.undo_link.isVisible():
            self.status_message.clear()
            self.status_message.setToolTip("")

    def _on_undo_offered(self, text: str) -> None:
        self._on_message("info", text)
        self.undo_link.show()

    def _update_count(self, *_: Any) -> None:
        n = self._actions.rowCount()
        self.count_status.setText(f"{n} action{'s' if n != 1 else ''}")
