"""The PySide6 user interface. `create_main_window(home)` builds the main window on a workspace."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional

if "pydantic" in sys.modules and "PySide6" not in sys.modules:
    # shiboken's import hook calls inspect.getsource() on every module imported after PySide6,
    # which probes `__wrapped__` on pydantic's lazy package and re-enters a half-imported pydantic
    # (ImportError: cannot import name 'import_string'). Finish importing pydantic first.
    import app.model  # noqa: F401

if TYPE_CHECKING:
    from app.services import Services
    from ui.mainwindow import MainWindow


def create_main_window(home: "Path | str", services: Optional[Services] = None, sample: bool = False,
                       settings_path: "Optional[Path | str]" = None) -> "MainWindow":
    """The main window on the workspace at `home` (Services built from it unless given).

    The window shows at once and loads the workspace in the background: wait for its `ready`
    signal (or `is_ready()`) before driving the pane.
    """
    from ui.mainwindow import MainWindow
    from ui.windowstate import open_settings

    settings = open_settings(settings_path) if settings_path else None
    return MainWindow(Path(home), services, sample=sample, settings=settings)
