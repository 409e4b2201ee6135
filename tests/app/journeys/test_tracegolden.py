"""The rows a run's trace stores, pinned: whatever makes the trace cheaper, the same records give the same
file (every table, every column, its SQL type), so everything read back from it stays the same.

The records vary every field that may be absent (None), a value's every JSON shape, secrets to mask (in
records masked by the call engine with the run's masker, and not), header sets past the ones remembered,
bodies cut at MAX_BODY. `trace_rows.golden.json` holds the rows (a long text as its length and SHA-256);
it changes only with the run file's format: `python -m tests.app.journeys.test_tracegolden` writes it.
"""
from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import sys
from contextlib import closing
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

from app.journeys.model import Journey
from app.journeys.traces import MAX_BODY, AttemptTrace, ProfileTrace, StepTrace, TraceWriter
from app.masking import Masker
from app.model import Action

GOLDEN = Path(__file__).with_name("trace_rows.golden.json")
SECRET = "golden-s3cr3t-0123456789abcdef"
T0 = datetime(2026, 11, 30, 22, 0, tzinfo=timezone.utc)
JOURNEY = Journey.model_validate({"name": "golden", "nodes": [
    {"id": "in", "type": "event", "event": "purchase", "next": "call"},
    {"id": "call", "type": "action", "action": "notifyWebhook", "next": "end", "timeoutOrError": "end"},
    {"id": "end", "type": "end"}]})
TABLES = {"profile": "seq", "step": "id", "attempt": "id", "parts": "id"}


def _maybe(rnd: random.Random, value: Any) -> Any:
    return value if rnd.random() < 0.6 else None


def _values(rnd: random.Random, n: int) -> Any:
    return rnd.choice([
        {"customerId": f"c-{n}", "value": n * 1.25, "vip": n % 2 == 0, "tags": ["a", "é", None]},
        {"nested": {"deep": [1, 2.5, {"x": "y"}], "big": 2**70, "at": T0}, "money": Decimal("1.10")},
        {"secret": f"token {SECRET}", "nan": float("nan"), "inf": float("inf"), "none": None},
        {"plain": "x" * (n % 7), "quote": 'he said "hi"\n', "small": 1e-05}, {}])


def _attempt(rnd: random.Random, masker: Masker, n: int, number: int) -> AttemptTrace:
    status = rnd.choice([200, 503, None])
    body = rnd.choice([None, '{"customerId": "c-' + str(n) + '"}', f"with {SECRET}", "é" * (MAX_BODY // 3 + 5)])
    answer = rnd.choice([None, '{"ok": true}', f"echo {SECRET}", "z" * (MAX_BODY + 10)]) if status else None
    headers = rnd.choice([[("Content-Type", "application/json")], [("Authorization", f"Bearer {SECRET}")],
                          [("X-Row", str(n))]])
    stamped = rnd.random() < 0.5 and SECRET not in (body or "") + (answer or "")  # as the call engine masks
    return AttemptTrace(number, rnd.choice(["sandbox", "mock", "env", "dry"]), "POST",
                        rnd.choice(["http://127.0.0.1:1/echo", f"http://127.0.0.1:1/q?key={SECRET}"]), headers, body,
                        status, [("date", f"Mon, 30 Nov 2026 22:00:0{n % 3} GMT"), ("x-n", str(n % 2))]
                        if status else [], answer, rnd.choice([None, None, -1, MAX_BODY * 2]),
                        rnd.choice([None, f"http_{status}", "timedout"]), _maybe(rnd, f"failed {n} {SECRET}"),
                        rnd.random() * 10, rnd.choice([5.0, 800.5, 1e-3]), _maybe(rnd, 1796000000.0 + n),
                        (masker, masker.version) if stamped else None)


def _step(rnd: random.Random, masker: Masker, n: int, node: str) -> StepTrace:
    at: Optional[datetime] = rnd.choice([T0, T0 + timedelta(seconds=n), None])
    attempts = [_attempt(rnd, masker, n, k + 1) for k in range(rnd.choice([0, 1, 3]))] if node == "call" else []
    return StepTrace(node, _maybe(rnd, "next"), _maybe(rnd, "end"), at, _maybe(rnd, 1796000000.5 + n),
                     rnd.random(), _maybe(rnd, _values(rnd, n)), _maybe(rnd, {"taken": "next", "n": n}),
                     _maybe(rnd, "http_200"), _maybe(rnd, f"step error {SECRET}"), attempts)


def _profile(rnd: random.Random, masker: Masker, n: int) -> ProfileTrace:
    steps = [_step(rnd, masker, n, node) for node in ["in", "call", "end"][:rnd.choice([0, 1, 2, 3])]]
    outcome = "finished" if steps else rnd.choice(["rejected", "discarded", "cancelled"])
    return ProfileTrace(n, _maybe(rnd, f"p-{n}"), outcome, steps, _maybe(rnd, "http_503"),
                        _maybe(rnd, f"row {n}: {SECRET}"), _maybe(rnd, T0), _maybe(rnd, T0 + timedelta(seconds=1)),
                        rnd.random() * 100)


def _shown(value: Any) -> Any:
    if isinstance(value, str) and len(value) > 200:
        return [len(value), hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()]
    return value


def stored_rows(home: Path) -> dict[str, Any]:
    """Every row of a run written from the seeded records, with each value's SQL type."""
    rnd, masker = random.Random(20261130), Masker([SECRET])
    trace = TraceWriter.create(home, JOURNEY, [Action(name="notifyWebhook")], seed=1, preset="fast",
                               targets={"call": "sandbox"}, masker=masker, run_id="golden")
    trace.encode_batch, trace.parts_remembered = 3, 2  # profiles encoded together; header sets past the remembered
    for n in range(1, 61):
        trace.add(_profile(rnd, masker, n))
        if n == 40:
            masker.add(["late-secret-learnt-0123"])  # a new secret: what was encoded before is masked again
    trace.finish("completed")
    out: dict[str, Any] = {}
    with closing(sqlite3.connect(trace.path)) as db:
        for table, key in TABLES.items():
            cursor = db.execute(f"SELECT * FROM {table} ORDER BY {key}")
            names = [d[0] for d in cursor.description]
            kinds = ", ".join('typeof("' + n + '")' for n in names)
            types = db.execute(f"SELECT {kinds} FROM {table} ORDER BY {key}")
            out[table] = [[_shown(v) for v in row] + [list(typed)] for row, typed in zip(cursor, types, strict=True)]
        run = db.execute("SELECT id, version, journey_name, seed, preset, targets, state, rows_read FROM run")
        out["run"] = list(run.fetchone())
    return out


def test_the_same_records_store_the_same_rows(tmp_path: Path) -> None:
    assert stored_rows(tmp_path) == json.loads(GOLDEN.read_text(encoding="utf-8"))


if __name__ == "__main__":  # only when the run file's format changes on purpose
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        GOLDEN.write_text(json.dumps(stored_rows(Path(folder)), ensure_ascii=False) + "\n", encoding="utf-8")
    sys.exit(0)
