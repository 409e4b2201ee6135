"""An unexpected exception in the window: a report saved in the log folder, a dialog saying what
happened and where the report is, and the window running on (Qt calls `sys.excepthook` for an
exception raised in a slot or an event handler, then carries on with the event loop).

The report and the dialog go through `app.masking.mask_text`, as the log does: no secret in either.
"""
from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Optional

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from app.masking import mask_text
from app.version import __version__

_log = logging.getLogger(__name__)
MAX_DIALOGS = 1  # a failure repeated by every paint is reported once on screen (each one is logged)


class CrashReporter:
    """`sys.excepthook` while the window runs (`install` / `uninstall`)."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        self._parent = parent
        self._previous = sys.excepthook
        self.dialogs: list[QMessageBox] = []
        self.reports: list[Path] = []

    def install(self) -> "CrashReporter":
        self._previous, sys.excepthook = sys.excepthook, self.hook
        self._previous_thread, threading.excepthook = threading.excepthook, self.thread_hook
        return self

    def uninstall(self) -> None:
        if sys.excepthook == self.hook:
            sys.excepthook = self._previous
        if threading.excepthook == self.thread_hook:
            threading.excepthook = self._previous_thread

    def thread_hook(self, args: "threading.ExceptHookArgs") -> None:
        """A thread of ours that is not a worker died: a report and a log line; no dialog (widgets
        belong to the GUI thread), the window's own parts report what they lose."""
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        try:
            text = mask_text("".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)))
            path = save_report(text)
            self.reports.append(path)
            _log.error("unexpected error in thread %s, report saved to %s\n%s",
                       args.thread.name if args.thread else "?", path, text)
        except Exception:  # noqa: BLE001 - never raise from the hook
            self._previous_thread(args)

    def hook(self, kind: type[BaseException], exc: BaseException, tb: Optional[TracebackType]) -> None:
        if issubclass(kind, KeyboardInterrupt):  # Ctrl+C in the terminal: Python's own ending
            self._previous(kind, exc, tb)
            return
        try:
            self.report(exc, tb)
        except Exception:  # noqa: BLE001 - the hook must never raise: print what Python would
            self._previous(kind, exc, tb)

    def report(self, exc: BaseException, tb: Optional[TracebackType] = None) -> Path:
        """Save the report, log it, show the dialog (once at a time); the report's path."""
        text = mask_text("".join(traceback.format_exception(type(exc), exc, tb or exc.__traceback__)))
        path = save_report(text)
        self.reports.append(path)
        _log.error("unexpected error, report saved to %s\n%s", path, text)
        self.dialogs = [d for d in self.dialogs if d.isVisible()]
        if len(self.dialogs) < MAX_DIALOGS:
            self.dialogs.append(show_dialog(self._parent, f"{type(exc).__name__}: {mask_text(str(exc))}", path, text))
        return path


def save_report(text: str) -> Path:
    """crash-<time>.txt in the log folder (the temp folder when that cannot be written)."""
    import tempfile

    from app import atomic
    from app.logs import log_dir

    name = f"crash-{datetime.now().strftime('%Y%m%d-%H%M%S-%f')}.txt"
    body = (f"Action Studio {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
            f"{datetime.now().isoformat(timespec='seconds')}\n\n{text}")
    for folder in (log_dir(), Path(tempfile.gettempdir())):
        try:
            atomic.write_bytes(folder / name, body.encode("utf-8"))
            return folder / name
        except OSError:
            continue
    raise OSError("no folder to save the report in")


def show_dialog(parent: Optional[QWidget], what: str, path: Path, details: str) -> QMessageBox:
    """Non-modal: the window stays usable behind it."""
    box = QMessageBox(parent)
    box.setObjectName("crashDialog")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Action Studio: unexpected error")
    box.setText(f"Something went wrong: {what}")
    box.setInformativeText(f"The window keeps running; save your work. A report (no secrets in it) was saved "
                           f"to:\n{path}\nPlease attach it when you report the problem.")
    box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    folder = box.addButton("Open the report's folder", QMessageBox.ButtonRole.ActionRole)
    folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))))
    box.setModal(False)
    box.show()
    return box
