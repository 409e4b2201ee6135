"""The window's workspace writes (save aside: add, duplicate, delete, import...), run in workers and
counted, so the watcher never applies a read taken halfway through a write of ours."""
from __future__ import annotations

from typing import Any, Callable, Optional

from PySide6.QtCore import QObject

from ui.workers import run_in_background


class WorkspaceWrites(QObject):
    """`run` a write in a worker; `running()` says whether one has not delivered its result yet."""

    def __init__(self, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._running = 0

    def run(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None]) -> None:
        self._running += 1

        def finished(callback: Callable[[Any], None]) -> Callable[[Any], None]:
            def call(value: Any) -> None:
                self._running -= 1
                callback(value)
            return call

        run_in_background(fn, *args, owner=self, on_done=finished(on_done), on_error=finished(on_error))

    def running(self) -> bool:
        return self._running > 0
