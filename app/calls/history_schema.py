"""The history database's format: its tables, its version (`PRAGMA user_version`) and the migration.

Format 2 adds a full-text index (SQLite FTS5, external content: the index holds no second copy of
the text), and an index on `outcome`. Format 3 indexes inserted rows in bulk (`INDEX_NEW`, run by
the writer in the transaction that inserts them: a trigger per row cost ~40 us more per call on the
bulk path, measured) and keeps the trigger that removes pruned rows from the index; the index holds
the same text, so searches find the same rows. An older file (format 1: written before the version
was recorded, user_version 0; format 2: the insert trigger) is migrated in place, in one
transaction, when it is opened; a file of a newer format is refused and left untouched (a version
that expects the insert trigger never writes unindexed rows to it).

Format 4 takes the indexing out of the writer's transaction (issue 14: tokenising was ~20-25 us of
CPU per call during a burst): rows are committed unindexed and app.calls.history_index fills the
index behind the writer, up to a high-water mark stored in the file (`calls_text_mark.indexed`: every
row with an id up to it is in the index, none above), so the window and the command line sharing a
workspace agree on it. A search reads the rows past the mark without the index
(app.calls.history_tail). Migrating a file of format 1 to 3 sets the mark to its last row (those
formats indexed every row) and makes the delete trigger skip rows the index does not hold (FTS5
must never be asked to delete what it does not hold).
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from app.store_errors import StoreError

FORMAT = 4
_TABLES = (
    """CREATE TABLE IF NOT EXISTS calls (
        id INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        action TEXT NOT NULL,
        source TEXT NOT NULL,
        outcome TEXT NOT NULL,
        status INTEGER,
        duration_ms REAL NOT NULL,
        method TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        error TEXT,
        detail TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS calls_action ON calls(action, id)",
    "CREATE TABLE IF NOT EXISTS parts (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)",
)
# Format 2. The searched columns are the ones the LIKE search of format 1 read.
_FORMAT_2 = (
    "CREATE INDEX IF NOT EXISTS calls_outcome ON calls(outcome, id)",
    """CREATE VIRTUAL TABLE IF NOT EXISTS calls_text USING fts5(
        action, url, outcome, detail, content='calls', content_rowid='id')""",
    """CREATE TRIGGER IF NOT EXISTS calls_text_remove AFTER DELETE ON calls BEGIN
        INSERT INTO calls_text(calls_text, rowid, action, url, outcome, detail)
        VALUES ('delete', old.id, old.action, old.url, old.outcome, old.detail);
    END""",
    "INSERT INTO calls_text(calls_text) VALUES ('rebuild')",  # the rows a format-1 file already holds
)
_FORMAT_3 = ("DROP TRIGGER IF EXISTS calls_text_add",)  # format 2's per-row indexing (its rows are indexed)
_FORMAT_4 = (
    "CREATE TABLE IF NOT EXISTS calls_text_mark (one INTEGER PRIMARY KEY CHECK (one = 1), indexed INTEGER NOT NULL)",
    "INSERT OR IGNORE INTO calls_text_mark VALUES (1, (SELECT COALESCE(MAX(id), 0) FROM calls))",
    "DROP TRIGGER IF EXISTS calls_text_remove",
    """CREATE TRIGGER calls_text_remove AFTER DELETE ON calls
       WHEN old.id <= (SELECT indexed FROM calls_text_mark) BEGIN
        INSERT INTO calls_text(calls_text, rowid, action, url, outcome, detail)
        VALUES ('delete', old.id, old.action, old.url, old.outcome, old.detail);
    END""",
)
# The mark and the last row's id.
MARK = "SELECT indexed, (SELECT COALESCE(MAX(id), 0) FROM calls) FROM calls_text_mark"
# Indexes the rows with ids in (?, ?], in bulk (a trigger per row cost ~40 us more per call, format 2).
INDEX_RANGE = ("INSERT INTO calls_text(rowid, action, url, outcome, detail) "
               "SELECT id, action, url, outcome, detail FROM calls WHERE id > ? AND id <= ?")
SET_MARK = "UPDATE calls_text_mark SET indexed = ?"
# Before an insert, given the last id: rows past it were all deleted (a clear, a prune to nothing),
# and new rows will reuse their ids: they were removed from the index, so the mark comes back to it.
LOWER_MARK = "UPDATE calls_text_mark SET indexed = ?1 WHERE indexed > ?1"


class HistoryError(StoreError):
    """The history database cannot be used; the message names the file."""


class NewerFormatError(HistoryError):
    """The file was written by a newer version of the app: it is left as it is."""


def format_of(db: sqlite3.Connection) -> int:
    """The file's format: 1 for a file from before versions were recorded, 0 for an empty one."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version:
        return version
    return 1 if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'calls'").fetchone() else 0


def prepare(db: sqlite3.Connection, path: Path) -> None:
    """Create the tables of a new file or migrate an older one to FORMAT; refuse a newer one.

    In one transaction (a migration killed midway leaves the file as it was), re-checked inside it
    (two processes opening the same old file migrate it once).
    """
    if format_of(db) == FORMAT:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        found = format_of(db)
        if found > FORMAT:
            raise NewerFormatError(
                f"{path}: this history was written by a newer version of Action Studio (format {found}; "
                f"this version reads formats up to {FORMAT}); it was left as it is: open the workspace with "
                "the newer version, or move the file away to start a new history")
        if found < FORMAT:
            for statement in (*(_TABLES + _FORMAT_2 if found < 2 else ()), *_FORMAT_3, *_FORMAT_4):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {FORMAT}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise

