"""A run's stored rows stay what they were for the same seed: every table of the trace file, row by row,
against the rows recorded before the runner's hot path was restructured (tests/app/journeys/stable/: the rows, or for the sample's run a digest of each row).

Only what differs from one run to the next is left out or normalised: wall-clock times and durations,
the run's id and start, the sandbox's port, and the digits and ids of the sandbox's answers (it answers
with random ids and millisecond times). Everything else (paths, ports, values, why, outcomes, errors,
attempts, masked requests and their header sets, virtual times) must be the same, byte for byte.
To record them again after a deliberate change of what a run stores: ACTION_STUDIO_RECORD_STABLE=1.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tests.app.journeys.runkit import END, EVENT, FAILED, SampleRun, journey, notify, purchases

STABLE = Path(__file__).parent / "stable"
# The sandbox's answers hold random numbers, which may hold a secret's digits (the demo client secret 5678)
# and show it masked: numbers and masks alike read 0 there.
DIGITS = re.compile(r"[0-9*]+")
# A random id may hold the demo secret's digits too: "...-3105678c245d" is stored "...-310********c245d"
# (one run in ~40 held one: ~15 places in a uuid4, ~100 answers with one a run), so an id reads as one
# with masks in it, its groups as long as the masks make them.
UUID = re.compile(r"[0-9a-f*]{8,}-[0-9a-f*]{4,}-[0-9a-f*]{4,}-[0-9a-f*]{4,}-[0-9a-f*]{12,}")
# The sandbox's `date` header (an HTTP date: its weekday and month are words) reads as the day the rows were
# recorded on: only its digits were normalised then, so the rows would have differed on any other day.
HTTP_DATE = re.compile(r"[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT")
RECORDED_DATE = "Mon, 00 Nov 0000 00:00:00 GMT"
START = datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc)


def _rows(path: Path, base_url: str, start: str) -> list[str]:
    """Every stored row as one JSON line, in a stable order (profiles by row: the writer numbers them as
    they end), volatile columns out or normalised."""
    host = base_url.split("://", 1)[1]

    def same(text: Any) -> Any:
        if not isinstance(text, str):
            return text
        return text.replace(base_url, "<sandbox>").replace(host, "<host>").replace(start, "<start>")

    db = sqlite3.connect(str(path))
    try:
        run = db.execute("SELECT version, journey_name, journey, actions, seed, preset, targets, settings, state, "
                         "rows_read FROM run").fetchone()
        settings = json.loads(run[7])
        settings.pop("profiles", None)  # the profiles file's path
        out = [json.dumps(["run", *[same(v) for v in run[:7]], settings, *run[8:]])]
        parts = dict(db.execute("SELECT id, text FROM parts"))
        seqs = {seq: row for seq, row in db.execute("SELECT seq, row FROM profile")}
        for r in db.execute("SELECT row, profile_id, outcome, code, error, path, last_node, entered_at, ended_at "
                            "FROM profile ORDER BY row"):
            out.append(json.dumps(["profile", *[same(v) for v in r]]))
        steps = db.execute('SELECT id, profile_seq, idx, node, port, next, virtual_at, "values", why, outcome, '
                           "error FROM step").fetchall()
        step_at = {s[0]: (seqs[s[1]], s[2]) for s in steps}
        for s in sorted(steps, key=lambda s: step_at[s[0]]):
            out.append(json.dumps(["step", seqs[s[1]], *[same(v) for v in s[2:]]]))
        attempts = db.execute("SELECT step_id, node, number, target, outcome, status, error, method, url, "
                              "request_headers, request_body, request_note, response_headers, response_body, "
                              "response_note FROM attempt").fetchall()
        for a in sorted(attempts, key=lambda a: (step_at[a[0]], a[2])):
            row, idx = step_at[a[0]]
            headers = parts[a[9]] if isinstance(a[9], int) else a[9]
            answer = [DIGITS.sub("0", UUID.sub("<uuid>", HTTP_DATE.sub(RECORDED_DATE, v))) if isinstance(v, str) else v
                      for v in a[12:14]]
            out.append(json.dumps(["attempt", row, idx, *[same(v) for v in (*a[1:9], headers, *a[10:12])],
                                   *answer, a[14]]))
    finally:
        db.close()
    return out


def _check(name: str, rows: list[str], digests: bool = False) -> None:
    """The rows against those stored under `name`: as they are, or (a big run: ~1 MB of rows) as a digest
    of each row, the row itself shown when it differs."""
    stored = STABLE / f"{name}.{'sha256' if digests else 'jsonl'}"
    kept = [_digest(r) for r in rows] if digests else rows
    if os.environ.get("ACTION_STUDIO_RECORD_STABLE"):
        stored.parent.mkdir(exist_ok=True)
        stored.write_text("".join(r + "\n" for r in kept), encoding="utf-8")
    expected = stored.read_text(encoding="utf-8").splitlines()
    for i, (want, got) in enumerate(zip(expected, kept, strict=False)):
        assert got == want, f"{stored.name} line {i + 1} differs:\nstored: {want}\nnow:    {rows[i]}"
    assert len(rows) == len(expected), f"{name}: {len(rows)} rows stored now, {len(expected)} before"


def test_an_answers_id_holding_a_secrets_digits_reads_as_any_other_id() -> None:
    from app.masking import Masker

    masker = Masker()
    masker.add(["5678"])  # the sample's demo client secret
    plain = '{"ok":true,"operation_id":"47eb7836-e481-4765-9312-310c5c245d45"}'
    holding = '{"ok":true,"operation_id":"47eb7836-e481-4765-9312-3105678c245d"}'
    masked = masker.text(holding)
    assert "********" in masked
    assert UUID.sub("<uuid>", masked) == UUID.sub("<uuid>", plain) == '{"ok":true,"operation_id":"<uuid>"}'


def _digest(row: str) -> str:
    return hashlib.sha256(row.encode()).hexdigest()[:20]


def test_the_sample_runs_stored_rows_are_the_same_for_its_seed(sample_run: SampleRun, sandbox: Any) -> None:
    ran = sample_run.ran  # seed 11, concurrency 16, against the sandbox: rejected and discarded rows too
    db = sqlite3.connect(str(ran.result.path))
    try:
        start = db.execute("SELECT MIN(entered_at) FROM profile WHERE entered_at IS NOT NULL").fetchone()[0]
        settings = json.loads(db.execute("SELECT settings FROM run").fetchone()[0])
    finally:
        db.close()
    hosts = {a["request"]["url"].split("/")[2] for entries in ran.profiles.values() for e in entries
             for s in e["steps"] for a in s["attempts"]}
    (host,) = hosts  # the sandbox the sample run was made against (maybe by another worker)
    assert settings["concurrency"] == 16
    _check("sample_run", _rows(ran.result.path, f"http://{host}", start), digests=True)


def test_every_node_type_stores_the_same_rows_for_its_seed(sandbox: Any, run_journey: Any) -> None:
    """Waits (virtual time), seeded splits, the profile cap, a condition whose expression fails on some
    profiles (its error path), a retried call."""
    wait = {"id": "wait", "type": "wait", "duration": "PT2H", "next": "split"}
    split = {"id": "split", "type": "split", "branches": [
        {"label": "A", "percent": 40, "next": "cap"}, {"label": "B", "percent": 60, "next": "check"}]}
    cap = {"id": "cap", "type": "cap", "limit": 3, "next": "check", "alternate": "done"}
    check = {"id": "check", "type": "condition", "timeoutOrError": "failed", "otherCases": "notify", "paths": [
        {"label": "big", "expression": "toInteger(@event{purchase.customerId}) > 5", "next": "notify"}]}
    call = notify(mapping={"customerId": "toString(now())"})  # the profile's virtual time, after its wait
    people = purchases(30, value=12.5)
    for i in (3, 7, 12):
        people[i - 1]["event.customerId"] = str(i)  # toInteger() reads these; the others fail the condition
    sandbox.set_fault("echo", status=503, times=2)  # the first call retried twice, then answered
    nodes = journey({**EVENT, "next": "wait"}, wait, split, cap, check, call, END, FAILED,
                    id="stable0000000000000000000journey1", versionId="stable00000000000000000journey1v1")
    ran = run_journey(nodes, people, seed=3, concurrency=1, start=START)
    assert set(ran.summary["outcomes"]) == {"finished"} and ran.summary["nodes"]["failed"] > 0
    _check("node_types", _rows(ran.result.path, sandbox.base_url, START.isoformat()))
