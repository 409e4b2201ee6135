"""The "Paste cURL" dialog. Callers use `curldialog.ask_curl(...)` so tests can replace it."""
from __future__ import annotations

from typing import Optional

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

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
        layout.addWidget(buttons)
        self.resize(640, 280)


def ask_curl(parent: Optional[QWidget]) -> Optional[str]:
    """The pasted command, or None when cancelled."""
    dialog = CurlDialog(parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.text.toPlainText().strip():
            return dialog.text.toPlainText()
        return None
    finally:
        dialog.deleteLater()
