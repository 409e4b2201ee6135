"""Watching the workspace folder for changes made outside the window (the command line, another
window, an editor) and reading what it holds now, off the UI thread.

QFileSystemWatcher watches actions/ and journeys/ (files created, removed or replaced, as every
atomic write does) and the file of the action being edited (an editor writing in place changes
no folder). Bursts of events are coalesced; one read runs at a time and another follows if more
changed meanwhile.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from ui.workers import run_in_background

SETTLE_MS = 150  # a CLI import writes many files: read once they are all there
RETRY_MS = 500


@dataclass(frozen=True)
class WorkspaceState:
    """The workspace as read by one scan; `stamp` is the file stamp of the action `name`."""

    summaries: list[Any]
    used_in: dict[str, list[str]]
    name: str = ""
    stamp: Optional[str] = None
    problems: list[str] = field(default_factory=list)
    context: Any = None  # what the window had written when the read started


def read_state(workspace: Any, name: str, seen_problems: int, context: Any) -> WorkspaceState:
    """Worker: the list, who uses what, and the stamp of the action being edited, read afresh."""
    workspace.refresh()
    summaries = workspace.summaries()
    used_in = workspace.used_in()
    stamp = workspace.stamp(name) if name else None
    return WorkspaceState(summaries, used_in, name, stamp, list(workspace.problems[seen_problems:]), context)


class WorkspaceWatcher(QObject):
    """Emits `read` with a fresh WorkspaceState after the folder changed; `scan()` asks for one."""

    read = Signal(object)

    def __init__(self, workspace: Any, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.name = ""  # the action being edited, whose stamp each scan reads
        self.context: Callable[[], Any] = lambda: None  # captured when a read starts, returned with it
        self._seen_problems = len(workspace.problems)
        self._running = False
        self._again = False
        self._stopped = False
        self._fs = QFileSystemWatcher(self)
        self._fs.addPaths([str(workspace.actions_dir), str(workspace.journeys_dir)])
        self._fs.directoryChanged.connect(self.scan_soon)
        self._fs.fileChanged.connect(self._on_file_changed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.scan)

    def follow(self, name: str) -> None:
        """Watch the file of the action now edited (in-place writes), and read its stamp on scans."""
        if self._fs.files():
            self._fs.removePaths(self._fs.files())
        self.name = name
        path = self.workspace.action_path(name) if name else None
        if path is not None and Path(path).exists():
            self._fs.addPath(str(path))

    def _on_file_changed(self, path: str) -> None:
        # A file replaced by an atomic rename is dropped from the watch list: watch it again.
        if Path(path).exists() and path not in self._fs.files():
            self._fs.addPath(path)
        self.scan_soon()

    def scan_soon(self, *_: Any) -> None:
        if not self._stopped:
            self._timer.start(SETTLE_MS)

    def scan_later(self) -> None:
        """Read again once the window's own write is done (polled slowly: a save may wait on a keyring prompt)."""
        if not self._stopped:
            self._timer.start(RETRY_MS)

    def scan(self) -> None:
        if self._stopped:
            return
        if self._running:
            self._again = True
            return
        self._running = True
        run_in_background(read_state, self.workspace, self.name, self._seen_problems, self.context(),
                          on_done=self._on_read, on_error=self._on_failed, owner=self)

    def _on_read(self, state: WorkspaceState) -> None:
        self._running = False
        self._seen_problems += len(state.problems)
        if self._stopped:
            return
        self.read.emit(state)
        self._next()

    def _on_failed(self, exc: BaseException) -> None:
        from ui import message

        self._running = False
        message.error(f"Could not read the workspace: {exc}")
        self._next()

    def _next(self) -> None:
        if self._again:
            self._again = False
            self.scan_soon()

    def stop(self) -> None:
        """The window is closing: no more scans, no late results."""
        self._stopped = True
        self._timer.stop()
        watched = self._fs.directories() + self._fs.files()
        if watched:
            self._fs.removePaths(watched)
