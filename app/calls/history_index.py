"""Filling the history's full-text index behind the writer (history format 4, issue 14).

The writer commits rows unindexed; the index catches up in bulk once the writes have paused for
`IDLE_S` (`Indexer`, a thread of the History), `CHUNK` rows per transaction so a write or a search
never waits long behind it. A search brings a small tail up to date first (`SMALL_TAIL`) and reads
a bigger one without the index (app.calls.history_tail). A process killed before its rows were
indexed leaves them past the mark: the next History opened on the file indexes them.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
import time
from typing import Callable, Optional

from app.calls.history_schema import INDEX_RANGE, MARK, SET_MARK

IDLE_S = 0.5  # a burst hands the writer a batch every ~0.2 s: this long without one, it is over
CHUNK = 2000  # rows per indexing transaction (~50 ms of tokenising)
SMALL_TAIL = 500  # a search indexes a tail this small first (~12 ms, once) instead of scanning it
_log = logging.getLogger(__name__)


def tail(db: sqlite3.Connection) -> tuple[int, int]:
    """(the mark: the last indexed id, the last row's id)."""
    mark, last = db.execute(MARK).fetchone()
    return int(mark), int(last)


def index_some(db: sqlite3.Connection, limit: int) -> int:
    """In the caller's write transaction: index up to `limit` ids past the mark and move it;
    returns how many ids it covered (0: the index was up to date)."""
    mark, last = tail(db)
    if last <= mark:
        return 0
    upto = min(last, mark + limit)
    db.execute(INDEX_RANGE, (mark, upto))
    db.execute(SET_MARK, (upto,))
    return upto - mark


class Indexer:
    """Calls `step` (index a chunk; True while there may be more) on a thread of its own once
    `poke` (rows were written) has not been called for `idle_s`; the thread ends when all is done."""

    def __init__(self, step: Callable[[], bool], idle_s: float = IDLE_S) -> None:
        self._step, self._idle_s = step, idle_s
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._last = 0.0
        self._dirty = False  # poked since the thread last looked: it must look again before ending

    def poke(self) -> None:
        with self._lock:
            self._last, self._dirty = time.monotonic(), True
            if self._thread is None and not self._stopped.is_set():
                self._thread = threading.Thread(target=self._run, name="history-indexer", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        """No more indexing; waits for a chunk under way to end (its transaction is whole or undone)."""
        self._stopped.set()
        with self._lock:
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _run(self) -> None:
        while not self._stopped.is_set():
            with self._lock:
                wait = self._last + self._idle_s - time.monotonic()
            if wait > 0:
                self._stopped.wait(wait)
                continue
            with self._lock:
                self._dirty = False
            try:
                more = not self._stopped.is_set() and self._step()
            except (sqlite3.Error, RuntimeError) as exc:  # busy too long, closed: a poke, an open or a search retries
                _log.warning("the history's full-text index could not catch up (%s); it will be retried", exc)
                more = False
            with self._lock:
                if not more and not self._dirty:
                    self._thread = None
                    return
        with self._lock:
            self._thread = None
