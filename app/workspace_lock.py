"""The workspace lock (`<workspace>/.lock`): one writer at a time across the window, the command
line and any other process. A maintained cross-platform library (filelock) does the locking."""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from app.store_errors import BusyError, StoreError

LOCK_NAME = ".lock"
TIMEOUT_ENV = "ACTION_STUDIO_LOCK_TIMEOUT"
DEFAULT_TIMEOUT_S = 20.0


def default_timeout() -> float:
    try:
        return float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT_S))
    except ValueError:
        return DEFAULT_TIMEOUT_S


class WorkspaceLock:
    """Re-entrant within a thread; threads of one process take turns (the inner RLock), processes
    through the file lock."""

    def __init__(self, home: Path, timeout: float | None = None) -> None:
        from filelock import FileLock  # imported when first writing: opening the window must stay fast

        self.home = Path(home)
        self.timeout = default_timeout() if timeout is None else timeout
        self._threads = threading.RLock()
        # thread_local=False: the RLock already serialises threads, so the hold count is shared.
        self._file = FileLock(str(self.home / LOCK_NAME), timeout=self.timeout, thread_local=False)
        self.depth = 0

    @contextmanager
    def held(self) -> Iterator[bool]:
        """Hold the lock; yields True on the outermost entry (when repairs may run)."""
        from filelock import Timeout

        with self._threads:
            try:
                self._file.acquire()
            except Timeout:
                raise BusyError(f"the workspace {self.home} is busy: another Action Studio process has held its "
                                f"lock ({LOCK_NAME}) for more than {self.timeout:g} s; "
                                "try again when it is done") from None
            except OSError as exc:
                raise StoreError(f"cannot lock the workspace {self.home} ({exc.strerror or exc}); "
                                 "is the folder writable?") from None
            self.depth += 1
            try:
                yield self.depth == 1
            finally:
                self.depth -= 1
                self._file.release()
