"""The workspace's call history: SQLite (WAL, synchronous=FULL: a committed call survives a crash).

Rows hold only what `CallResult` recorded, which is already masked. One connection guarded by a
lock serves every thread; `HistoryBuffer` batches inserts (hundreds of rows per statement) for the
bulk path. The table is bounded: past `max_rows` the oldest rows are pruned. Listeners hear about new rows.
The request headers a batch's calls share are stored once in `parts` (see app.calls.storage); the
readers here put them back. Parts are few (one per distinct set of masked headers) and never pruned.
The file's format (tables, full-text index, version check, migration) is app.calls.history_schema;
the filters and the text search are app.calls.history_search. The full-text index is filled behind
the writer, not in its transaction (app.calls.history_index); a text search reads the rows it does
not hold yet without it (app.calls.history_tail), so it finds every row at every moment.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import weakref
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional, TextIO

import app.sqlitenull  # noqa: F401 - None bound as NULL without an adapter lookup
from app.calls.history_index import CHUNK, SMALL_TAIL, Indexer, index_some, tail
from app.calls.history_schema import LOWER_MARK, HistoryError, prepare
from app.calls.history_search import Filter, Query, Values, distinct
from app.calls.history_tail import TailMatcher
from app.calls.record import CallResult
from app.calls.storage import Share, row, unpack

if TYPE_CHECKING:
    from app.services import Services

__all__ = ["Filter", "History", "HistoryBuffer", "HistoryError", "HistoryRow", "close_history", "history_of",
           "row_of"]

FILE_NAME = "history.sqlite3"
DEFAULT_MAX_ROWS = 50_000
_log = logging.getLogger(__name__)
LOG_EACH_UP_TO = 20  # a bigger batch is one log line: the history holds every call
UNBOUNDED = 2**62
SOURCES = ("test", "manual", "batch", "journey")
_COLUMNS = ", ".join(f"calls.{c}" for c in ("id", "time", "action", "source", "outcome", "status", "duration_ms",
                                            "method", "url", "error"))


@dataclass(frozen=True)
class HistoryRow:
    """A summary row (the list); `History.result(id)` gives the whole recorded call."""

    id: int
    time: str
    action: str
    source: str
    outcome: str
    status: Optional[int]
    duration_ms: float
    method: str
    url: str
    error: Optional[str]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "time": self.time, "action": self.action, "source": self.source,
                "outcome": self.outcome, "status": self.status, "durationMs": round(self.duration_ms, 2),
                "method": self.method, "url": self.url, "error": self.error}


class History:
    """The call history of one workspace. Thread-safe; close() when done."""

    def __init__(self, path: Path, max_rows: int = DEFAULT_MAX_ROWS, problems: Optional[list[str]] = None) -> None:
        self.path = Path(path)
        self.max_rows = max_rows
        self.problems: list[str] = list(problems or [])  # what the user should hear about (set-aside files)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._matcher = TailMatcher()
        self._db: Optional[sqlite3.Connection] = self._open_or_set_aside()
        self._closer = weakref.finalize(self, _close_all, self._db, self._matcher)
        self._listeners: list[Callable[[int], None]] = []
        self._part_ids: dict[str, int] = {}
        self._part_texts: dict[int, str] = {}
        step = weakref.WeakMethod(self._index_step)  # the indexer does not keep the history alive
        self._indexer = Indexer(lambda: bool((method := step()) is not None and method()))
        with self._lock:
            mark, last = tail(self._db)
        if last > mark:  # left unindexed (a process killed or closed before its indexer was done)
            self._indexer.poke()

    def _open_or_set_aside(self) -> sqlite3.Connection:
        """The database; a file that is not one (or is corrupt) is moved to broken/ and a new one started."""
        try:
            return self._connect()
        except sqlite3.OperationalError as exc:  # locked, unreadable, read-only: the environment refuses
            if "fts5" in str(exc):
                raise HistoryError(f"{self.path}: the history cannot be opened: this Python's SQLite has no "
                                   "full-text search (FTS5), which the history needs") from None
            raise HistoryError(f"{self.path}: the history cannot be opened ({exc})") from None
        except sqlite3.DatabaseError as exc:  # not a database, or corrupt
            from app.store import move_to_broken

            siblings = [self.path.with_name(self.path.name + s) for s in ("-wal", "-shm")]
            try:
                moved = move_to_broken(self.path.parent, self.path, *siblings)
            except OSError as err:
                raise HistoryError(f"{self.path}: not a readable history database ({exc}) and it could not be "
                                   f"moved aside ({err.strerror}); move it away to start a new history") from None
            self.problems.append(f"{self.path}: not a readable history database ({exc}); moved to "
                                 f"{moved.parent.name}/{moved.name}; a new, empty history was started")
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA busy_timeout=5000")
            prepare(db, self.path)
            db.create_function("tail_known", 3, self._matcher.known)
            db.create_function("tail_match", 7, self._matcher.match)
            self._rows = db.execute("SELECT COUNT(*) FROM calls").fetchone()[0]
        except BaseException:
            db.close()
            raise
        return db

    @classmethod
    def for_workspace(cls, home: Path, max_rows: Optional[int] = None) -> "History":
        """The workspace's history, bounded by its settings' historyMaxRows unless max_rows is given.
        With a broken settings.json nothing is pruned (the bound it held is unknown) and the
        problem is in `problems`."""
        problems = []
        if max_rows is None:
            from app.settings import SettingsError, load_settings

            try:
                max_rows = load_settings(home).history_max_rows
            except SettingsError as exc:
                problems.append(f"{exc}; until then the history keeps every call")
                max_rows = UNBOUNDED
        return cls(Path(home) / FILE_NAME, max_rows, problems)

    def set_max_rows(self, max_rows: int) -> int:
        """Change the bound and prune at once; returns how many calls were removed."""
        with self._lock:
            self.max_rows = max_rows
            before = self._rows
            if self._rows > max_rows:
                db = self._conn()
                db.execute("BEGIN IMMEDIATE")
                self._prune(db)
                db.execute("COMMIT")
            removed = before - self._rows
        for listener in list(self._listeners):
            listener(0)
        return removed

    # -- writing -------------------------------------------------------------------------------
    def add(self, result: CallResult) -> int:
        """Record one call; returns its row id."""
        return self.add_many([result])[-1]

    def add_many(self, results: Iterable[CallResult]) -> list[int]:
        """Record many calls in one transaction; returns their row ids."""
        return self.add_rows([row_of(r, self.part_id) for r in results])

    def add_rows(self, rows: list[tuple[Any, ...]]) -> list[int]:
        """Insert rows made by `row_of` (encoded ahead, e.g. on another thread)."""
        if not rows:
            return []
        with self._lock:
            db = self._conn()
            db.execute("BEGIN IMMEDIATE")
            try:
                first = db.execute("SELECT COALESCE(MAX(id), 0) FROM calls").fetchone()[0]
                db.execute(LOWER_MARK, (first,))
                _insert(db, rows)  # indexed later, in bulk (app.calls.history_index)
                last = db.execute("SELECT MAX(id) FROM calls").fetchone()[0]
                self._rows += len(rows)
                if self._rows > self.max_rows:
                    self._prune(db)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        self._indexer.poke()
        ids = list(range(last - len(rows) + 1, last + 1))
        if _log.isEnabledFor(logging.INFO):
            _log_rows(rows)
        for listener in list(self._listeners):
            listener(len(rows))
        return ids

    def catch_up(self) -> int:
        """Index every row not indexed yet, now (in chunks); returns how many ids it covered."""
        done = step = 1
        while step:
            with self._lock:
                step = self._index(CHUNK)
            done += step
        return done - 1

    def unindexed(self) -> int:
        """How many rows the full-text index does not hold yet."""
        with self._lock:
            mark, last = tail(self._conn())
            return int(self._conn().execute("SELECT COUNT(*) FROM calls WHERE id > ?", (mark,)).fetchone()[0])

    def _index_step(self) -> bool:
        with self._lock:
            return self._db is not None and self._index(CHUNK) > 0

    def _index(self, limit: int) -> int:
        db = self._conn()
        db.execute("BEGIN IMMEDIATE")
        try:
            done = index_some(db, limit)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return done

    def part_id(self, text: str) -> int:
        """The id of a shared text (stored, and committed, the first time)."""
        found = self._part_ids.get(text)
        if found is None:
            with self._lock:
                db = self._conn()
                db.execute("INSERT OR IGNORE INTO parts (text) VALUES (?)", (text,))
                found = db.execute("SELECT id FROM parts WHERE text = ?", (text,)).fetchone()[0]
            self._part_ids[text] = found
        return found

    def part_text(self, part: int) -> str:
        found = self._part_texts.get(part)
        if found is None:
            with self._lock:
                row = self._conn().execute("SELECT text FROM parts WHERE id = ?", (part,)).fetchone()
            found = self._part_texts[part] = row[0] if row else ""  # parts are never deleted
        return found

    def _prune(self, db: sqlite3.Connection) -> None:
        db.execute("DELETE FROM calls WHERE id <= (SELECT id FROM calls ORDER BY id DESC LIMIT 1 OFFSET ?)",
                   (self.max_rows,))
        self._rows = db.execute("SELECT COUNT(*) FROM calls").fetchone()[0]

    def clear(self) -> None:
        with self._lock:
            self._conn().execute("DELETE FROM calls")
            self._rows = 0
        for listener in list(self._listeners):
            listener(0)

    # -- reading -------------------------------------------------------------------------------
    def rows(self, where: Filter = Filter(), limit: int = 100, before: Optional[int] = None) -> list[HistoryRow]:
        """Newest first; `before`: only rows older than that id (the next page after a row: by key,
        not OFFSET, so a page costs the same however deep it is and rows added meanwhile shift nothing)."""
        return [HistoryRow(*r) for r in self._select(where, _COLUMNS, "DESC", limit, before=before)]

    def count(self, where: Filter = Filter()) -> int:
        db = self._conn()
        with self._lock, self._queries(where) as queries:
            return sum(int(db.execute(*q.count()).fetchone()[0]) for q in queries())

    def _select(self, where: Filter, columns: str, order: str, limit: int, before: Optional[int] = None,
                after: Optional[int] = None) -> list[tuple[Any, ...]]:
        """Up to `limit` rows in key order; a search's rows past the index's mark come after the
        ones it holds (before them, newest first)."""
        db, found = self._conn(), list[tuple[Any, ...]]()
        with self._lock, self._queries(where) as queries:
            for query in queries(before, after, order):
                if len(found) < limit:
                    found += db.execute(*query.select(columns, order, limit - len(found))).fetchall()
        return found

    @contextmanager
    def _queries(self, where: Filter) -> Iterator[Callable[..., list[Query]]]:
        """The queries of a filter, read in one read transaction: with a text search, the index's
        mark and the values held (so the index's column filter is exact for the rows it sees) are
        read in it too, and the rows past the mark are searched without the index. A tail small
        enough is indexed first (once, instead of scanning it again at every search)."""
        if not where.indexed_words():
            yield lambda before=None, after=None, order="DESC": [where.query(before, after)]
            return
        db = self._conn()
        mark, last = tail(db)
        if 0 < last - mark <= SMALL_TAIL:
            try:
                self._index(SMALL_TAIL)
            except sqlite3.OperationalError:  # another process writes on and on: its rows are scanned below
                pass
        elif last > mark:  # rows another process wrote (or a burst under way): indexed once things are quiet
            self._indexer.poke()
        db.execute("BEGIN")
        try:
            mark, last = tail(db)
            values = Values(distinct(db, "action"), distinct(db, "outcome")) if where.action or where.outcome else None

            def queries(before: Optional[int] = None, after: Optional[int] = None, order: str = "DESC") -> list[Query]:
                indexed = where.query(before, after, values, upto=mark if last > mark else None)
                if last <= mark:
                    return [indexed]
                both = [where.tail_query(mark, before, after), indexed]
                return both if order == "DESC" else both[::-1]

            yield queries
        finally:
            db.execute("COMMIT")

    def result(self, row_id: int) -> Optional[CallResult]:
        with self._lock:
            found = self._conn().execute("SELECT detail FROM calls WHERE id = ?", (row_id,)).fetchone()
        return unpack(found[0], self.part_text) if found else None

    def outcomes(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._conn().execute("SELECT DISTINCT outcome FROM calls ORDER BY outcome")]

    def iter_details(self, where: Filter = Filter(), chunk: int = 1000) -> Iterator[dict[str, Any]]:
        """Every matching call as a dict (oldest first), read in chunks."""
        last = 0
        while True:
            found = self._select(where, "calls.id, calls.detail", "ASC", chunk, after=last)
            if not found:
                return
            for row_id, detail in found:
                data = unpack(detail, self.part_text).to_dict()
                data["id"] = row_id
                yield data
            last = found[-1][0]

    def export_jsonl(self, out: TextIO, where: Filter = Filter()) -> int:
        """Write matching calls as JSON lines; returns how many."""
        n = 0
        for data in self.iter_details(where):
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
            n += 1
        return n

    # -- listeners and lifetime ----------------------------------------------------------------
    def subscribe(self, listener: Callable[[int], None]) -> Callable[[], None]:
        """Call listener(n) after n rows were added (from the writing thread); returns unsubscribe."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("the history is closed")
        return self._db

    def close(self) -> None:
        """Close the file; rows not indexed yet stay so until the next History opened on it."""
        self._indexer.stop()
        with self._lock:
            if self._db is not None:
                _close_all(self._db, self._matcher)
                self._db = None
                self._closer.detach()

    def __enter__(self) -> "History":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class HistoryBuffer:
    """Collects results from the bulk path and writes them in batches (one transaction each).

    Results are kept as they come and handed `size` at a time to a writer thread, one batch in
    flight, which encodes them (`_rows`) and inserts them: SQLite's own work there (the insert, the
    commit's fsync) runs without the GIL while the event loop goes on; the full-text index is filled
    once the burst is over (app.calls.history_index). Encoding
    there costs the process less CPU than on the event loop's thread (measured: ~10 us a call in
    one run of 500, two to three times that spread among the loop's work), in slices short enough
    never to stall the loop. `flush` waits until all is written.
    """

    def __init__(self, history: History, size: int = 500, interval_s: float = 1.0) -> None:
        self.history, self.size, self.interval_s = history, size, interval_s
        self._pending: list[CallResult] = []
        self._last = time.monotonic()
        self._writing: Optional[threading.Thread] = None
        self._failure: Optional[BaseException] = None

    def add(self, result: CallResult) -> None:
        self._pending.append(result)
        if len(self._pending) >= self.size or time.monotonic() - self._last >= self.interval_s:
            self._hand_over()

    def flush(self) -> None:
        """Write every row added so far and wait until it is written (raises what the writing raised)."""
        self._hand_over()
        self._wait()

    def _hand_over(self) -> None:
        pending, self._pending = self._pending, []
        self._last = time.monotonic()
        self._wait()  # one batch in flight: a writer far behind slows the sender, memory stays bounded
        if pending:
            self._writing = threading.Thread(target=self._write, args=(pending,), name="history-writer",
                                             daemon=True)
            self._writing.start()

    def _write(self, results: list[CallResult]) -> None:
        try:
            self.history.add_rows(_rows(results, self.history.part_id))
        except BaseException as exc:  # noqa: BLE001 - raised on the caller's thread by _wait
            self._failure = exc

    def _wait(self) -> None:
        if self._writing is not None:
            self._writing.join()
            self._writing = None
        failure, self._failure = self._failure, None
        if failure is not None:
            raise failure


_SLICE = 50  # rows encoded while the writer holds the GIL (~0.5 ms), then the event loop may take it


def _rows(results: list[CallResult], share: Share) -> list[tuple[Any, ...]]:
    """The rows of results, encoded in slices: between two, the GIL goes to the event loop's thread
    if it waits (held throughout, it would wait for the 5 ms switch interval)."""
    rows: list[tuple[Any, ...]] = []
    for at in range(0, len(results), _SLICE):
        if at:
            time.sleep(0)
        rows += [row(result, share) for result in results[at:at + _SLICE]]
    return rows


_INSERT = "INSERT INTO calls (time, action, source, outcome, status, duration_ms, method, url, error, detail) VALUES "
_ROW = "(?,?,?,?,?,?,?,?,?,?)"
_ROWS_PER_INSERT = 500  # 5,000 parameters: well under SQLite's limit (32,766 since 3.32; 999 before)


def _insert(db: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
    """Many rows per INSERT: executemany takes and gives back the GIL around every row's step,
    each time waiting for the event loop's thread to let go of it (measured: ~20 us per call of the
    bulk path's CPU); one statement per 500 rows does so once."""
    limit = _ROWS_PER_INSERT if sqlite3.sqlite_version_info >= (3, 32) else 999 // len(rows[0])
    at = 0
    for size in _statement_sizes(len(rows), limit):
        part = rows[at:at + size]
        db.execute(_INSERT + ", ".join([_ROW] * size), list(chain.from_iterable(part)))
        at += size


def _statement_sizes(n: int, limit: int) -> Iterator[int]:
    """`limit` rows a statement, the rest in powers of two (234: 128, 64, 32, 8, 2). The connection
    keeps each distinct statement text prepared (~160 bytes a parameter): one text per batch size
    would fill its cache of 128 with tens of MB over a long session of small batches; these sizes
    make at most a dozen texts."""
    full, rest = divmod(n, limit)
    yield from [limit] * full
    bit = 1 << max(0, rest.bit_length() - 1)
    while rest:
        if rest & bit:
            yield bit
            rest -= bit
        bit >>= 1


def _log_rows(rows: list[tuple[Any, ...]]) -> None:
    """The log's line per recorded call (already masked, as the row is): action, method, URL, outcome."""
    if len(rows) > LOG_EACH_UP_TO:
        outcomes: dict[str, int] = {}
        for row in rows:
            outcomes[row[3]] = outcomes.get(row[3], 0) + 1
        _log.info("recorded %d calls: %s", len(rows), ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
        return
    for _time, action, source, outcome, _status, duration_ms, method, url, error, _detail in rows:
        _log.info("%s call %s: %s %s -> %s in %.0f ms%s", source, action, method, url, outcome, duration_ms or 0,
                  f" ({error})" if error else "")


def _close_all(db: sqlite3.Connection, matcher: TailMatcher) -> None:
    db.close()
    matcher.close()


def row_of(result: CallResult, share: Optional[Share] = None) -> tuple[Any, ...]:
    """The table row of a result (its detail as compact JSON; shared parts stored by `share`)."""
    return row(result, share)


_open: "weakref.WeakKeyDictionary[Services, History]" = weakref.WeakKeyDictionary()
_open_lock = threading.Lock()


def history_of(services: Services) -> History:
    """The one History of a Services' workspace (opened on first use, shared by every panel)."""
    with _open_lock:
        history = _open.get(services)
        if history is None or history._db is None:
            history = History.for_workspace(services.workspace.home)  # problems: in history.problems
            _open[services] = history
        return history


def close_history(services: Services) -> None:
    """Close the shared History of these services (at shutdown)."""
    with _open_lock:
        history = _open.pop(services, None)
    if history is not None:
        history.close()
