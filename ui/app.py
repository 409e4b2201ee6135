"""`run_gui(home, sample)`: the QApplication, the main window, the event loop."""
from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path
from typing import Any

EXIT_AFTER_SHOW = "ACTION_STUDIO_EXIT_AFTER_SHOW"  # the start-up benchmark quits once the window is ready
_opened: list["object"] = []  # windows opened in place of another (open_workspace): closed with the app


def make_application() -> "object":
    """The QApplication: the platform's own style and colour scheme; Fusion only when none exists."""
    from PySide6.QtWidgets import QApplication, QStyleFactory

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Action Studio")
    app.setOrganizationName("ActionStudio")
    app.setApplicationDisplayName("Action Studio")
    app.setDesktopFileName("action-studio")  # app.desktop.ENTRY_NAME: the launcher groups the window under it
    from ui.about import app_icon

    app.setWindowIcon(app_icon())  # dialogs too
    style = app.style()
    if style is None or style.name().lower() in ("windows", "") or not QStyleFactory.keys():
        app.setStyle("Fusion")  # Fusion follows the palette, so light and dark both work
    return app


def collect_on_ui_thread(app: "object") -> "object":
    """The cyclic collector run by a timer on the UI thread, never by a worker thread that allocates
    (ui/gcguard.py: a Qt object in a cycle must be freed on its own thread), with the window's thresholds:
    fewer collections than CPython's default (every 700 allocations), since inferring a 1 MB payload
    (20,000 fields) in a worker set off full collections that paused every thread, the UI included
    (bench_payload: the longest collection while typing over the re-infer 210-370 ms with the defaults,
    ~23 ms with these, plus `gc.freeze()` once the window is ready)."""
    from ui.gcguard import UiThreadCollector

    return UiThreadCollector(app).start()  # type: ignore[arg-type]


def _stamp_and_quit(window: Any, app: Any) -> None:
    """For the start-up benchmark: print a wall-clock stamp when the list is filled and painted
    (`ACTION_STUDIO_LISTED`: what the user sees and can search) and when the pane shows the first
    action (`ACTION_STUDIO_READY`), then quit. The benchmark reads the stamps: start-up ends there,
    not at process exit."""
    from PySide6.QtCore import QTimer

    def stamp(what: str) -> None:
        print(f"ACTION_STUDIO_{what} {time.time():.6f}", flush=True)

    window.listed.connect(lambda: stamp("LISTED"))
    # After the event loop's next turn: the pane painted, not only built.
    window.ready.connect(lambda: QTimer.singleShot(0, lambda: (stamp("READY"), app.quit())))


def run_gui(home: Path, sample: bool = False, last: bool = False) -> int:
    """Open the main window on `home` (installing the sample there first when `sample`; the
    workspace of the last run instead when `last` and it still exists)."""
    from app.logs import setup as log_to_file

    log_to_file("window")
    app = make_application()
    collect_on_ui_thread(app)
    from ui.crash import CrashReporter
    from ui.mainwindow import MainWindow

    if last:
        from ui.windowstate import last_workspace

        home = last_workspace() or home
    window = MainWindow(Path(home), sample=sample)
    crashes = CrashReporter(window).install()
    window.show()
    window.ready.connect(gc.freeze)  # start-up's objects live as long as the app: never scan them
    if os.environ.get(EXIT_AFTER_SHOW) == "1":
        _stamp_and_quit(window, app)
    code = app.exec()
    crashes.uninstall()
    from ui.workers import wait_idle

    wait_idle()
    for opened in (window, *_opened):
        if opened.services is not None:  # type: ignore[attr-defined]
            opened.services.close()  # type: ignore[attr-defined]
    return code


def open_workspace(old: "object", home: Path, sample: bool = False) -> "object":
    """A window on `home` in place of `old` (same size and place), which closes."""
    from ui.mainwindow import MainWindow

    window = MainWindow(Path(home), sample=sample)
    window.setGeometry(old.geometry())  # type: ignore[attr-defined]
    _opened.append(window)
    window.show()
    old.close()  # type: ignore[attr-defined]
    return window
