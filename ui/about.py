"""The application icon (window, About, launcher: one set of files) and the About dialog."""
from __future__ import annotations

import platform
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.desktop import ICON_DIR, ICON_NAME, PNG_SIZES
from app.version import __version__


def app_icon() -> QIcon:
    """The application icon: the PNG sizes for small sizes (hinted by hand), the SVG for the rest.
    Files are read when Qt first paints the icon, not here (start-up stays cheap)."""
    icon = QIcon(str(ICON_DIR / f"{ICON_NAME}.svg"))
    for size in PNG_SIZES:
        icon.addFile(str(ICON_DIR / f"{ICON_NAME}-{size}.png"))
    return icon


def about_dialog(parent: QWidget, home: Path) -> QDialog:
    """Icon, name and version, what it is for, and where things are (workspace, log folder)."""
    from PySide6 import __version__ as pyside

    from app.logs import log_dir

    dialog = QDialog(parent)
    dialog.setObjectName("aboutDialog")
    dialog.setWindowTitle("About Action Studio")
    icon = QLabel(dialog)
    icon.setObjectName("aboutIcon")
    icon.setPixmap(app_icon().pixmap(96, 96))
    icon.setAlignment(Qt.AlignmentFlag.AlignTop)
    title = QLabel(f"<h2>Action Studio</h2><p>Version {__version__}</p>", dialog)
    title.setObjectName("aboutTitle")
    text = QLabel(
        "A native desktop studio for journey custom actions: configure them as the platform does, test "
        "their authentication, send events, and run journeys offline against a local sandbox.", dialog)
    text.setWordWrap(True)
    where = QLabel(f"Workspace: {home}<br>Log folder: {log_dir()}<br>"
                   f"Python {platform.python_version()} · Qt for Python {pyside}", dialog)
    where.setTextFormat(Qt.TextFormat.RichText)
    where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    where.setWordWrap(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    column = QVBoxLayout()
    for widget in (title, text, where):
        column.addWidget(widget)
    row = QHBoxLayout()
    row.addWidget(icon)
    row.addLayout(column, 1)
    layout = QVBoxLayout(dialog)
    layout.addLayout(row)
    layout.addWidget(buttons)
    dialog.setMinimumWidth(520)
    return dialog
