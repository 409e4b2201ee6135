"""The history's text search (the full-text index), paging by key and the outcome index."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.calls.history import Filter, History
from app.calls.record import CallResult, RecordedExchange, RecordedRequest, RecordedResponse


def call(action: str, url: str, body: str = "", outcome: str = "http_200") -> CallResult:
    status = int(outcome[5:]) if outcome.startswith("http_") else 0
    request = RecordedRequest("POST", url, [("Content-Type", "application/json")], body)
    return CallResult(action=action, outcome=outcome, exchanges=[
        RecordedExchange(request, RecordedResponse(status, "", [], '{"received": true}', 1.0) if status else None)])


@pytest.fixture
def history(tmp_path: Path):
    with History(tmp_path / "h.sqlite3") as opened:
        opened.add_many([
            call("notifyWebhook", "http://127.0.0.1:9/echo/hook", '{"customerId": "cust-42"}'),
            call("notifyWebhook", "http://127.0.0.1:9/echo/hook", '{"customerId": "cust-7"}', "http_503"),
            call("writeJourneyEvent", "http://127.0.0.1:9/collection/inlet", '{"eventType": "Journey.Step"}'),
            call("airshipCustomEvent", "http://127.0.0.1:9/api/custom-events", '{"name": "Café crème"}',
                 "timedout"),
        ])
        yield opened


def actions(history: History, text: str) -> list[str]:
    return [r.action for r in history.rows(Filter(text=text))]


def test_words_and_word_starts_match_in_any_case(history: History) -> None:
    assert actions(history, "cust-42") == ["notifyWebhook"]
    assert actions(history, "cust-4") == ["notifyWebhook"]  # the start of a word
    assert actions(history, "ust-42") == []  # ...not the middle of one
    assert actions(history, "JOURNEY.step") == ["writeJourneyEvent"]
    assert actions(history, "custom-events") == ["airshipCustomEvent"]
    assert actions(history, "café") == ["airshipCustomEvent"]
    assert actions(history, "notifywebhook 503") == ["notifyWebhook"]  # every word, anywhere in the row
    assert actions(history, "timedout") == ["airshipCustomEvent"]
    assert history.count(Filter(text="echo")) == 2 and history.count(Filter(text="echo nowhere")) == 0


@pytest.mark.parametrize("text", ['"', '""', "cust*", "(cust", "NEAR(a b)", "detail:cust", "a AND OR NOT",
                                  "-cust", "^cust", "{", "'", "\\", "cust-42\"", "+", "%", "_"])
def test_search_syntax_characters_never_error(history: History, text: str) -> None:
    history.count(Filter(text=text))
    history.rows(Filter(text=text))


def test_punctuation_is_searched_as_written(history: History) -> None:
    assert actions(history, "cust-7") == ["notifyWebhook"]
    assert actions(history, "cust_7") == []  # the index alone would find cust-7: the "_" must be there
    assert actions(history, "9/collection") == ["writeJourneyEvent"]
    assert actions(history, "{") == ["airshipCustomEvent", "writeJourneyEvent", "notifyWebhook", "notifyWebhook"]
    assert actions(history, "%") == []


def test_the_index_follows_pruning_and_reopening(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3", max_rows=3) as history:
        history.add_many([call(f"a{i}", f"http://x/path{i}") for i in range(5)])
        assert history.count(Filter(text="path0")) == 0 and history.count(Filter(text="path4")) == 1
        history._conn().execute("INSERT INTO calls_text(calls_text) VALUES ('integrity-check')")
    with History(tmp_path / "h.sqlite3") as again:
        assert [r.action for r in again.rows(Filter(text="path"))] == ["a4", "a3", "a2"]


def test_pages_by_key_are_stable_while_rows_are_added(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        history.add_many([call(f"a{i}", "http://x/", outcome="http_500" if i % 2 else "http_200")
                          for i in range(10)])
        first = history.rows(Filter(outcome="error"), limit=2)
        assert [r.action for r in first] == ["a9", "a7"]
        history.add_many([call("late", "http://x/", outcome="http_500")])  # OFFSET would repeat a7
        second = history.rows(Filter(outcome="error"), limit=2, before=first[-1].id)
        assert [r.action for r in second] == ["a5", "a3"]
        assert [r.action for r in history.rows(limit=3, before=second[-1].id)] == ["a2", "a1", "a0"]


def test_an_outcome_filter_uses_the_outcome_index(history: History) -> None:
    sql, args = Filter(outcome="http_503").query().select("calls.id", "DESC", 5)
    plan = history._conn().execute(f"EXPLAIN QUERY PLAN {sql}", args).fetchall()
    assert any("calls_outcome" in step[-1] for step in plan), plan
    assert history.count(Filter(outcome="error")) == 2  # http_503 and timedout: not 2xx
