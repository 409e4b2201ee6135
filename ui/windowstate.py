"""What the window remembers between runs: geometry, the list/pane split, the list's columns and
the last action shown per workspace. Kept in QSettings outside any workspace."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Optional

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

SETTINGS_ENV = "ACTION_STUDIO_SETTINGS"


def open_settings(path: Optional[str | Path] = None) -> QSettings:
    """Window state lives outside any workspace: the user config dir, or `path` / $ACTION_STUDIO_SETTINGS."""
    path = path or os.environ.get(SETTINGS_ENV)
    if path:
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "ActionStudio", "ActionStudio")


class WindowState:
    """Restores and saves the window's layout; `last_action` is per workspace."""

    def __init__(self, settings: QSettings, home: Path) -> None:
        self._settings = settings
        # Per-workspace key for the last action shown (a hash: paths make poor INI keys).
        self._last_key = "last/" + hashlib.sha1(str(home.resolve()).encode()).hexdigest()[:12]

    def restore(self, window: QMainWindow, splitter: QSplitter, header: QHeaderView) -> None:
        for key, restore in (("window/geometry", window.restoreGeometry), ("window/splitter", splitter.restoreState),
                             ("list/header", header.restoreState)):
            value = self._settings.value(key)
            if isinstance(value, QByteArray) and not value.isEmpty():
                restore(value)

    def save(self, window: QMainWindow, splitter: QSplitter, header: QHeaderView, last_action: str) -> None:
        s = self._settings
        s.setValue("window/geometry", window.saveGeometry())
        s.setValue("window/splitter", splitter.saveState())
        s.setValue("list/header", header.saveState())
        if last_action:
            s.setValue(self._last_key, last_action)
        s.sync()

    def last_action(self) -> str:
        last = self._settings.value(self._last_key)
        return last if isinstance(last, str) else ""
