"""The trace of a run: one SQLite file per run under `runs/` in the workspace, written by one thread.

What the runner hands in (`ProfileTrace` with its `StepTrace`s and their `AttemptTrace`s) is
queued and written in batches (WAL, executemany) by a single writer thread, one transaction per
batch, a profile with all its steps and attempts at once: after a kill -9 the file opens, every
finished profile is there, and the run reads as `interrupted` (the writer's lock on
`<run>.sqlite3.lock` is gone with its process). Counts are computed by SQL from these same rows
(app.journeys.tracereader), so a summary or a diagram can never disagree with the trace.

No secret reaches the file: requests and responses come masked from the call engine and are
masked again here with the run's `Masker` (known secret values, secret-named headers); actions
are stored as exported (secret references shown as ********). Bodies are kept up to 1 MB with an
explicit "truncated at N of M bytes" note.

Usage (the runner):
    with TraceWriter.create(home, journey, actions, seed=7, preset="fast", targets={...}) as trace:
        trace.add(ProfileTrace(...))          # any thread; cheap: the writer thread encodes
    # leaving the block: completed (or `trace.finish("cancelled")` before; an exception: interrupted)
"""
from __future__ import annotations

import json
import re
import secrets as _random
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Optional

from filelock import FileLock, Timeout

from app.journeys.model import Journey
from app.journeys.tracerecords import MAX_BODY, OUTCOMES, AttemptTrace, ProfileTrace, StepTrace, clip
from app.masking import Masker
from app.model import Action
from app.transfer import masked_dict

FOLDER = "runs"
SUFFIX = ".sqlite3"
SLOW_MS = 750.0  # the platform moves an endpoint slower than this to its slow service
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
CREATE INDEX IF NOT EXISTS profile_id ON profile(profile_id);
CREATE TABLE IF NOT EXISTS step (
    id INTEGER PRIMARY KEY, profile_seq INTEGER NOT NULL, idx INTEGER NOT NULL, node TEXT NOT NULL,
    port TEXT, next TEXT, virtual_at TEXT, wall_at REAL, wall_ms REAL, "values" TEXT, why TEXT,
    outcome TEXT, error TEXT
);
CREATE INDEX IF NOT EXISTS step_profile ON step(profile_seq);
CREATE TABLE IF NOT EXISTS attempt (
    id INTEGER PRIMARY KEY, step_id INTEGER NOT NULL, profile_seq INTEGER NOT NULL, node TEXT NOT NULL,
    number INTEGER NOT NULL, target TEXT NOT NULL, outcome TEXT, status INTEGER, error TEXT,
    method TEXT, url TEXT, request_headers INTEGER, request_body TEXT, request_note TEXT,
    response_headers TEXT, response_body TEXT, response_note TEXT,
    queue_ms REAL NOT NULL, network_ms REAL NOT NULL, slow INTEGER NOT NULL, wall_at REAL
);
CREATE INDEX IF NOT EXISTS attempt_step ON attempt(step_id);
CREATE TABLE IF NOT EXISTS parts (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
"""


class TraceError(Exception):
    """The trace cannot be written or read (the message says which file and why)."""


def runs_dir(home: Path) -> Path:
    return Path(home) / FOLDER


def new_run_id(journey_name: str) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
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
        self._pending: list[ProfileTrace] = []
        self._cond = threading.Condition()
        self._closing = False
        self._failure: Optional[BaseException] = None
        self._seq = self._step_id = self._attempt_id = 0
        self._parts: dict[str, int] = {}
        self._last_iso: tuple[Optional[datetime], Optional[str]] = (None, None)
        self.written = 0
        self.state = "running"

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
                run_id, SCHEMA_VERSION, journey.name, _json(journey.dump()),
                _json([masked_dict(a) for a in actions]), seed, preset, _json(targets), _json(settings or {}),
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
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a commit survives a process kill
        db.executescript(SCHEMA)
        db.execute("BEGIN IMMEDIATE")
        return db

    # -- producers -----------------------------------------------------------------------------
    def add(self, profile: ProfileTrace) -> None:
        """Queue a finished profile (any thread). Waits only when the writer is far behind."""
        with self._cond:
            self._raise_failure()
            if self._closing:
                raise TraceError(f"{self.path}: the run is already finished")
            while len(self._pending) >= self.max_pending and self._failure is None:
                self._cond.wait(0.1)
            self._pending.append(profile)
            if len(self._pending) >= self.batch:
                self._cond.notify_all()

    def finish(self, state: str = "completed", rows_read: Optional[int] = None) -> None:
        """Write what is queued, then the final state; releases the file. Idempotent."""
        if state not in STATES[1:]:
            raise ValueError(f"a run ends completed, cancelled or interrupted, not {state!r}")
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
                    if not self._closing and len(self._pending) < self.batch:
                        self._cond.wait(self.interval_s)
                    batch, self._pending = self._pending, []
                    closing = self._closing
                    self._cond.notify_all()
                if batch:
                    self._write(db, batch)
                if closing and not self._pending:
                    break
            state, rows = self._final
            db.execute("BEGIN IMMEDIATE")
            read = self.written if rows is None else rows
            db.execute("UPDATE run SET state = ?, ended_at = ?, rows_read = ?", (state, _now(), read))
            db.execute("COMMIT")
            self.state = state
        except BaseException as exc:  # noqa: BLE001 - reported to the producers by add()/finish()
            with self._cond:
                self._failure = exc
                self._pending.clear()
                self._cond.notify_all()
        finally:
            db.close()

    def _write(self, db: sqlite3.Connection, batch: list[ProfileTrace]) -> None:
        profiles, steps, attempts = [], [], []
        db.execute("BEGIN IMMEDIATE")
        try:
            for profile in batch:
                self._seq += 1
                profiles.append(self._profile_row(self._seq, profile))
                for idx, step in enumerate(profile.steps):
                    self._step_id += 1
                    steps.append(self._step_row(self._step_id, self._seq, idx, step))
                    for attempt in step.attempts:
                        self._attempt_id += 1
                        attempts.append(self._attempt_row(db, self._attempt_id, self._step_id, self._seq, step.node,
                                                          attempt))
            db.executemany("INSERT INTO profile VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", profiles)
            db.executemany('INSERT INTO step VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', steps)
            db.executemany("INSERT INTO attempt VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           attempts)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self.written += len(batch)

    def _profile_row(self, seq: int, p: ProfileTrace) -> tuple[Any, ...]:
        path = [s.node for s in p.steps]
        return (seq, p.row, p.profile_id, p.outcome, p.code, self.masker.text(p.error) if p.error else None,
                _json(path), path[-1] if path else None, self._iso(p.entered_at), self._iso(p.ended_at), p.wall_ms)

    def _step_row(self, step_id: int, seq: int, idx: int, s: StepTrace) -> tuple[Any, ...]:
        text = self.masker.text  # mapped values come from the profile and event, but never trust them
        return (step_id, seq, idx, s.node, s.port, s.next, self._iso(s.virtual_at), s.wall_at, s.wall_ms,
                text(_json(s.values)) if s.values is not None else None,
                text(_json(s.why)) if s.why is not None else None, s.outcome, text(s.error) if s.error else None)

    def _attempt_row(self, db: sqlite3.Connection, attempt_id: int, step_id: int, seq: int, node: str,
                     a: AttemptTrace) -> tuple[Any, ...]:
        m = self.masker
        req_body, req_note = clip(m.text(a.request_body) if a.request_body is not None else None)
        resp_body, resp_note = clip(m.text(a.response_body) if a.response_body is not None else None, a.response_size)
        headers = self._part(db, _json(m.headers(a.request_headers)))
        return (attempt_id, step_id, seq, node, a.number, a.target, a.outcome, a.status,
                m.text(a.error) if a.error else None, a.method, m.text(a.url), headers, req_body, req_note,
                _json(m.headers(a.response_headers)) if a.status is not None else None, resp_body, resp_note,
                a.queue_ms, a.network_ms, int(a.network_ms > SLOW_MS), a.wall_at)

    def _iso(self, value: Optional[datetime]) -> Optional[str]:
        """A profile's steps mostly share one virtual time (the same object): its text is reused."""
        if value is not self._last_iso[0]:
            self._last_iso = (value, _iso(value))
        return self._last_iso[1]

    def _part(self, db: sqlite3.Connection, text: str) -> int:
        """Request header sets repeat across a run's calls: each is stored once."""
        found = self._parts.get(text)
        if found is None:
            db.execute("INSERT OR IGNORE INTO parts (text) VALUES (?)", (text,))
            found = db.execute("SELECT id FROM parts WHERE text = ?", (text,)).fetchone()[0]
            if len(self._parts) < 10_000:
                self._parts[text] = found
        return found


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


# One encoder for every row: json.dumps with options builds a new one per call (~9 us of ~14).
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode


def _iso(value: Optional[datetime]) -> Optional[str]:
    return value.isoformat() if value is not None else None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")
