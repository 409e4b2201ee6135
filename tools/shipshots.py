"""Screenshots of the first run and About (called by tools/screenshots.py, under Xvfb)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable


def first_run_shots(app: Any, window: Any, out: Path, wait: Callable[..., bool], settle: Callable[..., None],
                    size: tuple[int, int]) -> None:
    """The About dialog over the sample's window, then a window on an empty workspace (the welcome page)."""
    from app.secrets import MemoryBackend, SecretStore
    from app.services import Services
    from ui import create_main_window, workers
    from ui.about import about_dialog

    dialog = about_dialog(window, window.home)
    dialog.show()
    wait(app, dialog.isVisible)
    settle(app)
    _save(dialog.grab(), out / "15-about.png")
    dialog.reject()

    home = Path(window.home).parent / "My workspace"
    services = Services.open(home, SecretStore(MemoryBackend(), namespace="shots-empty"))
    empty = create_main_window(home, services)
    empty.resize(*size)
    empty.show()
    wait(app, empty.is_ready)
    wait(app, lambda: not workers.busy())
    settle(app, 0.5)
    _save(empty.grab(), out / "16-welcome.png")
    empty.close()
    workers.wait_idle()
    services.close()


def _save(pixmap: Any, path: Path) -> None:
    pixmap.save(str(path))
    print(path)
