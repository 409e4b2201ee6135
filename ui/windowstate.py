"""What the window remembers between runs: geometry, the dock layout (which panels are open and
where), the list/pane split, the list's columns, the last workspace and the last action shown per
workspace. Kept in QSettings outside any workspace.

The file carries its format (`format`); a file of an older version is migrated in place when it is
opened, its values kept (never discarded), keys of a newer version left alone.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Optional

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

SETTINGS_ENV = "ACTION_STUDIO_SETTINGS"
FORMAT = 2  # 1 (0.1.0, no `format` key): last actions as last/<hash>; 2: workspaces/<hash>/lastAction
DOCKS = ("sandbox", "send", "history")


def open_settings(path: Optional[str | Path] = None) -> QSettings:
    """Window state lives outside any workspace: the user config dir, or `path` / $ACTION_STUDIO_SETTINGS."""
    path = path or os.environ.get(SETTINGS_ENV)
    if path:
        settings = QSettings(str(path), QSettings.Format.IniFormat)
    else:
        settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "ActionStudio", "ActionStudio")
    migrate(settings)
    return settings


def migrate(settings: QSettings) -> None:
    """Bring a file of an older format to this one, keeping every value."""
    found = settings.value("format")
    version = int(found) if isinstance(found, (int, str)) and str(found).isdigit() else 1
    if version >= FORMAT:
        return  # this format, or a newer one: read what is understood, change nothing
    if version == 1:
        settings.beginGroup("last")
        old = {key: settings.value(key) for key in settings.childKeys()}
        settings.endGroup()
        for key, value in old.items():
            settings.setValue(f"workspaces/{key}/lastAction", value)
        settings.remove("last")
    settings.setValue("format", FORMAT)
    settings.sync()


def _workspace_key(home: Path) -> str:
    # A hash: paths make poor INI keys.
    return "workspaces/" + hashlib.sha1(str(home.resolve()).encode()).hexdigest()[:12]


def last_workspace(settings: Optional[QSettings] = None) -> Optional[Path]:
    """The workspace the window had when it last closed, if that folder still exists."""
    value = (settings or open_settings()).value("workspace/last")
    return Path(value) if isinstance(value, str) and value and Path(value).is_dir() else None


class WindowState:
    """Restores and saves the window's layout; `last_action` is per workspace."""

    def __init__(self, settings: QSettings, home: Path) -> None:
        self._settings = settings
        self._home = home
        self._key = _workspace_key(home)

    def restore(self, window: QMainWindow, splitter: QSplitter, header: QHeaderView) -> None:
        for key, restore in (("window/geometry", window.restoreGeometry), ("window/splitter", splitter.restoreState),
                             ("list/header", header.restoreState), ("window/docks", window.restoreState)):
            value = self._settings.value(key)
            if isinstance(value, QByteArray) and not value.isEmpty():
                restore(value)

    def save(self, window: QMainWindow, splitter: QSplitter, header: QHeaderView, last_action: str,
             open_docks: tuple[str, ...] = ()) -> None:
        s = self._settings
        s.setValue("format", FORMAT)
        s.setValue("window/geometry", window.saveGeometry())
        s.setValue("window/docks", window.saveState())
        s.setValue("window/openDocks", ",".join(open_docks))
        s.setValue("window/splitter", splitter.saveState())
        s.setValue("list/header", header.saveState())
        s.setValue("workspace/last", str(self._home.resolve()))
        if last_action:
            s.setValue(f"{self._key}/lastAction", last_action)
        s.sync()

    def last_action(self) -> str:
        last = self._settings.value(f"{self._key}/lastAction")
        return last if isinstance(last, str) else ""

    def open_docks(self) -> list[str]:
        """The panels open when the window last closed (they are built on first use: reopened once ready)."""
        value = self._settings.value("window/openDocks")
        return [d for d in value.split(",") if d in DOCKS] if isinstance(value, str) else []
