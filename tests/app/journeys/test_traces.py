"""Run traces: one writer in batches, counts by SQL, masked and clipped bodies, a killed run kept."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import sys
import time
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest

from app.calls.record import RecordedExchange, RecordedRequest, RecordedResponse
from app.journeys.model import Journey
from app.journeys.replay import Recording
from app.journeys.tracereader import TraceReader, find_run, list_runs
from app.journeys.traces import MAX_BODY, AttemptTrace, ProfileTrace, StepTrace, TraceError, TraceWriter, clip
from app.journeys.tracetable import ProfileFilter, TraceTable
from app.masking import Masker
from app.model import Action, SecretRef
from tests.helpers.forks import ForkServer

REPO = Path(__file__).resolve().parents[3]
T0 = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
JOURNEY = Journey.model_validate({"name": "traced", "nodes": [
    {"id": "in", "type": "event", "event": "purchase", "next": "call"},
    {"id": "call", "type": "action", "action": "notifyWebhook", "next": "check", "timeoutOrError": "end"},
    {"id": "check", "type": "condition", "paths": [{"expression": "true", "next": "end"}]},
    {"id": "end", "type": "end"}]})


def _attempt(number: int, status: int | None, target: str = "sandbox", network_ms: float = 5.0) -> AttemptTrace:
    return AttemptTrace(number, target, "POST", "http://127.0.0.1:1/echo/notify", [("Content-Type", "application/json")],
                        '{"customerId": "c-1"}', status, [("content-type", "application/json")] if status else [],
                        '{"ok": true}' if status else None, outcome=f"http_{status}" if status else "timedout",
                        queue_ms=1.5, network_ms=network_ms)


def _profile(row: int, ok: bool = True) -> ProfileTrace:
    attempts = [_attempt(1, 200)] if ok else [_attempt(1, 503), _attempt(2, 503), _attempt(3, None, network_ms=900)]
    steps = [StepTrace("in", "next", "call", T0, wall_ms=0.1),
             StepTrace("call", "next" if ok else "timeoutOrError", "check" if ok else "end", T0,
                       values={"customerId": f"c-{row}"}, outcome="http_200" if ok else "timedout", attempts=attempts)]
    if ok:
        steps.append(StepTrace("check", "paths[0]", "end", T0, why={"taken": "paths[0]", "paths": [
            {"expression": "true", "result": True, "operands": []}]}))
    steps.append(StepTrace("end", virtual_at=T0 + timedelta(seconds=1)))
    return ProfileTrace(row, f"p{row}", "finished", steps, entered_at=T0, ended_at=T0 + timedelta(seconds=1))


def _writer(home: Path, **kwargs) -> TraceWriter:
    return TraceWriter.create(home, JOURNEY, [Action(name="notifyWebhook")], seed=42, preset="fast",
                              targets={"call": "sandbox"}, settings={"concurrency": 4}, **kwargs)


def test_a_run_round_trips_and_counts_come_from_the_rows(tmp_path: Path) -> None:
    with _writer(tmp_path) as trace:
        for row in range(1, 8):
            trace.add(_profile(row, ok=row != 3))
        trace.add(ProfileTrace(8, None, "rejected", error="row 8 (line 9), column event.value: expected a number"))
        with TraceReader(trace.path) as live:
            assert live.info().state == "running"  # the writer holds its lock
    with TraceReader.open(tmp_path, "last") as reader:
        info = reader.info()
        assert (info.state, info.rows_read, info.profiles, info.seed, info.preset) == ("completed", 8, 8, 42, "fast")
        assert info.targets == {"call": "sandbox"} and info.settings == {"concurrency": 4}
        assert reader.journey() == JOURNEY and reader.actions()[0]["name"] == "notifyWebhook"
        assert reader.outcomes() == {"finished": 7, "rejected": 1}
        assert reader.node_counts() == {"call": 7, "check": 6, "end": 7, "in": 7}
        assert reader.edge_counts() == {("in", "next"): 7, ("call", "next"): 6, ("call", "timeoutOrError"): 1,
                                        ("check", "paths[0]"): 6}
        assert reader.ended_at() == {"end": 7}
        assert reader.codes() == {"call": {"http_200": 6, "timedout": 1}}
        calls = reader.calls()["call"]
        assert calls["attempts"] == 9 and calls["retries"] == 2 and calls["slow"] == 1 and calls["targets"] == ["sandbox"]
        summary = reader.summary()
        assert summary["outcomes"] == reader.outcomes() and json.dumps(summary)
        (failed,) = reader.profile("p3")
        assert failed["path"] == ["in", "call", "end"]
        call = failed["steps"][1]
        assert call["values"] == {"customerId": "c-3"} and [a["status"] for a in call["attempts"]] == [503, 503, None]
        assert call["attempts"][0]["request"]["headers"] == [["Content-Type", "application/json"]]
        assert call["attempts"][2]["response"] is None and call["attempts"][2]["slow"]
        assert reader.profile("p1")[0]["steps"][2]["why"]["taken"] == "paths[0]"
        (rejected,) = reader.profile("#8")
        assert rejected["outcome"] == "rejected" and "event.value" in rejected["error"] and rejected["steps"] == []
        assert [p["row"] for p in reader.profiles(outcome="finished", limit=2, offset=1)] == [2, 3]
    assert [r.id for r in list_runs(tmp_path)] == [trace.run_id]
    assert [p.name for p in (tmp_path / "runs").iterdir()] == [trace.path.name]  # no lock, no WAL left


def _indexes(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as db:
        return {name for name, in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}


def test_the_profile_id_index_is_built_when_the_run_ends_and_lookups_by_id_work_before(tmp_path: Path) -> None:
    """Profile ids come in any order: kept up to date row by row, the index had every batch rewrite pages
    all over it. Steps and attempts have no index at all: a profile's rows are a range of their ids."""
    trace = _writer(tmp_path)
    for row in (5, 2, 9, 1):
        trace.add(_profile(row))
    while trace.written < 4:
        trace.flush()
        time.sleep(0.01)
    assert _indexes(trace.path) == set()
    with TraceReader(trace.path) as live:
        assert [p["row"] for p in live.profile("p9")] == [9] and live.profile("p3") == []
    trace.finish("cancelled")
    assert _indexes(trace.path) == {"profile_id"}
    with TraceReader(trace.path) as reader:
        assert [p["row"] for p in reader.profile("p9")] == [9] and reader.info().state == "cancelled"


def test_a_profiles_steps_and_attempts_are_read_by_their_ids_not_by_scanning_the_run(tmp_path: Path) -> None:
    """One profile (the trace view), or a page of them (exports), reads only its own rows (a range of ids,
    found by binary search on them): a scan of the attempt table read every attempt of the run for each,
    ~3 ms a profile on a 10,000-profile run."""
    with _writer(tmp_path) as trace:
        for row in range(1, 31):
            trace.add(_profile(row, ok=row % 4 != 0))
    with TraceReader(trace.path) as reader:
        ran: list[str] = []
        reader._db.set_trace_callback(ran.append)  # every statement, its values in place
        one = reader.entry(4)
        assert one is not None and [len(s["attempts"]) for s in one["steps"]] == [0, 3, 0]
        assert list(reader.entries(page=7)) == [reader.entry(seq) for seq in range(1, 31)]
        reader._db.set_trace_callback(None)
        plans = {sql: [r[3] for r in reader._db.execute("EXPLAIN QUERY PLAN " + sql)] for sql in ran}
    scans = {sql: plan for sql, plan in plans.items() if any(p.startswith(("SCAN a", "SCAN step")) for p in plan)}
    assert any("FROM attempt" in sql for sql in plans) and scans == {}

# The indexes the writer kept before steps and attempts were read by their ids' range (traces.SCHEMA).
EARLIER_INDEXES = ("CREATE INDEX step_profile ON step(profile_seq); CREATE INDEX attempt_step ON attempt(step_id);")


def _read_back(path: Path) -> list[object]:
    """What every reader of a profile's steps and attempts gives: one profile, an entry, an export's pages,
    the counts, the table's filters, replay's recorded attempts."""
    with TraceReader(path) as reader:
        out: list[object] = [reader.profile("p4"), reader.profile("#7"), reader.entry(9), reader.entry(99),
                             list(reader.entries(page=3)), {**reader.summary(), "run": None}, reader.latencies()]
    with TraceTable(path) as table:
        for flt in (ProfileFilter(node="check"), ProfileFilter(edge=("call", "timeoutOrError")),
                    ProfileFilter(status="timedout"), ProfileFilter(status="http_200", status_node="call")):
            out += [table.count(flt), table.page(flt)]
    recording = Recording(path)
    try:
        out += [recording.attempts(row, f"p{row}", node) for row in (1, 4, 8, 12) for node in ("call", "in")]
    finally:
        recording.close()
    return out


def test_a_file_with_the_earlier_versions_indexes_reads_the_same_through_every_path(tmp_path: Path) -> None:
    """Files written before hold step_profile and attempt_step; their rows are numbered the same way, so
    the ranges read them alike. Rows read back are the same with or without the indexes, and the reads
    still scan neither table for one profile."""
    with _writer(tmp_path / "now") as trace:
        for row in range(1, 13):
            trace.add(_profile(row, ok=row % 4 != 0))
    earlier = tmp_path / "earlier.sqlite3"
    earlier.write_bytes(trace.path.read_bytes())
    with closing(sqlite3.connect(earlier)) as db:
        db.executescript(EARLIER_INDEXES)
    assert _indexes(earlier) == {"step_profile", "attempt_step", "profile_id"}
    now = _read_back(trace.path)
    assert now == _read_back(earlier)
    assert now[0] and len(now[4]) == 12 and (now[7], now[9], now[11]) == (9, 3, 3)  # 9 checked, 3 timed out


def test_request_header_sets_are_stored_once_and_past_the_remembered_ones_looked_up(tmp_path: Path) -> None:
    """Header sets get their ids when profiles are added; past `parts_remembered` the writer finds them
    in the file: every attempt reads back its own headers either way, each set stored once."""
    shared = [("Content-Type", "application/json"), ("X-Api-Key", "k-123456")]
    trace = _writer(tmp_path)
    trace.parts_remembered = 2
    trace.batch = 4  # several transactions: ids given by one batch are used by the next
    expected = {}
    for row in range(1, 13):
        p = _profile(row)
        headers = shared if row % 3 == 0 else [("Content-Type", "application/json"), ("X-Customer", f"c-{row % 5}")]
        p.steps[1].attempts[0].request_headers = headers
        expected[f"p{row}"] = [[k, "********" if k == "X-Api-Key" else v] for k, v in headers]
        trace.add(p)
    trace.finish()
    with TraceReader(trace.path) as reader:
        for profile_id, headers in expected.items():
            assert reader.profile(profile_id)[0]["steps"][1]["attempts"][0]["request"]["headers"] == headers
    with closing(sqlite3.connect(trace.path)) as db:
        assert db.execute("SELECT COUNT(*), COUNT(DISTINCT text) FROM parts").fetchone() == (6, 6)


def test_a_secret_learned_during_the_run_is_masked_in_texts_encoded_before(tmp_path: Path) -> None:
    """URLs, header sets and response headers are encoded once per run; a secret the masker learns
    later (a refreshed token) empties what was remembered, so later rows never show it."""
    token = "tok-4d2f9-learned-late"
    headers = [("X-Token-Echo", token), ("Accept", "*/*")]  # the same list object, as the call engine hands it
    masker = Masker()
    trace = _writer(tmp_path, masker=masker)
    for row in (1, 2):
        p = _profile(row)
        attempt = p.steps[1].attempts[0]
        attempt.url, attempt.request_headers = f"http://127.0.0.1:1/echo/notify?t={token}", headers
        attempt.response_headers = [("content-type", "application/json"), ("x-echo", token)]
        trace.add(p)
        masker.add([token])
    trace.finish()
    with TraceReader(trace.path) as reader:
        first, second = (reader.profile(f"p{row}")[0]["steps"][1]["attempts"][0] for row in (1, 2))
    assert token in first["request"]["url"]  # added before the secret was known: as the call engine recorded it
    assert token not in json.dumps(second) and second["request"]["url"].endswith("t=********")
    assert ["X-Token-Echo", "********"] in second["request"]["headers"]


def test_profiles_held_for_encoding_together_reach_the_file_on_flush_and_on_finish(tmp_path: Path) -> None:
    trace = _writer(tmp_path)
    trace.encode_batch = 4
    for row in range(1, 4):
        trace.add(_profile(row))
    trace.flush()  # the run's watcher does this every 50 ms: fewer than a batch still reach the writer
    while trace.written < 3:
        pass
    for row in range(4, 10):  # one batch of 4 encoded by add(), 2 held until finish
        trace.add(_profile(row))
    trace.finish()
    with TraceReader(trace.path) as reader:
        assert [p["row"] for p in reader.profiles(limit=100)] == list(range(1, 10))
        assert reader.info().profiles == 9 and reader.info().state == "completed"
    with pytest.raises(TraceError, match="already finished"):
        trace.add(_profile(10))


def test_a_profile_that_cannot_be_encoded_stops_the_run_and_those_before_it_are_written(tmp_path: Path) -> None:
    trace = _writer(tmp_path, masker=Masker(["s3cr3t-value"]))
    trace.encode_batch = 4
    bad = _profile(3)
    bad.error = 404  # type: ignore[assignment]  # not a text: the masker cannot read it
    trace.add(_profile(1))
    trace.add(_profile(2))
    trace.add(bad)
    with pytest.raises(TraceError, match="could not be written"):
        trace.add(_profile(4))
    with pytest.raises(TraceError):
        trace.finish("interrupted")
    with TraceReader(trace.path) as reader:
        assert [p["row"] for p in reader.profiles(limit=100)] == [1, 2]
    with closing(sqlite3.connect(trace.path)) as db:  # nothing of the profile that failed half-way
        assert db.execute("SELECT MAX(profile_seq), COUNT(*) FROM step").fetchone() == (2, 8)
        assert db.execute("SELECT MAX(profile_seq), COUNT(*) FROM attempt").fetchone() == (2, 2)


def test_a_run_file_is_written_in_16_kib_pages(tmp_path: Path) -> None:
    """A quarter of the writes (and system calls) of SQLite's default 4 KiB pages for the same rows."""
    with _writer(tmp_path) as trace:
        trace.add(_profile(1))
    with closing(sqlite3.connect(trace.path)) as db:
        assert db.execute("PRAGMA page_size").fetchone() == (16384,)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.mark.skipif(not Path("/proc/self/io").is_file(), reason="bytes written are read from /proc/self/io")
def test_a_batch_is_written_once_to_the_wal_then_once_by_the_checkpoint(tmp_path: Path) -> None:
    """No statement journal: inserting many rows a statement into indexed tables, SQLite would otherwise copy
    every page a statement changes that existed before it, to a temporary file (~8x the file's bytes here)."""
    def written() -> int:
        counters = dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())
        return int(counters["wchar"])

    trace = _writer(tmp_path)
    trace.batch = trace.encode_batch = 10_000  # one batch, one transaction, written by finish()
    for row in range(1, 3001):
        trace.add(_profile(row))
    before = written()
    trace.finish()
    size = trace.path.stat().st_size  # the WAL is checkpointed into the file when the writer closes it
    assert size > 1024 * 1024
    assert written() - before < 3 * size

def test_values_a_trace_lacks_are_stored_as_sql_null(tmp_path: Path) -> None:
    """The rows hold NaN where a value is absent (bound as a float, no adapter lookup): SQLite stores NULL."""
    with _writer(tmp_path) as trace:
        trace.add(_profile(1))
    with closing(sqlite3.connect(trace.path)) as db:
        assert db.execute("SELECT typeof(code), typeof(error) FROM profile").fetchone() == ("null", "null")
        assert db.execute("SELECT count(*) FROM step WHERE typeof(why) = 'null'").fetchone() == (3,)
        assert db.execute("SELECT typeof(error), typeof(request_note) FROM attempt").fetchone() == ("null", "null")
        assert db.execute("SELECT count(*) FROM step WHERE why = ''").fetchone() == (0,)


def test_cancelled_runs_and_bad_outcomes(tmp_path: Path) -> None:
    trace = _writer(tmp_path)
    trace.add(_profile(1))
    trace.add(ProfileTrace(2, "p2", "cancelled"))
    trace.finish("cancelled", rows_read=2)
    trace.finish("completed")  # idempotent: the first state stands
    with TraceReader(trace.path) as reader:
        assert reader.info().state == "cancelled" and reader.outcomes() == {"cancelled": 1, "finished": 1}
    with pytest.raises(TraceError, match="already finished"):
        trace.add(_profile(3))
    with pytest.raises(ValueError, match="unknown profile outcome 'lost'"):
        ProfileTrace(1, "x", "lost")


def test_bodies_are_kept_up_to_1_mb_with_an_explicit_marker(tmp_path: Path) -> None:
    assert clip("é" * 10) == ("é" * 10, None)
    big = "x" * (MAX_BODY + 500_000)
    text, note = clip(big)
    assert len(text) == MAX_BODY and note == "truncated at 1,048,576 of 1,548,576 bytes"
    assert clip("abc", size=9000)[1] == "truncated at 3 of 9,000 bytes"
    cut = RecordedExchange(RecordedRequest("POST", "http://h/x", [], "{}"),
                           RecordedResponse(200, "OK", [], "y" * 100, 3.0, truncated=True), None, 3.0)
    attempt = AttemptTrace.from_exchange(cut, 1, "env")
    assert attempt.outcome == "http_200" and attempt.network_ms == 3.0
    hung = RecordedExchange(cut.request, None, "timed out after 2.0 s", 2000.0)
    refused = RecordedExchange(cut.request, None, "connection refused", 1.0)
    assert [AttemptTrace.from_exchange(e, 1, "env").outcome for e in (hung, refused)] == ["timedout", "internalError"]
    with _writer(tmp_path) as trace:
        p = _profile(1)
        p.steps[1].attempts = [attempt, _attempt(2, 200)]
        p.steps[1].attempts[1].response_body = big
        trace.add(p)
    with TraceReader(trace.path) as reader:
        first, second = reader.profile("p1")[0]["steps"][1]["attempts"]
    assert first["response"]["note"] == "truncated at 100 bytes by the call engine (full size unknown)"
    assert second["response"]["note"] == "truncated at 1,048,576 of 1,548,576 bytes"
    assert len(second["response"]["body"]) == MAX_BODY and first["request"]["note"] is None


def test_secrets_and_tokens_never_reach_the_file(tmp_path: Path, call, services, sandbox, secrets) -> None:
    """Real calls to the sandbox (a token fetched with a client secret, a static bearer token):
    the file and its WAL are grepped for every secret value and the token."""
    client_secret, bearer = "cs-9f3a7-unique-client-secret", "tok-7c1e2-unique-static-bearer"
    sandbox.add_client("1234", client_secret)
    sandbox.add_airship_app("SandboxDemoAppKey00001", [bearer])
    secrets.put(client_secret, ref=SecretRef(secret="sample/writeJourneyEvent/client_secret"))
    secrets.put(f"Bearer {bearer}", ref=SecretRef(secret="sample/airshipCustomEvent/bearer"))
    inlet, airship = call("writeJourneyEvent"), call("airshipCustomEvent")
    assert inlet.ok and airship.ok
    issued = services.auth.credentials(services.workspace.load("writeJourneyEvent").auth,
                                       services.resolver(overrides={"sandbox.url": sandbox.base_url}))[0]
    token = issued["Authorization"].split()[1]
    trace = _writer(tmp_path)  # no known secrets: the call engine's records must already be clean
    p = _profile(1)
    p.steps[1].attempts = [AttemptTrace.from_exchange(ex, i + 1, "sandbox")
                           for i, ex in enumerate(inlet.exchanges + airship.exchanges)]
    trace.add(p)
    leaky = Masker([client_secret, token, bearer])  # and what a mock or an error might echo back is masked
    trace.finish()
    trace2 = _writer(tmp_path, masker=leaky)
    q = _profile(2)
    q.error = f"failed with {token}"
    q.steps[1].values = {"echo": client_secret}
    q.steps[1].attempts[0].response_body = json.dumps({"access_token": token, "note": bearer})
    trace2.add(q)
    trace2.finish()
    for run in (trace, trace2):
        with TraceReader(run.path) as reader:
            assert reader.info().profiles == 1
        raw = b"".join(p.read_bytes() for p in run.path.parent.glob(run.path.name + "*") if p.is_file())
        for secret in (client_secret, bearer, token):
            assert secret.encode() not in raw, f"{secret} found in {run.path.name}"
    with TraceReader(trace.path) as reader:
        headers = dict(reader.profile("p1")[0]["steps"][1]["attempts"][-1]["request"]["headers"])
    assert headers["Authorization"] == "********"


_KILLED = """
import sys, time
from app.journeys.traces import TraceWriter
from tests.app.journeys.test_traces import JOURNEY, _profile
trace = TraceWriter.create(sys.argv[1], JOURNEY, [], seed=1, preset="fast", targets={}, run_id="killed")
trace.batch = 50
row = 0
while True:
    row += 1
    trace.add(_profile(row, ok=row % 5 != 0))
    if row == 300:
        while trace.written < 300:
            time.sleep(0.01)
        print("written", flush=True)
"""


def _profiles_in(path: Path) -> int:
    with TraceReader(path) as reader:
        return reader.info().profiles


@pytest.fixture(scope="module")
def forks() -> Iterator[ForkServer]:
    """The writer killed midway, forked from a parent that imported the trace writer and this module
    (tests/helpers/forks.py): a new Python imported pytest and hypothesis with this module (~0.4 s of CPU)."""
    with ForkServer(dict(os.environ, PYTHONPATH=str(REPO)), ("app.journeys.traces", __name__)) as server:
        yield server


def test_a_run_killed_mid_write_opens_as_interrupted_with_every_finished_profile(tmp_path: Path,
                                                                                  forks: ForkServer) -> None:
    child = forks.start(_KILLED, str(tmp_path))
    assert child.stdout is not None and child.stderr is not None
    try:
        assert child.stdout.readline().strip() == "written"
        while _profiles_in(tmp_path / "runs" / "killed.sqlite3") < 600:
            pass  # killed while the writer is busy writing batch after batch
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
        sys.stderr.write(child.stderr.read())  # what it said (a traceback), in the test's report
        child.stderr.close()
    with TraceReader.open(tmp_path, "killed") as reader:
        info = reader.info()
        assert info.state == "interrupted" and info.profiles >= 600 and info.rows_read == info.profiles
        profiles = reader.profiles(limit=10**6)
        assert [p["row"] for p in profiles] == list(range(1, info.profiles + 1))  # no gap, no half profile
        counts = reader.node_counts()
        assert counts["in"] == counts["call"] == counts["end"] == info.profiles
        assert reader.calls()["call"]["attempts"] == sum(1 if p["row"] % 5 else 3 for p in profiles)
        assert "profile_id" in _indexes(reader.path)  # built by the reader, as the writer would have at the end
        assert [p["row"] for p in reader.profile("p7")] == [7]
    with TraceReader(find_run(tmp_path, "kil")) as again:
        assert again.info().state == "interrupted"  # stored: no lock check needed any more
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == ["killed.sqlite3"]


def test_runs_are_found_by_prefix_and_bad_files_are_reported(tmp_path: Path) -> None:
    with pytest.raises(TraceError, match="no runs yet"):
        find_run(tmp_path, "last")
    for run_id in ("20260101-a", "20260102-b"):
        TraceWriter.create(tmp_path, JOURNEY, [], seed=None, preset="fast", targets={}, run_id=run_id).finish()
    assert find_run(tmp_path, "last").name == "20260102-b.sqlite3"
    with pytest.raises(TraceError, match="matches 2 runs"):
        find_run(tmp_path, "2026")
    (tmp_path / "runs" / "junk.sqlite3").write_text("not a database")
    assert [r.id for r in list_runs(tmp_path)] == ["20260102-b", "20260101-a"]
    with pytest.raises(TraceError, match="not a readable run trace"):
        TraceReader(tmp_path / "runs" / "junk.sqlite3")


def test_run_ids_started_within_one_second_sort_in_start_order() -> None:
    # `last` and the runs list order by id: a replay started right after its recording (same
    # second) must come after it.
    import time as _time

    from app.journeys.traces import new_run_id

    ids = []
    for _ in range(5):
        ids.append(new_run_id("sampleJourney"))
        _time.sleep(0.002)
    assert [i.rsplit("-", 1)[0] for i in sorted(ids)] == [i.rsplit("-", 1)[0] for i in ids]
    assert len({i.split("-")[1] for i in ids}) == 5
