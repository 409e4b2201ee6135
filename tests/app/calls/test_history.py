"""The call history: survives reopening, searchable, exportable, bounded, thread-safe, no secrets."""
from __future__ import annotations

import ast
import importlib
import io
import json
import sqlite3
import sys
import threading
from pathlib import Path

import pytest

import app.calls.history as history_module
from app.calls.batch import read_batch, run_batch
from app.calls.build import prepare
from app.calls.history import Filter, History, HistoryBuffer, close_history, history_of, row_of
from app.calls.record import CallResult
from app.calls.values import example_values


def fake(action: str = "a", outcome: str = "http_200", error: str | None = None) -> CallResult:
    return CallResult(action=action, outcome=outcome, error=error, duration_ms=1.5)


def test_rows_survive_reopening(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        history.add(fake("first"))
        history.add_many([fake("second", "http_400"), fake("third", "timedout", "timed out after 1.0 s")])
    with History(tmp_path / "h.sqlite3") as again:
        assert [r.action for r in again.rows()] == ["third", "second", "first"]
        row = again.rows(Filter(outcome="timedout"))[0]
        assert row.error == "timed out after 1.0 s"
        assert again.result(row.id).outcome == "timedout"


def test_wal_and_synchronous_settings(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        db = history._conn()
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_filters_search_and_export(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        history.add_many([fake("alpha"), fake("beta", "http_503"), fake("alpha", "http_404", "no 100%_match")])
        assert history.count(Filter(action="alpha")) == 2
        assert history.count(Filter(outcome="error")) == 2
        assert [r.action for r in history.rows(Filter(text="100%_"))] == ["alpha"]
        assert history.count(Filter(text="%")) == 1  # LIKE wildcards are literal
        assert history.outcomes() == ["http_200", "http_404", "http_503"]
        out = io.StringIO()
        assert history.export_jsonl(out, Filter(action="beta")) == 1
        line = json.loads(out.getvalue())
        assert line["action"] == "beta" and line["outcome"] == "http_503" and line["id"] == 2


def test_pruned_past_max_rows(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3", max_rows=10) as history:
        history.add_many([fake(f"a{i}") for i in range(8)])
        history.add_many([fake(f"b{i}") for i in range(7)])
        rows = history.rows(limit=100)
        assert len(rows) == 10 and rows[-1].action == "a5" and rows[0].action == "b6"


def test_thread_safe_writers_and_listeners(tmp_path: Path) -> None:
    heard = []
    with History(tmp_path / "h.sqlite3") as history:
        history.subscribe(heard.append)

        def write(n: int) -> None:
            for _ in range(50):
                history.add(fake(f"t{n}"))

        threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert history.count() == 200 and sum(heard) == 200


def test_buffer_writes_in_batches(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        batches: list[int] = []
        history.subscribe(batches.append)
        buffer = HistoryBuffer(history, size=10, interval_s=3600)
        for i in range(25):
            buffer.add(fake(f"x{i}"))
        buffer.flush()  # waits for the writer
        assert batches == [10, 10, 5] and history.count() == 25
        assert [r.action for r in history.rows(Filter(text="x17"))] == ["x17"]


def test_rows_are_inserted_hundreds_per_statement(tmp_path: Path) -> None:
    """Each statement's step gives the GIL away and takes it back: 1,234 rows take seven (500, 500, then
    234 in powers of two: 128, 64, 32, 8, 2), not 1,234."""
    with History(tmp_path / "h.sqlite3") as history:
        statements: list[str] = []
        history._conn().set_trace_callback(statements.append)
        ids = history.add_rows([row_of(fake(f"r{i}", "http_200" if i % 7 else "http_500")) for i in range(1234)])
        history._conn().set_trace_callback(None)
        inserts = [s for s in statements if s.startswith("INSERT INTO calls (")]
        assert [s.count("),(") + s.count("), (") + 1 for s in inserts] == [500, 500, 128, 64, 32, 8, 2]
        assert ids == list(range(1, 1235)) and history.count() == 1234
        assert [r.action for r in history.rows(Filter(text="r1233"))] == ["r1233"]  # indexed, every part
        assert history.count(Filter(outcome="http_500")) == len(range(0, 1234, 7))
        assert history.result(1234).action == "r1233" and history.rows(limit=1)[0].id == 1234


def test_batches_of_any_size_prepare_a_dozen_statements_at_most(tmp_path: Path) -> None:
    """The connection keeps each distinct statement prepared (~160 bytes a parameter, 128 of them):
    a window's batches of 1 to 500 rows must not each add one (tens of MB over a long session)."""
    from app.calls.history import _statement_sizes

    sizes = {n: list(_statement_sizes(n, 500)) for n in range(3000)}
    assert all(sum(parts) == n for n, parts in sizes.items())
    assert set().union(*sizes.values()) == {500} | {1 << b for b in range(9)}
    with History(tmp_path / "h.sqlite3") as history:
        texts: set[str] = set()
        history._conn().set_trace_callback(lambda s: texts.add(s.split(" VALUES ")[0] + str(s.count("?")))
                                            if s.startswith("INSERT INTO calls (") else None)
        added = sum(len(history.add_rows([row_of(fake(f"b{size}")) for _ in range(size)]))
                    for size in range(1, 300, 7))
        history._conn().set_trace_callback(None)
        assert added == history.count() == sum(range(1, 300, 7))
        assert len(texts) <= 9, sorted(texts)  # one text per batch size: 43


def test_a_buffer_whose_writing_failed_says_so(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    buffer = HistoryBuffer(history, size=2, interval_s=3600)
    history.close()
    buffer.add(fake("a"))
    buffer.add(fake("b"))  # handed to the writer, which finds the history closed
    with pytest.raises(RuntimeError, match="the history is closed"):
        buffer.flush()


def test_shared_history_of_services(services) -> None:
    first = history_of(services)
    assert history_of(services) is first
    assert first.path == services.workspace.home / "history.sqlite3"
    close_history(services)
    assert history_of(services) is not first
    close_history(services)


def test_history_holds_no_secret(services, resolver, sandbox, secrets, tmp_path: Path) -> None:
    from app.calls import example_values, send
    from app.model import SecretRef

    # A distinctive client secret (the sample's "5678" could occur by chance in ids and times).
    secrets.put("cl1ent-S3cret-Zq9", ref=SecretRef(secret="sample/writeJourneyEvent/client_secret"))
    sandbox.add_client("1234", "cl1ent-S3cret-Zq9")

    path = services.workspace.home / "history.sqlite3"
    with History(path) as history:
        for name in ("writeJourneyEvent", "airshipCustomEvent", "notifyWebhook"):
            action = services.workspace.load(name)
            assert send(action, example_values(action), engine=services.auth, resolver=resolver,
                        history=history).ok
        action = services.workspace.load("writeJourneyEvent")
        prepared = prepare(action, resolver)
        lines = "\n".join(json.dumps(example_values(action)) for _ in range(20))
        summary = run_batch(action, read_batch(prepared, lines).items, engine=services.auth, resolver=resolver,
                            prepared=prepared, history=history)
        assert summary.ok == 20
        tokens = {services.auth.credentials(action.auth, resolver)[0]["Authorization"].split()[1]}
        sandbox.expire_tokens()  # a second token, issued mid-run, must not leak either
        assert send(action, example_values(action), engine=services.auth, resolver=resolver, history=history).ok
        tokens.add(services.auth.credentials(action.auth, resolver)[0]["Authorization"].split()[1])
        assert len(tokens) == 2
        export = tmp_path / "export.jsonl"
        with export.open("w") as out:
            assert history.export_jsonl(out) == 24
    assert sandbox.counters()["token"] == 2
    secrets = [b"cl1ent-S3cret-Zq9", b"sandbox-airship-token", *(t.encode() for t in tokens)]
    stored = b"".join(p.read_bytes() for p in path.parent.glob("history.sqlite3*")) + export.read_bytes()
    for secret in secrets:
        assert secret not in stored, secret
    assert len(stored) > 10_000
    assert b"********" in stored



def test_a_batch_stores_its_shared_request_headers_once(services, resolver, sandbox, tmp_path: Path) -> None:
    """Rows of a batch hold the id of their (masked) request headers; every reader puts them back."""
    action = services.workspace.load("writeJourneyEvent")
    prepared = prepare(action, resolver)
    lines = "\n".join(json.dumps(example_values(action)) for _ in range(30))
    with History(tmp_path / "h.sqlite3") as history:
        assert run_batch(action, read_batch(prepared, lines).items, engine=services.auth, resolver=resolver,
                         prepared=prepared, history=history).ok == 30
        parts = history._conn().execute("SELECT text FROM parts").fetchall()
        assert len(parts) == 1 and "Authorization: ********" in parts[0][0]
        stored = history._conn().execute("SELECT COUNT(*) FROM calls WHERE detail LIKE '%sandbox-name%'")
        assert stored.fetchone()[0] <= 1  # the first call's, before its headers were seen shared...
        rows = history.rows(limit=30)
        for row in rows:  # ...and each call still shows them all, masked
            headers = dict(history.result(row.id).request.headers)
            assert headers["Authorization"] == "********" and headers["sandbox-name"] == "prod"
            assert headers["Content-Type"] == "application/json" and headers["Host"].startswith("127.0.0.1:")
        exported = [json.loads(line) for line in _export(history)]
        assert all(("Authorization", "********") in map(tuple, d["exchanges"][0]["request"]["headers"])
                   for d in exported)
    with History(tmp_path / "h.sqlite3") as reopened:  # the ids hold across sessions
        assert dict(reopened.result(rows[0].id).request.headers)["sandbox-name"] == "prod"


def _export(history: History) -> list[str]:
    out = io.StringIO()
    history.export_jsonl(out)
    return out.getvalue().splitlines()


def test_the_history_binds_none_as_null_without_looking_for_an_adapter(tmp_path: Path) -> None:
    """Without an adapter for None, sqlite3 raises and clears an error for every None it binds (~3k
    instructions a row on the history's writer): the history imports the module registering one
    (app.sqlitenull) itself, not only the journey traces, which a batch never imports."""
    source = Path(history_module.__file__).read_text("utf-8")
    imported = {alias.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Import)
                for alias in node.names}
    assert "app.sqlitenull" in imported
    key = (type(None), sqlite3.PrepareProtocol)
    sqlite3.adapters.pop(key, None)
    sys.modules.pop("app.sqlitenull", None)
    importlib.import_module("app.sqlitenull")  # what importing the history does in a fresh process
    assert key in sqlite3.adapters
    with History(tmp_path / "h.sqlite3") as history:
        history.add(fake("a"))
        assert history._conn().execute("SELECT error IS NULL, status IS NULL FROM calls").fetchone() == (1, 1)
