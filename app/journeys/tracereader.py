"""Reading run traces: the runs of a workspace, a run's state and counts, each profile's steps.

Every count comes from SQL over the rows the writer stored (app.journeys.traces), so the CLI's
summary and the diagram read the same numbers as the per-profile detail. A run left `running` by
a writer that is gone (killed, crashed: its lock is free) reads, and is marked, `interrupted`.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterator, Optional

from filelock import FileLock, Timeout

from app.journeys.files import parse_journey
from app.journeys.model import Journey
from app.journeys.traces import END_SCHEMA, SUFFIX, TraceError, runs_dir


@dataclass(frozen=True)
class RunInfo:
    id: str
    path: Path
    journey_name: str
    state: str
    preset: str
    seed: Optional[int]
    started_at: str
    ended_at: Optional[str]
    rows_read: Optional[int]
    profiles: int
    targets: dict[str, str]
    settings: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["path"] = str(self.path)
        return {_camel(k): v for k, v in out.items()}


class TraceReader:
    """One run's trace, read (and an abandoned `running` state set to `interrupted`). close() after."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise TraceError(f"{self.path}: no such run file")
        try:
            self._db = sqlite3.connect(str(self.path), isolation_level=None)
            self._db.execute("PRAGMA busy_timeout=5000")
            found = self._db.execute("SELECT state FROM run").fetchone()
        except sqlite3.Error as exc:
            raise TraceError(f"{self.path}: not a readable run trace ({exc})") from None
        if found is None:
            raise TraceError(f"{self.path}: the run was never recorded (empty trace)")
        if found[0] == "running":
            self._settle_abandoned()

    @classmethod
    def open(cls, home: Path, ref: str) -> "TraceReader":
        return cls(find_run(home, ref))

    def _settle_abandoned(self) -> None:
        lock = FileLock(str(self.path) + ".lock", timeout=0)
        try:
            lock.acquire()
        except Timeout:
            return  # the writer is alive: the run is really running
        try:
            self._db.execute("UPDATE run SET state = 'interrupted', rows_read = (SELECT COUNT(*) FROM profile)"
                             " WHERE state = 'running'")
            self._db.execute(END_SCHEMA)  # what the writer would have built at the end (traces.END_SCHEMA)
        except sqlite3.Error:
            pass  # a read-only copy: the state is reported as interrupted all the same (see info)
        finally:
            lock.release()
        Path(lock.lock_file).unlink(missing_ok=True)
        self._abandoned = True

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "TraceReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _all(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self._db.execute(sql, args).fetchall()

    # -- the run ---------------------------------------------------------------------------------
    def info(self) -> RunInfo:
        (rid, name, preset, seed, targets, settings, state, started, ended, rows), = self._all(
            "SELECT id, journey_name, preset, seed, targets, settings, state, started_at, ended_at, rows_read FROM run")
        if state == "running" and getattr(self, "_abandoned", False):
            state = "interrupted"
        count = self._all("SELECT COUNT(*) FROM profile")[0][0]
        return RunInfo(rid, self.path, name, state, preset, seed, started, ended, rows, count,
                       json.loads(targets), json.loads(settings))

    def journey(self) -> Journey:
        """The journey as it was when the run started."""
        return parse_journey(self._all("SELECT journey FROM run")[0][0], f"{self.path} (journey)")

    def actions(self) -> list[dict[str, Any]]:
        """The actions as they were (exported form: secrets shown as ********)."""
        return json.loads(self._all("SELECT actions FROM run")[0][0])

    # -- counts (the same rows as the detail) ----------------------------------------------------
    def node_counts(self) -> dict[str, int]:
        """How many times profiles reached each node."""
        return dict(self._all("SELECT node, COUNT(*) FROM step GROUP BY node ORDER BY node"))

    def edge_counts(self) -> dict[tuple[str, str], int]:
        """How many times each (node, port) edge was taken."""
        rows = self._all("SELECT node, port, COUNT(*) FROM step WHERE port IS NOT NULL GROUP BY node, port")
        return {(node, port): n for node, port, n in rows}

    def ended_at(self) -> dict[str, int]:
        """Per node, how many profiles stopped there (their last step)."""
        return dict(self._all("SELECT last_node, COUNT(*) FROM profile WHERE last_node IS NOT NULL GROUP BY last_node"))

    def stopped(self) -> dict[str, dict[str, int]]:
        """Per node, the profiles that stopped there by outcome (the `stopped` of RunProgress)."""
        out: dict[str, dict[str, int]] = {}
        for node, outcome, n in self._all("SELECT last_node, outcome, COUNT(*) FROM profile WHERE last_node IS NOT NULL"
                                          " GROUP BY last_node, outcome ORDER BY last_node, outcome"):
            out.setdefault(node, {})[outcome] = n
        return out

    def latencies(self) -> dict[str, dict[str, float]]:
        """Per action node, the p50 and p95 (nearest rank) of its attempts' network time in ms."""
        rows = self._all(
            "SELECT node, MAX(CASE WHEN rn = (n * 50 + 99) / 100 THEN ms END),"
            " MAX(CASE WHEN rn = (n * 95 + 99) / 100 THEN ms END) FROM (SELECT node, network_ms AS ms,"
            " ROW_NUMBER() OVER (PARTITION BY node ORDER BY network_ms) AS rn,"
            " COUNT(*) OVER (PARTITION BY node) AS n FROM attempt) GROUP BY node ORDER BY node")
        return {node: {"p50": round(p50, 2), "p95": round(p95, 2)} for node, p50, p95 in rows}

    def outcomes(self) -> dict[str, int]:
        """Profiles by outcome (finished, error, timedOut, discarded, rejected, cancelled)."""
        return dict(self._all("SELECT outcome, COUNT(*) FROM profile GROUP BY outcome ORDER BY outcome"))

    def codes(self) -> dict[str, dict[str, int]]:
        """Per action node, its calls by outcome code (http_200, timedout, capped...)."""
        out: dict[str, dict[str, int]] = {}
        for node, code, n in self._all("SELECT node, outcome, COUNT(*) FROM step WHERE outcome IS NOT NULL"
                                       " GROUP BY node, outcome ORDER BY node, outcome"):
            out.setdefault(node, {})[code] = n
        return out

    def calls(self) -> dict[str, dict[str, Any]]:
        """Per action node: attempts, retries, slow attempts, targets, mean queue and network time."""
        rows = self._all(
            "SELECT node, COUNT(*), SUM(number > 1), SUM(slow), AVG(queue_ms), AVG(network_ms),"
            " GROUP_CONCAT(DISTINCT target) FROM attempt GROUP BY node ORDER BY node")
        return {node: {"attempts": n, "retries": retries or 0, "slow": slow or 0, "meanQueueMs": round(q or 0, 2),
                       "meanNetworkMs": round(w or 0, 2), "targets": sorted((t or "").split(","))}
                for node, n, retries, slow, q, w, t in rows}

    def summary(self) -> dict[str, Any]:
        """Everything the CLI prints after a run (and `journey trace RUN` shows), JSON-ready."""
        return {"run": self.info().to_dict(), "outcomes": self.outcomes(), "nodes": self.node_counts(),
                "edges": [{"node": n, "port": p, "count": c} for (n, p), c in sorted(self.edge_counts().items())],
                "endedAt": self.ended_at(), "codes": self.codes(), "calls": self.calls()}

    # -- profiles ----------------------------------------------------------------------------------
    def profiles(self, outcome: Optional[str] = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Profiles in the order they finished (rejected rows included), optionally by outcome."""
        where, args = ("WHERE outcome = ?", (outcome,)) if outcome else ("", ())
        rows = self._all(f"SELECT {_PROFILE_COLUMNS} FROM profile {where} ORDER BY seq LIMIT ? OFFSET ?",
                         (*args, limit, offset))
        return [_profile_dict(r) for r in rows]

    def profile(self, ref: str) -> list[dict[str, Any]]:
        """Every entry of a profile (by profile id, or `#N` for input row N), with steps and attempts."""
        if ref.startswith("#") and ref[1:].isdigit():
            rows = self._all(f"SELECT {_PROFILE_COLUMNS} FROM profile WHERE row = ? ORDER BY seq", (int(ref[1:]),))
        else:
            rows = self._all(f"SELECT {_PROFILE_COLUMNS} FROM profile WHERE profile_id = ? ORDER BY seq", (ref,))
        out = []
        for row in rows:
            data = _profile_dict(row)
            data["steps"] = self._steps(row[0])
            out.append(data)
        return out

    def entry(self, seq: int) -> Optional[dict[str, Any]]:
        """One entry of a profile by its sequence number (a table row), with steps and attempts."""
        rows = self._all(f"SELECT {_PROFILE_COLUMNS} FROM profile WHERE seq = ?", (seq,))
        if not rows:
            return None
        data = _profile_dict(rows[0])
        data["steps"] = self._steps(seq)
        return data

    def entries(self, ref: Optional[str] = None, page: int = 100) -> Iterator[dict[str, Any]]:
        """Every entry in the order profiles finished (or those of one profile: an id or `#N`), each
        with its steps and attempts, read a page of profiles at a time: memory stays flat for any run."""
        if ref is not None:
            yield from self.profile(ref)
            return
        after = 0
        while True:
            rows = self._all(f"SELECT {_PROFILE_COLUMNS} FROM profile WHERE seq > ? ORDER BY seq LIMIT ?",
                             (after, page))
            if not rows:
                return
            steps = self._steps_between(rows[0][0], rows[-1][0])
            for row in rows:
                data = _profile_dict(row)
                data["steps"] = steps.get(row[0], [])
                yield data
            after = rows[-1][0]

    def _steps_between(self, first: int, last: int) -> dict[int, list[dict[str, Any]]]:
        """The steps (with their attempts) of the profiles numbered first to last, by profile."""
        steps, attempts = rows_of(self._db, "step", first, last), rows_of(self._db, "attempt", first, last)
        by_step: dict[int, list[dict[str, Any]]] = {}
        for a in self._all(f"SELECT {_ATTEMPT_COLUMNS} FROM attempt a LEFT JOIN parts p ON p.id = a.request_headers"
                           " WHERE a.id BETWEEN ? AND ? ORDER BY a.id", attempts):
            by_step.setdefault(a[0], []).append(_attempt_dict(a))
        out: dict[int, list[dict[str, Any]]] = {}
        for seq, *step in self._all(
                "SELECT profile_seq, id, node, port, next, virtual_at, wall_at, wall_ms, \"values\", why, outcome,"
                " error FROM step WHERE id BETWEEN ? AND ? ORDER BY id", steps):
            out.setdefault(seq, []).append(_step_dict(step, by_step))
        return out

    def _steps(self, seq: int) -> list[dict[str, Any]]:
        return self._steps_between(seq, seq).get(seq, [])


def rows_of(db: sqlite3.Connection, table: str, first: int, last: int) -> tuple[int, int]:
    """The first and last id of `table`'s rows (step or attempt) of the profiles numbered first to last
    (last < first: none). The writer numbers every row as profiles are encoded, one profile after the
    other, so profile_seq never decreases along a table's ids: the bounds are searched on the rowid
    instead of through an index on profile_seq, which the writer no longer keeps (traces.SCHEMA: ~1.2 us
    a call of its CPU). Files of earlier versions, which have the indexes, are numbered the same way."""
    tail = db.execute(f"SELECT id, profile_seq FROM {table} WHERE id = (SELECT MAX(id) FROM {table})").fetchone()
    if tail is None:
        return 1, 0
    rate = tail[0] / max(tail[1], 1)  # rows a profile, on average: where a profile's rows are likely to start
    lo = _first_id(db, table, first, 1, tail[0] + 1, rate)
    return lo, _first_id(db, table, last + 1, lo, tail[0] + 1, rate) - 1


def _first_id(db: sqlite3.Connection, table: str, seq: int, lo: int, hi: int, rate: float) -> int:
    """The smallest id in lo..hi from which every row of `table` belongs to profile `seq` or a later one.
    Each probe aims where the row it found says the profile's first row is, a margin past it, so that the
    next one lands on the other side (the margin doubling at each probe: a search of ~log2 of the guess's
    error), until the ids left are few; one statement reads them. ~3 statements on a run's numbering."""
    probe = f"SELECT id, profile_seq FROM {table} WHERE id >= ? ORDER BY id LIMIT 1"
    margin = max(2, int(2 * rate))
    mid = lo + int((seq - 1) * rate) if lo == 1 else lo + int(rate)
    while hi - lo > _NEAR:  # ids may have gaps (a batch rolled back at the end of a run): the row at or after mid
        mid = mid if lo <= mid < hi else (lo + hi) // 2
        found = db.execute(probe, (mid,)).fetchone()
        if found is None:
            hi, mid = mid, (lo + mid) // 2
            continue
        at = found[0] + int((seq - found[1]) * rate)  # where its first row is if each profile had `rate` rows
        if found[1] >= seq:
            hi, mid = mid, at - margin
        else:
            lo, mid = found[0] + 1, at + margin
        margin *= 2
    found = db.execute(f"SELECT id FROM {table} WHERE id >= ? AND id < ? AND profile_seq >= ? ORDER BY id LIMIT 1",
                       (lo, hi, seq)).fetchone()
    return hi if found is None else int(found[0])


_NEAR = 64  # ids read by the last statement of a search (a rowid range: a page or two)
_PROFILE_COLUMNS = "seq, row, profile_id, outcome, code, error, path, entered_at, ended_at, wall_ms"
_ATTEMPT_COLUMNS = ("a.step_id, a.number, a.target, a.outcome, a.status, a.error, a.method, a.url, p.text,"
                    " a.request_body, a.request_note, a.response_headers, a.response_body, a.response_note,"
                    " a.queue_ms, a.network_ms, a.slow, a.wall_at")


def _profile_dict(r: tuple[Any, ...]) -> dict[str, Any]:
    seq, row, pid, outcome, code, error, path, entered, ended, wall_ms = r
    return {"seq": seq, "row": row, "profileId": pid, "outcome": outcome, "code": code, "error": error,
            "path": json.loads(path), "enteredAt": entered, "endedAt": ended, "wallMs": wall_ms}


def _step_dict(s: Any, attempts: dict[int, list[dict[str, Any]]]) -> dict[str, Any]:
    sid, node, port, nxt, virtual_at, wall_at, wall_ms, values, why, outcome, error = s
    return {"node": node, "port": port, "next": nxt, "virtualAt": virtual_at, "wallAt": wall_at, "wallMs": wall_ms,
            "values": _load(values), "why": _load(why), "outcome": outcome, "error": error,
            "attempts": attempts.get(sid, [])}


def _attempt_dict(a: tuple[Any, ...]) -> dict[str, Any]:
    (_, number, target, outcome, status, error, method, url, req_headers, req_body, req_note, resp_headers,
     resp_body, resp_note, queue_ms, network_ms, slow, wall_at) = a
    return {"number": number, "target": target, "outcome": outcome, "status": status, "error": error,
            "request": {"method": method, "url": url, "headers": _load(req_headers) or [], "body": req_body,
                        "note": req_note},
            "response": None if status is None else {"status": status, "headers": _load(resp_headers) or [],
                                                     "body": resp_body, "note": resp_note},
            "queueMs": queue_ms, "networkMs": network_ms, "slow": bool(slow), "wallAt": wall_at}


def _load(text: Optional[str]) -> Any:
    return json.loads(text) if text is not None else None


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def list_runs(home: Path) -> list[RunInfo]:
    """The workspace's runs, newest first; a file that cannot be read is skipped."""
    out = []
    folder = runs_dir(home)
    for path in sorted(folder.glob(f"*{SUFFIX}"), reverse=True) if folder.is_dir() else []:
        try:
            with TraceReader(path) as reader:
                out.append(reader.info())
        except TraceError:
            continue
    return out


def find_run(home: Path, ref: str) -> Path:
    """A run file by id, unique id prefix, path, or `last` (the newest)."""
    candidate = Path(ref)
    if candidate.suffix == SUFFIX and candidate.is_file():
        return candidate
    folder = runs_dir(home)
    names = sorted(p.name.removesuffix(SUFFIX) for p in folder.glob(f"*{SUFFIX}")) if folder.is_dir() else []
    if ref == "last" and names:
        return folder / f"{names[-1]}{SUFFIX}"
    matches = [n for n in names if n == ref] or [n for n in names if n.startswith(ref)]
    if len(matches) == 1:
        return folder / f"{matches[0]}{SUFFIX}"
    if not matches:
        raise TraceError(f"no run {ref!r} in {folder}" + (f" (newest: {names[-1]})" if names else " (no runs yet)"))
    raise TraceError(f"{ref!r} matches {len(matches)} runs: {', '.join(matches[:5])}; give more of the id")
