"""The "Paste cURL" dialog. Callers use `curldialog.ask_curl(...)` so tests can replace it."""
from __future__ import annotations

from typing import Optional

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from ui import icons

HELP = ("Paste the token request as a curl command, e.g. from the Developer Console's "
        "“View cURL command”. Secrets (client_secret, password…) go to the keyring when you save.")


class CurlDialog(QDialog):
    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("pasteCurlDialog")
        self.setWindowTitle("Paste cURL")
        label = QLabel(HELP, self)
        label.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("curlText")
        self.text.setAccessibleName("curl command")
        self.text.setFont(icons.monospace_font())
        self.text.setPlaceholderText("curl -X POST 'https://…/token' -H '…' -d '…'")
        # Offered when the URL is a vendor's own host: as {{imsUrl}} the environment (the sandbox's
        # too) chooses the host; written out, only the real service can ever answer.
        self.use_variable = QCheckBox(self)
        self.use_variable.setObjectName("curlHostVariable")
        self.use_variable.setChecked(True)
        self.use_variable.setVisible(False)
        self.text.textChanged.connect(self._on_text_changed)
        clip = QGuiApplication.clipboard().text()
        if clip.lstrip().startswith("curl"):
            self.text.setPlainText(clip)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.use_variable)
        layout.addWidget(buttons)
        self.resize(640, 280)

    def _on_text_changed(self) -> None:
        from app.auth import host_offer

        offer = host_offer(self.text.toPlainText())
        self.use_variable.setVisible(offer is not None)
        if offer is not None:
            self.use_variable.setText(f"Write {offer.origin} as {offer.placeholder}")
            self.use_variable.setToolTip(f"Each environment then sets {offer.placeholder}: production the "
                                         "vendor's host, the sandbox environment the embedded sandbox")

    def command(self) -> str:
        """The command to import: with the vendor host as its variable when that is ticked."""
        from app.auth import use_host_variable

        text = self.text.toPlainText()
        if self.use_variable.isChecked() and not self.use_variable.isHidden():  # hidden: no vendor host
            text = use_host_variable(text)[0]
        return text


def ask_curl(parent: Optional[QWidget]) -> Optional[str]:
    """The pasted command, or None when cancelled."""
    dialog = CurlDialog(parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.text.toPlainText().strip():
            return dialog.command()
        return None
    finally:
        dialog.deleteLater()
