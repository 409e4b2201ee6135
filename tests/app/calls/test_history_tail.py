"""History format 4: the full-text index is filled behind the writer, and a search finds every row at
every moment: the rows past the index's mark are searched without it, by the index's own rule."""
from __future__ import annotations

import contextlib
import itertools
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator, TextIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.calls.history import Filter, History, row_of
from app.calls.history_index import SMALL_TAIL
from app.calls.history_schema import FORMAT
from app.calls.history_search import match_query
from app.calls.history_tail import TailMatcher
from app.calls.record import CallResult, RecordedExchange, RecordedRequest

REPO = Path(__file__).resolve().parents[3]
VALUES = ("Zoë Müller", "ΣΑΣ", "straße", "cust_42", "naïve café", "İstanbul", "x\u0301y", "100%", "a²b", "plain")


def call(i: int, action: str = "burst") -> CallResult:
    body = f'{{"customerId": "cust-{i}", "name": "{VALUES[i % len(VALUES)]}", "order": "ord-{i % 7}"}}'
    request = RecordedRequest("POST", f"http://127.0.0.1:9/echo/{i % 5}", [("Content-Type", "application/json")],
                              body)
    return CallResult(action=action, outcome="http_200" if i % 4 else "http_503",
                      exchanges=[RecordedExchange(request, None, None, 1.0)])


def write(path: Path, start: int, count: int) -> None:
    """Rows written by another History (another process, as far as the file knows), closed before
    its indexer ran: they stay past the mark."""
    with History(path) as writer:
        writer.add_rows([row_of(call(i)) for i in range(start, start + count)])


SEARCHES = [Filter(text=t) for t in ("cust-1", "cust-1734", "zoe", "müller", "σας", "strasse", "straße", "cust_42",
                                     "cafe", "istanbul", "xy", "100%", "a²", "plain ord-3", "echo 3", "nothing",
                                     "http_503", "%")]
SEARCHES += [Filter(text="ord-2", outcome="http_503"), Filter(text="cust", outcome="error"),
             Filter(text="cust-2", action="burst"), Filter(text="plain", action="other")]


def answers(history: History) -> list[tuple[int, list[int], list[int]]]:
    """Each search's count, first page, and the page after its 7th row (paging by key)."""
    out = []
    for where in SEARCHES:
        first = [r.id for r in history.rows(where, limit=20)]
        after = [r.id for r in history.rows(where, limit=20, before=first[6])] if len(first) > 6 else []
        out.append((history.count(where), first, after))
    return out


def integrity(history: History) -> None:
    history._conn().execute("INSERT INTO calls_text(calls_text) VALUES ('integrity-check')")  # raises if not


def test_a_search_right_after_a_burst_finds_the_rows_of_its_tail(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    # A tail just too big to index at a search: read without the index. (Each search reads each of its
    # rows once, most of them through a private index: its size costs, being over the limit is the point.)
    tail = SMALL_TAIL + 100
    with History(path) as reader:
        # No indexing behind the searches: on a loaded machine a pause of IDLE_S between two of them
        # let the reader's indexer take the tail midway (the test failed: unindexed() was 0)
        reader._indexer.stop()
        write(path, 0, 2000 - tail)
        reader.catch_up()
        write(path, 2000 - tail, tail)
        assert reader.unindexed() == tail > SMALL_TAIL
        scanned = answers(reader)
        exported = [d["id"] for d in reader.iter_details(Filter(text="cust-19"), chunk=3)]
        assert reader.unindexed() == tail
        assert reader.catch_up() == tail and reader.unindexed() == 0
        assert answers(reader) == scanned
        assert [d["id"] for d in reader.iter_details(Filter(text="cust-19"), chunk=3)] == exported
        assert scanned[1][0] == 1 and scanned[0][0] == 1 + 10 + 100 + 1000  # cust-1, cust-1x, 1xx, 1xxx
        integrity(reader)


def test_a_small_tail_is_indexed_by_the_search(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with History(path) as reader:
        write(path, 0, 30)
        assert reader.unindexed() == 30
        assert reader.count(Filter(text="cust-2")) == 1 + 10
        assert reader.unindexed() == 0
        integrity(reader)


def test_the_writer_indexes_once_the_burst_is_over(tmp_path: Path) -> None:
    with History(tmp_path / "history.sqlite3") as history:
        history.add_rows([row_of(call(i)) for i in range(50)])
        wait_until(lambda: history.unindexed() == 0)
        assert history.rows(Filter(text="cust-49"))[0].id == 50
        integrity(history)


def test_pruning_and_clearing_keep_the_index_whole(tmp_path: Path) -> None:
    """Pruned rows leave the index only if it held them; a clear lowers the mark (ids start again)."""
    path = tmp_path / "history.sqlite3"
    with History(path, max_rows=100) as history:
        write(path, 0, 60)
        history.catch_up()
        history.add_rows([row_of(call(i)) for i in range(60, 400)])  # prunes indexed and unindexed rows
        assert history.count() == 100 and history.count(Filter(text="burst")) == 100
        history.catch_up()
        integrity(history)
        history.clear()
        history.add_rows([row_of(call(i, "after")) for i in range(3)])
        assert [r.id for r in history.rows(Filter(text="after"))] == [3, 2, 1]
        history.catch_up()
        assert history.count(Filter(text="after")) == 3
        integrity(history)


def test_a_format_3_file_is_migrated_with_every_row_indexed(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with History(path) as history:
        history.add_rows([row_of(call(i)) for i in range(20)])
        history.catch_up()
    db = sqlite3.connect(path)  # as format 3 left it: every row indexed, no mark, a plain delete trigger
    db.executescript("""DROP TABLE calls_text_mark; DROP TRIGGER calls_text_remove;
        CREATE TRIGGER calls_text_remove AFTER DELETE ON calls BEGIN
        INSERT INTO calls_text(calls_text, rowid, action, url, outcome, detail)
        VALUES ('delete', old.id, old.action, old.url, old.outcome, old.detail); END; PRAGMA user_version = 3;""")
    db.close()
    with History(path, max_rows=15) as history:
        assert history.unindexed() == 0 and history.count(Filter(text="cust-1")) == 11
        history.add_rows([row_of(call(i)) for i in range(20, 25)])
        assert history.count(Filter(text="burst")) == 15
        history.catch_up()
        integrity(history)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == FORMAT == 4
    db.close()


WRITER = """
import sys, time
from pathlib import Path
from app.calls.history import History, row_of
from tests.app.calls.test_history_tail import call
path, batches = Path(sys.argv[1]), int(sys.argv[2])
with History(path) as history:
    i = 0
    print(i, flush=True)  # started: the reader begins asking now, not while this process imports
    while batches:
        history.add_rows([row_of(call(n)) for n in range(i, i + 200)])
        i, batches = i + 200, batches - 1
        print(i, flush=True)
"""


@contextlib.contextmanager
def writer(path: Path, batches: int) -> Iterator[tuple[subprocess.Popen[str], TextIO]]:
    """The writing process on a new history file, and its output (the rows written so far); killed and
    reaped at the end, whatever the test did with it."""
    History(path).close()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(batches)], cwd=REPO, env=env,
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    try:
        yield child, child.stdout
    finally:
        child.kill()
        child.wait()
        child.stdout.close()


def test_a_search_in_another_process_during_a_burst_misses_no_row(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with writer(path, 30) as (child, out):
        assert out.readline() == "0\n"
        with History(path) as reader:
            seen = 0
            while child.poll() is None or seen < 6000:
                held = reader.count()
                assert reader.count(Filter(text="burst")) >= held  # rows only come: none missed
                if held:
                    assert held in [r.id for r in reader.rows(Filter(text=f"cust-{held - 1}"))]  # (and cust-{held-1}x)
                seen = held
            assert child.wait(60) == 0
            assert reader.count(Filter(text="burst")) == reader.count() == 6000


def test_a_burst_killed_midway_is_indexed_when_the_file_is_next_opened(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with writer(path, 10_000) as (child, out):
        while int(out.readline()) < 3000:
            pass
        os.kill(child.pid, signal.SIGKILL)
    with History(path) as history:
        held = history.count()
        assert held >= 3000 and history.unindexed() > 0  # the writer never paused to index
        wait_until(lambda: history.unindexed() == 0)  # the open started the indexing
        assert history.count(Filter(text="burst")) == held
        assert [r.id for r in history.rows(Filter(text=f"cust-{held - 1}"))] == [held]
        integrity(history)


def wait_until(done, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "not done in time"
        time.sleep(0.05)


ASCII = st.text(st.sampled_from("aAbzZ09 -_.:%\"'*\n{}\0"), max_size=12)  # the rows matched by a pattern
TEXT = st.one_of(ASCII, st.text(st.sampled_from("aAzZ09 -_.:%\"'*éÉeßsΣσςİiı\u0301ﬁ²٣ǅ\n{}"), max_size=12))


@pytest.fixture(scope="module")
def oracle() -> Iterator[tuple[sqlite3.Connection, TailMatcher]]:
    """The index (a one-row FTS5 table, emptied after each example) and the matcher the examples ask:
    made once, not per example (two in-memory databases and four virtual tables cost more than an example)."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(action, url, outcome, detail)")
    matcher = TailMatcher()
    yield db, matcher
    matcher.close()
    db.close()


_ROWS = itertools.count(1)  # a row id per example: the matcher remembers its answers by words and row


@settings(max_examples=400, deadline=None)
@given(columns=st.one_of(st.tuples(ASCII, ASCII, ASCII, ASCII), st.tuples(TEXT, TEXT, TEXT, TEXT)),
       text=st.lists(TEXT, min_size=1, max_size=2).map(" ".join))
def test_the_tail_search_matches_what_the_index_matches(oracle: tuple[sqlite3.Connection, TailMatcher],
                                                        columns: tuple[str, str, str, str], text: str) -> None:
    words = Filter(text=text).indexed_words()
    if not words:
        return
    db, matcher = oracle
    row = next(_ROWS)
    db.execute("INSERT INTO t VALUES (?, ?, ?, ?)", columns)
    try:
        expected = db.execute("SELECT COUNT(*) FROM t WHERE t MATCH ?", (match_query(words),)).fetchone()[0]
    finally:
        db.execute("DELETE FROM t")
    assert matcher.known(" ".join(words), row, "t") is None
    assert matcher.match(" ".join(words), row, "t", *columns) == expected == matcher.known(" ".join(words), row, "t")


def test_a_row_beyond_ascii_is_read_into_the_private_index_once_for_every_search_text() -> None:
    """Its tokens are read back once (by row id and time); each search text is then matched on them,
    as the index would match it, where each text used to put the row in the index again."""
    matcher = TailMatcher()
    inserted: list[str] = []
    matcher._db.set_trace_callback(lambda sql: inserted.append(sql) if sql.startswith("INSERT INTO one ") else None)
    try:
        row = ("burst", "http://127.0.0.1:9/echo/1", "http_200", '{"name": "Zoë Müller", "order": "ord-3 straße"}')
        answers = [matcher.match(words, 7, "t", *row) for words in ("zoe", "muller ord-3", "strasse", "echo 1", "ord-4")]
        assert answers == [1, 1, 0, 1, 0]  # straße is its own token: the index does not fold ß to ss
        assert len(inserted) == 1
        assert matcher.match("zoe", 7, "t2", *row) == 1 and len(inserted) == 2  # another row (a clear reused id 7)
    finally:
        matcher.close()


def test_a_history_searching_no_tail_makes_no_private_index(tmp_path: Path) -> None:
    """The matcher's in-memory index is made at the first tail search, not at every history opened."""
    with History(tmp_path / "history.sqlite3") as history:
        history.add_rows([row_of(call(i)) for i in range(3)])
        assert history.count() == 3 and [r.id for r in history.rows(Filter(outcome="error"))] == [1]
        assert history.count(Filter(text="cust-1")) == 1  # a small tail: indexed first, then searched
        assert history._matcher._private is None
    matcher = TailMatcher()
    try:
        assert matcher._private is None
        assert matcher.match("cust-1", 1, "t", "burst", "http://127.0.0.1:9/echo/1", "http_200", "cust-1") == 1
        assert matcher._private is not None
    finally:
        matcher.close()
