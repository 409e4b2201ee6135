"""The trace of a run: one SQLite file per run under `runs/` in the workspace, written by one thread.

What the runner hands in (`ProfileTrace` with its `StepTrace`s and their `AttemptTrace`s) is
encoded into rows on the producer's thread (app.journeys.tracerows; `encode_batch` profiles together,
the runner flushing every 50 ms), queued, and written in batches (WAL,
executemany) by a single writer thread, one transaction per batch, a profile with all its steps
and attempts at once: after a kill -9 the file opens, every
finished profile is there, and the run reads as `interrupted` (the writer's lock on
`<run>.sqlite3.lock` is gone with its process). Counts are computed by SQL from these same rows
(app.journeys.tracereader), so a summary or a diagram can never disagree with the trace.

No secret reaches the file: requests and responses come masked from the call engine and are
masked again with the run's `Masker` (known secret values, secret-named headers); actions
are stored as exported (secret references shown as ********). Bodies are kept up to 1 MB with an
explicit "truncated at N of M bytes" note.

Usage (the runner):
    with TraceWriter.create(home, journey, actions, seed=7, preset="fast", targets={...}) as trace:
        trace.add(ProfileTrace(...))          # any thread; encodes the rows, the writer thread inserts them
    # leaving the block: completed (or `trace.finish("cancelled")` before; an exception: interrupted)
"""
from __future__ import annotations

import functools
import re
import secrets as _random
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Optional

from filelock import FileLock, Timeout

import app.sqlitenull  # noqa: F401 - None bound as NULL without an adapter lookup (the run row; profiles bind NaN)
from app.journeys.model import Journey
from app.journeys.tracerecords import MAX_BODY, OUTCOMES, AttemptTrace, ProfileTrace, StepTrace, clip
from app.journeys.tracerows import SLOW_MS, RowEncoder, Rows, json_text
from app.masking import Masker
from app.model import Action
from app.transfer import masked_dict

FOLDER = "runs"
SUFFIX = ".sqlite3"
STATES = ("running", "completed", "cancelled", "interrupted")
__all__ = ["MAX_BODY", "OUTCOMES", "SLOW_MS", "STATES", "AttemptTrace", "ProfileTrace", "StepTrace", "TraceError",
           "TraceWriter", "clip", "new_run_id", "runs_dir"]
SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS run (
    id TEXT PRIMARY KEY, version INTEGER NOT NULL, journey_name TEXT NOT NULL, journey TEXT NOT NULL,
    actions TEXT NOT NULL, seed INTEGER, preset TEXT NOT NULL, targets TEXT NOT NULL, settings TEXT NOT NULL,
    state TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT, rows_read INTEGER
);
CREATE TABLE IF NOT EXISTS profile (
    seq INTEGER PRIMARY KEY, row INTEGER NOT NULL, profile_id TEXT, outcome TEXT NOT NULL, code TEXT,
    error TEXT, path TEXT NOT NULL, last_node TEXT, entered_at TEXT, ended_at TEXT, wall_ms REAL
);
CREATE TABLE IF NOT EXISTS step (
    id INTEGER PRIMARY KEY, profile_seq INTEGER NOT NULL, idx INTEGER NOT NULL, node TEXT NOT NULL,
    port TEXT, next TEXT, virtual_at TEXT, wall_at REAL, wall_ms REAL, "values" TEXT, why TEXT,
    outcome TEXT, error TEXT
);
CREATE TABLE IF NOT EXISTS attempt (
    id INTEGER PRIMARY KEY, step_id INTEGER NOT NULL, profile_seq INTEGER NOT NULL, node TEXT NOT NULL,
    number INTEGER NOT NULL, target TEXT NOT NULL, outcome TEXT, status INTEGER, error TEXT,
    method TEXT, url TEXT, request_headers INTEGER, request_body TEXT, request_note TEXT,
    response_headers TEXT, response_body TEXT, response_note TEXT,
    queue_ms REAL NOT NULL, network_ms REAL NOT NULL, slow INTEGER NOT NULL, wall_at REAL
);
CREATE TABLE IF NOT EXISTS parts (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
"""
# Steps and attempts have no index: their rows are numbered in profile order (tracerows), so a profile's
# rows are a range of ids, found by binary search on the rowid (tracereader.rows_of). Kept up to date, the
# indexes on step(profile_seq) and attempt(step_id) cost the writer ~1.2 us a call (~10 % of its CPU, an
# entry each row); built at the end they read every row back (~1.3 us a call). Files of earlier versions
# have them: readers use the ranges there too.
# The profile_id index is built once the rows are in: when the run ends, or by the first reader of a run
# whose writer died (tracereader). Profile ids come in any order: kept up to date row by row, the index had
# each batch change pages all over it, every one of them written again (WAL and checkpoint), more the longer
# the run (20,000 profiles of random ids: +11 % bytes and +1.5 us a call of the writer's CPU). Until then a
# lookup by profile id reads the profile table (~0.6 ms for 10,000 profiles).
END_SCHEMA = "CREATE INDEX IF NOT EXISTS profile_id ON profile(profile_id)"


class TraceError(Exception):
    """The trace cannot be written or read (the message says which file and why)."""


def runs_dir(home: Path) -> Path:
    return Path(home) / FOLDER


def new_run_id(journey_name: str) -> str:
    # Milliseconds in the id: runs are ordered (and `last` found) by name, and two runs started in
    # the same second (a replay right after its recording) must still sort in start order.
    now = datetime.now(timezone.utc)
    stamp = now.strftime("%Y%m%d-%H%M%S") + f"{now.microsecond // 1000:03d}"
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", journey_name)[:40]
    return f"{stamp}-{safe}-{_random.token_hex(2)}"


class TraceWriter:
    """Writes one run's trace from a single background thread; see the module docstring."""

    _db: sqlite3.Connection  # set by `open`, with the writer thread
    _thread: threading.Thread

    def __init__(self, path: Path, masker: Optional[Masker] = None, batch: int = 500, interval_s: float = 0.25,
                 max_pending: int = 20_000) -> None:
        self.path, self.run_id = Path(path), Path(path).name.removesuffix(SUFFIX)
        self.masker = masker if masker is not None else Masker()  # shared: the run adds to it as it goes
        self.batch, self.interval_s, self.max_pending = batch, interval_s, max_pending
        self.lock = FileLock(str(self.path) + ".lock", timeout=0)
        self._pending = Rows()
        self._encoder = RowEncoder(self.masker)
        self.encode_batch = 1  # profiles held by add() until they are encoded together (see flush)
        self._held: list[ProfileTrace] = []
        self._holding = threading.Lock()
        self._cond = threading.Condition()
        self._closing = False
        self._failure: Optional[BaseException] = None
        self.written = 0
        self.state = "running"

    @property
    def parts_remembered(self) -> int:
        """Request header sets given their ids as profiles are added; past them the writer finds them in
        the file (the run's memory stays bounded)."""
        return self._encoder.parts_remembered

    @parts_remembered.setter
    def parts_remembered(self, count: int) -> None:
        self._encoder.parts_remembered = count

    @classmethod
    def create(cls, home: Path, journey: Journey, actions: Iterable[Action], *, seed: Optional[int], preset: str,
               targets: dict[str, str], settings: Optional[dict[str, Any]] = None,
               masker: Optional[Masker] = None, run_id: Optional[str] = None) -> "TraceWriter":
        """A new run file (state `running`) holding the journey and actions as they are now."""
        folder = runs_dir(home)
        folder.mkdir(parents=True, exist_ok=True)
        run_id = run_id or new_run_id(journey.name)
        writer = cls(folder / f"{run_id}{SUFFIX}", masker)
        try:
            writer.lock.acquire()
        except Timeout:
            raise TraceError(f"{writer.path}: another process is writing this run") from None
        try:
            db = writer._connect()
            db.execute("INSERT INTO run VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, NULL, NULL)", (
                run_id, SCHEMA_VERSION, journey.name, json_text(journey.dump()),
                json_text([masked_dict(a) for a in actions]), seed, preset, json_text(targets),
                json_text(settings or {}),
                _now()))
            db.execute("COMMIT")
        except (sqlite3.Error, OSError) as exc:
            writer.lock.release()
            raise TraceError(f"{writer.path}: the run cannot be recorded ({exc})") from None
        writer._db = db
        writer._thread = threading.Thread(target=writer._loop, name=f"trace-{run_id}", daemon=True)
        writer._thread.start()
        return writer

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        # 16 KiB pages (set before WAL, the file being new): a quarter of the writes and their system calls
        # for the same bytes; the WAL checkpoints at the same 4 MiB as with SQLite's default 4 KiB pages.
        db.execute(f"PRAGMA page_size={PAGE_SIZE}")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"PRAGMA wal_autocheckpoint={4 * 1024 * 1024 // PAGE_SIZE}")
        db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a commit survives a process kill
        db.executescript(SCHEMA)
        db.execute("BEGIN IMMEDIATE")
        return db

    # -- producers -----------------------------------------------------------------------------
    def add(self, profile: ProfileTrace) -> None:
        """Queue a finished profile (any thread), encoded into its rows here, `encode_batch` profiles at
        a time (flush). Waits only when the writer is far behind."""
        if self._closing:
            raise TraceError(f"{self.path}: the run is already finished")
        with self._holding:
            held = self._held
            held.append(profile)
            if len(held) < self.encode_batch:
                return
        self.flush()

    def flush(self) -> None:
        """Encode and queue the profiles add() holds. Encoding them together runs the encoder's code and
        memories hot (~35 -> ~20 us a profile with the caches cold in between, as on a run's event loop,
        where every profile ends among other profiles' calls) and masks their values in one search per
        secret; the run calls this every 50 ms, so a finished profile reaches the writer within that,
        however slowly profiles end. The rows are numbered and laid out as the writer inserts them, so
        that its thread runs hardly any Python: every bit of Python there takes the GIL from the run's
        event loop."""
        with self._holding:
            held, self._held = self._held, []
            if not held:
                return
            rows = Rows()
            failure: Optional[Exception] = None
            try:
                self._encoder.encode(held, rows)
            except Exception as exc:  # what was encoded is written; the run stops here, as on a write error
                failure = exc
            with self._cond:
                while self._pending.count >= self.max_pending and self._failure is None:
                    self._cond.wait(0.1)
                self._raise_failure()
                if self._closing:
                    raise TraceError(f"{self.path}: the run is already finished")
                if self._pending.count:
                    self._pending.extend(rows)
                else:
                    self._pending = rows
                if failure is not None:
                    self._failure = failure
                    self._cond.notify_all()
                elif self._pending.count >= self.batch:
                    self._cond.notify_all()
            self._raise_failure()

    def finish(self, state: str = "completed", rows_read: Optional[int] = None) -> None:
        """Write what is queued, then the final state; releases the file. Idempotent."""
        if state not in STATES[1:]:
            raise ValueError(f"a run ends completed, cancelled or interrupted, not {state!r}")
        if not self._closing:
            try:
                self.flush()
            except TraceError:
                pass  # raised again below, once the writer is done with what it has
        with self._cond:
            if self._closing:
                return
            self._closing = True
            self._final = (state, rows_read)
            self._cond.notify_all()
        self._thread.join()
        self.lock.release()
        _remove(Path(self.lock.lock_file))  # the final state is written: the lock has nothing to guard
        self._raise_failure()

    def __enter__(self) -> "TraceWriter":
        return self

    def __exit__(self, exc_type: Any, *rest: object) -> None:
        self.finish("completed" if exc_type is None else "interrupted")

    def _raise_failure(self) -> None:
        if self._failure is not None:
            raise TraceError(f"{self.path}: the trace could not be written ({self._failure})") from self._failure

    # -- the writer thread ---------------------------------------------------------------------
    def _loop(self) -> None:
        db = self._db
        try:
            while True:
                with self._cond:
                    if not self._closing and self._pending.count < self.batch:
                        self._cond.wait(self.interval_s)
                    batch, self._pending = self._pending, Rows()
                    closing = self._closing
                    self._cond.notify_all()
                if batch.count:
                    self._write(db, batch)
                if closing and not self._pending.count:
                    break
            state, rows = self._final
            db.execute("BEGIN IMMEDIATE")
            db.execute(END_SCHEMA)
            read = self.written if rows is None else rows
            db.execute("UPDATE run SET state = ?, ended_at = ?, rows_read = ?", (state, _now(), read))
            db.execute("COMMIT")
            self.state = state
        except BaseException as exc:  # noqa: BLE001 - reported to the producers by add()/finish()
            with self._cond:
                self._failure = exc
                self._pending = Rows()
                self._cond.notify_all()
        finally:
            db.close()

    def _write(self, db: sqlite3.Connection, batch: Rows) -> None:
        """One transaction: the new header sets, then every row of the batch."""
        db.execute("BEGIN IMMEDIATE")
        try:
            if batch.parts:
                db.executemany("INSERT INTO parts (id, text) VALUES (?, ?)", batch.parts)
            for at in batch.unresolved:
                batch.attempts[at] = _stored_part(db, batch.attempts[at])
            _insert(db, "profile", 11, batch.profiles)
            _insert(db, "step", 13, batch.steps)
            _insert(db, "attempt", 21, batch.attempts)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self.written += batch.count


def _stored_part(db: sqlite3.Connection, text: str) -> int:
    db.execute("INSERT OR IGNORE INTO parts (text) VALUES (?)", (text,))
    return int(db.execute("SELECT id FROM parts WHERE text = ?", (text,)).fetchone()[0])


# Values bound per statement: binding holds the GIL, running the statement does not. Each distinct
# statement stays prepared in the connection's cache, about 1.3 KB a value: statements stay this small
# (999: any SQLite allows it) and of few sizes (see _insert), or the cache grows to tens of MB.
MAX_PARAMETERS = 999
PAGE_SIZE = 16384


def _insert(db: sqlite3.Connection, table: str, columns: int, values: list[Any]) -> None:
    """Insert rows given as their values one after the other, many rows per statement: sqlite3 takes
    the GIL back after every statement it runs (one per row with executemany), and each time this
    thread takes it, the run's event loop waits. The rows past the full statements go in statements
    of 2^k rows: a handful of statement sizes for any number of rows."""
    per = min(MAX_PARAMETERS, db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)) // columns  # rows a statement
    rows, size = len(values) // columns, per * columns
    at = rows // per * size
    if at:
        db.executemany(_insert_sql(table, columns, per), [values[i:i + size] for i in range(0, at, size)])
    rest = rows % per
    while rest:
        n = 1 << (rest.bit_length() - 1)
        db.execute(_insert_sql(table, columns, n), values[at:at + n * columns])
        at, rest = at + n * columns, rest - n


@functools.lru_cache(maxsize=64)
def _insert_sql(table: str, columns: int, rows: int) -> str:
    """OR FAIL: a statement that fails keeps the rows it inserted before, which the batch's ROLLBACK undoes
    anyway (_write). With the default (OR ABORT) SQLite must be able to undo the statement alone, so a
    statement of many rows into an indexed table journals every page it changes that existed before it
    (a statement journal, spilled to a temporary file past 64 KiB): a run wrote ~4x its data instead of
    ~2x (the WAL, then the checkpoint), ~2 us a call of the writer's CPU, most of it in the kernel."""
    row = "(" + ", ".join("?" * columns) + ")"
    return f"INSERT OR FAIL INTO {table} VALUES " + ", ".join([row] * rows)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")
