"""A text search filtered by action or outcome finds exactly the rows SQL's comparison finds, whether
the full-text index applies the filter (when it can tell the values apart) or SQL does (property test)."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.calls.history import Filter, History
from app.calls.history_search import Values, column_match, distinct

OUTCOMES = ["http_200", "http_201", "http_503", "http_20", "http_503_retry", "HTTP_503", "http-503", "error",
            "network_error", "timeout", "", "ünïcode_503", "__"]
ACTIONS = ["notifyWebhook", "notify_webhook", "Notify", "notify webhook", "writeJourneyEvent"]
WORDS = ["order", "webhook", "notify", "503", "http", "cust-4", "%", "journey"]


def add(history: History, rows: list[tuple[str, str, str]]) -> None:
    history.add_rows([("2026-11-23T12:00:00.000+00:00", action, "batch", outcome, 200, 1.0, "POST",
                       f"http://127.0.0.1/{action}", None, detail) for action, outcome, detail in rows])


def reference(history: History, where: Filter) -> tuple[list[int], int]:
    """What SQL's own comparison of the columns finds (the query built without the held values),
    on the full-text index brought up to date (it is filled behind the writer)."""
    history.catch_up()
    db = history._conn()
    sql, args = where.query().select("calls.id", "DESC", 10_000)
    count_sql, count_args = where.query().count()
    return [r[0] for r in db.execute(sql, args)], db.execute(count_sql, count_args).fetchone()[0]


ROWS = st.lists(st.tuples(st.sampled_from(ACTIONS), st.sampled_from(OUTCOMES),
                          st.lists(st.sampled_from(WORDS), max_size=4).map(" ".join)), min_size=1, max_size=40)


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new history file, closed: each example starts from a copy (creating the tables and the
    full-text index cost more than an example's searches)."""
    path = tmp_path_factory.mktemp("empty") / "h.sqlite3"
    History(path).close()
    return path


@settings(max_examples=120, deadline=None)
@given(rows=ROWS, text=st.lists(st.sampled_from(WORDS), min_size=1, max_size=2).map(" ".join),
       outcome=st.sampled_from([None, "error", *OUTCOMES[:-2]]), action=st.sampled_from([None, *ACTIONS]))
def test_the_index_filters_exactly_what_sql_compares(empty, rows, text, outcome, action) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copyfile(empty, Path(tmp) / "h.sqlite3")
        with History(Path(tmp) / "h.sqlite3", max_rows=1000) as history:
            add(history, rows)
            where = Filter(text=text, outcome=outcome or None, action=action)
            ids, count = reference(history, where)
            assert [r.id for r in history.rows(where, limit=10_000)] == ids
            assert history.count(where) == count
            if ids:  # paging by key gives the same rows
                assert [r.id for r in history.rows(where, limit=10_000, before=ids[0] + 1)] == ids


def test_the_index_takes_the_filter_only_when_it_tells_the_values_apart(tmp_path: Path) -> None:
    assert column_match("outcome", {"http_503"}, ("http_200", "http_503")) == 'outcome : (^"http 503")'
    assert column_match("outcome", {"http_503"}, ("http_503", "http_503_retry")) is None  # same first words
    assert column_match("outcome", {"http_503"}, ("http_503", "HTTP_503")) is None  # the index folds case
    assert column_match("outcome", {"error"}, ("error", "network_error")) == 'outcome : (^"error")'
    assert column_match("outcome", {"__"}, ("__", "http_200")) is None  # no word for the index to hold
    assert column_match("action", {"x"}, ("ünïcode",)) is None  # beyond ASCII: SQL compares
    with History(tmp_path / "h.sqlite3", max_rows=100) as history:
        add(history, [("b", "http_200", ""), ("a", "http_503", ""), ("a", "timeout", "")])
        db = history._conn()
        assert Values(distinct(db, "action"), distinct(db, "outcome")) == Values(("a", "b"),
                                                                                 ("http_200", "http_503", "timeout"))
        sql, args = Filter(text="a", outcome="error").query(values=Values(("a", "b"), distinct(db, "outcome"))).count()
        assert sql == "SELECT COUNT(*) FROM calls_text WHERE calls_text MATCH ?"  # the index alone counts
        assert args == ['("a"*) AND outcome : (^"http 503" OR ^"timeout")']
