"""The history file's format version: an older file is migrated in place, a newer one refused."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.calls.history import Filter, History, HistoryError, row_of
from app.calls.history_schema import FORMAT
from app.calls.record import CallResult, RecordedExchange, RecordedRequest
from tests.helpers.cli import run_cli

# What a history of format 1 holds (the tables before the version was recorded: user_version 0).
FORMAT_1 = """
CREATE TABLE calls (id INTEGER PRIMARY KEY, time TEXT NOT NULL, action TEXT NOT NULL, source TEXT NOT NULL,
    outcome TEXT NOT NULL, status INTEGER, duration_ms REAL NOT NULL, method TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '', error TEXT, detail TEXT NOT NULL);
CREATE INDEX calls_action ON calls(action, id);
CREATE TABLE parts (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
"""


def format_1_file(path: Path, count: int) -> None:
    results = [CallResult(action=f"old{i}", outcome="http_200" if i % 3 else "http_500", exchanges=[
        RecordedExchange(RecordedRequest("POST", f"http://x/orders/{i}", [], f'{{"order": "ord-{i}"}}'))])
        for i in range(count)]
    db = sqlite3.connect(path)
    db.executescript(FORMAT_1)
    db.executemany("INSERT INTO calls (time, action, source, outcome, status, duration_ms, method, url, error,"
                   " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [row_of(r) for r in results])
    db.commit()
    db.close()


def user_version(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute("PRAGMA user_version").fetchone()[0])
    finally:
        db.close()


def test_a_format_1_file_is_migrated_in_place_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    format_1_file(path, 30)
    with History(path) as history:
        assert history.count() == 30 and history.problems == []
        assert [r.action for r in history.rows(Filter(text="ord-17"))] == ["old17"]  # indexed by the migration
        assert history.count(Filter(outcome="http_500")) == 10
        history.add(CallResult(action="new", outcome="http_200"))
    assert user_version(path) == FORMAT
    assert not (tmp_path / "broken").exists()
    with History(path) as again:
        assert again.count() == 31 and again.rows(Filter(text="new"))[0].action == "new"


def test_a_new_file_is_created_at_the_current_format(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        history.add(CallResult(action="a", outcome="http_200"))
    assert user_version(tmp_path / "h.sqlite3") == FORMAT


def test_a_newer_file_is_refused_by_name_and_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with History(path) as history:
        history.add(CallResult(action="a", outcome="http_200"))
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {FORMAT + 1}")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(HistoryError) as caught:
        History(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: this history was written by a newer version of Action Studio")
    assert f"format {FORMAT + 1}" in message and "left as it is" in message
    assert path.read_bytes() == before and not (tmp_path / "broken").exists()

    listing = run_cli("history", "list", "--home", str(tmp_path))
    assert listing.returncode == 1 and listing.stdout == ""
    assert listing.stderr.startswith(f"error: {path}: this history was written by a newer version"), listing.stderr
    assert path.read_bytes() == before


FORMAT_2_TRIGGER = """CREATE TRIGGER calls_text_add AFTER INSERT ON calls BEGIN
    INSERT INTO calls_text(rowid, action, url, outcome, detail)
    VALUES (new.id, new.action, new.url, new.outcome, new.detail);
END"""


def test_a_format_2_file_is_migrated_and_its_rows_stay_found_once(tmp_path: Path) -> None:
    """Format 2 indexed each row by a trigger; format 3 indexes them in bulk: the trigger goes (else
    every new row would be indexed twice) and every row is found, old and new, once."""
    path = tmp_path / "history.sqlite3"
    History(path).close()
    db = sqlite3.connect(path)
    db.execute(FORMAT_2_TRIGGER)
    db.execute("PRAGMA user_version = 2")
    db.execute("INSERT INTO calls (time, action, source, outcome, status, duration_ms, method, url, error, detail)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row_of(CallResult(action="old", outcome="http_200")))
    db.commit()
    db.close()
    with History(path) as history:
        history.add_many([CallResult(action=f"new{i}", outcome="http_201") for i in range(3)])
        assert [r.action for r in history.rows(Filter(text="old"))] == ["old"]
        assert [r.action for r in history.rows(Filter(text="new1"))] == ["new1"]
        assert history.count(Filter(text="http_201")) == 3
    assert user_version(path) == FORMAT == 4
    db = sqlite3.connect(path)
    assert db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall() == [("calls_text_remove",)]
    db.close()
