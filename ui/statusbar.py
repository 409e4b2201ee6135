"""The window's status area: the keyring banner above the list, and the status bar (messages with
their Undo link, the action count, the keyring in use). A mixin of `MainWindow`."""
from __future__ import annotations

from typing import Any, Optional

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy

from ui import icons, message


class StatusMixin:
    """Keyring banner and status bar widgets, and the slots that keep them current."""

    def _build_keyring_banner(self) -> None:
        self.keyring_banner = QFrame(self)
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

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_message = QLabel(self)
        self.status_message.setObjectName("statusMessage")
        self.status_message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.undo_link = QPushButton("Undo", self)
        self.undo_link.setObjectName("statusUndoButton")
        self.undo_link.setFlat(True)
        self.undo_link.setAccessibleName("Undo the last operation")
        self.undo_link.clicked.connect(self.undo_stack.undo)
        self.undo_link.hide()
        self.count_status = QLabel(self)
        self.count_status.setObjectName("statusCount")
        self.keyring_status = QLabel("keyring: …", self)
        self.keyring_status.setObjectName("statusKeyring")
        bar.addWidget(self.status_message, 1)
        bar.addWidget(self.undo_link)
        bar.addPermanentWidget(self.count_status)
        bar.addPermanentWidget(self.keyring_status)
        for signal in (self.list.model.rowsInserted, self.list.model.rowsRemoved, self.list.model.modelReset):
            signal.connect(self._update_count)

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
        if self.services is None:
            return
        self.services.secrets.use_session_only()
        from app.sample import seed_sample_secrets

        if (self.home / "actions" / "writeJourneyEvent.json").exists():
            seed_sample_secrets(self.services.secrets)  # the sample's demo secrets, in memory this time
        message.warning("Secrets are kept in memory for this session only")
        self._on_keyring((True, self.services.secrets.backend_name, None))

    def _on_message(self, level: str, text: str) -> None:
        self.undo_link.hide()
        self.status_message.setText(text)
        self.status_message.setToolTip(text)
        icons.tint(self.status_message, {"error": "error", "warning": "warning"}.get(level, ""))
        # A message is news, not state: it fades so a fixed problem is not still reported.
        if not hasattr(self, "_message_timer"):
            self._message_timer = QTimer(self, singleShot=True, timeout=self._clear_message)
        self._message_timer.start(10_000 if level == "info" else 30_000)

    def _clear_message(self) -> None:
        if not self.undo_link.isVisible():
            self.status_message.clear()
            self.status_message.setToolTip("")

    def _on_undo_offered(self, text: str) -> None:
        self._on_message("info", text)
        self.undo_link.show()

    def _update_count(self, *_: Any) -> None:
        n = self.list.model.rowCount()
        self.count_status.setText(f"{n} action{'s' if n != 1 else ''}")


def probe_keyring(secrets: Any) -> tuple[bool, str, Optional[str]]:
    """Worker: probing the keyring imports it and may talk to D-Bus (slow-ish)."""
    return secrets.available, secrets.backend_name, secrets.problem
