"""Replay a stored run: the current journey over the same rows, seed, preset and virtual start, each
call answered from the recording (matched by row, profile, node and attempt), never sent.

    setup = ReplaySetup.open(home, "last", journey)       # ReplayError: no such run, another journey...
    options = RunOptions(setup.preset, setup.seed, targets=setup.targets(journey), start=setup.start,
                         notes=setup.notes())
    ...                                                     # JourneyRun as usual; setup.close() after

A call the recording does not hold (a node added since, a profile that now reaches another action, a
row whose profile changed) is answered by no one: the step's outcome is `notRecorded` and the profile
ends in error saying what was missing; nothing leaves the process. A recorded response goes through
the same call engine (retries, outcome codes, error paths), so a recorded 503 then 200 replays as a
retry. The recording is read per call from its SQLite file (only a row -> profile index in memory).

Limits: the rows come from the profiles file again (the trace keeps no input rows), so a file edited
since shows only where a row's profile id changed; a body the recording cut at 1 MB replays cut; a
call that failed before any attempt (its authentication) has nothing to replay and reads notRecorded.
"""
from __future__ import annotations

import codecs
import contextlib
import contextvars
import json
import sqlite3
from array import array
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator, Optional

import httpx

from app.journeys.model import Journey
from app.journeys.targets import Target
from app.journeys.tracereader import RunInfo, TraceReader, find_run
from app.journeys.traces import TraceError

NOT_RECORDED = "notRecorded"  # the step outcome (and profile code) of a call the recording lacks
_DROPPED = frozenset({"content-encoding", "transfer-encoding", "content-length"})  # the body is stored decoded


class ReplayError(ValueError):
    """The run cannot be replayed (no such run, still running, another journey); the message says why."""


class NotRecorded(Exception):
    """Raised by the transport for a call the recording lacks (the call engine records it, never sends)."""


class ReplayedFailure(Exception):
    """A recorded attempt that failed without an answer (connection refused...), raised again as it was."""


class ReplayedDrop(httpx.ReadError):
    """A recorded failure the call engine retried: raised as a network error so it retries again."""


@dataclass
class RecordedAttempt:
    number: int
    outcome: Optional[str]
    status: Optional[int]
    error: Optional[str]
    headers: list[tuple[str, str]]
    body: Optional[str]


class Recording:
    """A finished run's recorded calls, looked up by input row and node (one query per call)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
            self._db.execute("PRAGMA busy_timeout=5000")
            self.run_id = str(self._db.execute("SELECT id FROM run").fetchone()[0])
            first = self._db.execute("SELECT MIN(entered_at) FROM profile").fetchone()[0]
            self.start = datetime.fromisoformat(first) if first else None  # the virtual time profiles entered
            self._seqs = array("q")  # input row -> the profile's sequence number (0: not in the run)
            for seq, row in self._db.execute("SELECT seq, row FROM profile ORDER BY row"):
                if row >= len(self._seqs):
                    self._seqs.extend([0] * (row + 1 - len(self._seqs)))
                self._seqs[row] = seq
            # profile -> its attempts' first and last id: a profile's attempts are a range of ids (numbered
            # in profile order; the attempt table has no index: app.journeys.traces.SCHEMA), read in one pass.
            self._firsts, self._lasts = array("q"), array("q")
            for seq, first, last in self._db.execute(
                    "SELECT profile_seq, MIN(id), MAX(id) FROM attempt GROUP BY profile_seq ORDER BY profile_seq"):
                if seq >= len(self._firsts):
                    grow = [0] * (seq + 1 - len(self._firsts))
                    self._firsts.extend(grow)
                    self._lasts.extend(grow)
                self._firsts[seq], self._lasts[seq] = first, last
        except (sqlite3.Error, TypeError, ValueError) as exc:
            raise ReplayError(f"{self.path}: not a readable run trace ({exc})") from None

    def close(self) -> None:
        self._db.close()

    def has_profile(self, profile_id: str) -> bool:
        found = self._db.execute("SELECT 1 FROM profile WHERE profile_id = ? LIMIT 1", (profile_id,)).fetchone()
        return found is not None

    def attempts(self, row: int, profile_id: str, node: str) -> tuple[list[RecordedAttempt], Optional[str]]:
        """The recorded attempts of `node` for input `row`, or ([], why there are none)."""
        seq = self._seqs[row] if 0 <= row < len(self._seqs) else 0
        where = f"run {self.run_id}"
        if not seq:
            return [], f"{where} has no row {row} (profile {profile_id})"
        first, last = (self._firsts[seq], self._lasts[seq]) if seq < len(self._firsts) else (0, 0)
        rows = self._db.execute(  # one query a call: the profile, and its attempts at the node if any (in step
            # order: ids follow the steps, then each step's attempts)
            "SELECT p.profile_id, a.number, a.outcome, a.status, a.error, a.response_headers, a.response_body"
            " FROM profile p LEFT JOIN attempt a ON a.id BETWEEN ? AND ? AND a.node = ? WHERE p.seq = ? ORDER BY a.id",
            (first, last, node, seq)).fetchall()
        recorded_id = rows[0][0] if rows else None
        if recorded_id != profile_id:
            return [], f"row {row} was profile {recorded_id} in {where}, it is {profile_id} now (the profiles changed)"
        found = [RecordedAttempt(n, o, s, e, [tuple(h) for h in _json(hs) or []], b)
                 for _, n, o, s, e, hs, b in rows if n is not None]
        if not found:
            return [], f"{where} has no call of node {node} for profile {profile_id} (row {row})"
        return found, None


@dataclass
class _Call:
    """One replayed call in progress: the profile's row, the attempts made so far, what was missing."""

    recording: Recording
    row: int
    profile_id: str
    node: str
    made: int = 0
    recorded: Optional[list[RecordedAttempt]] = None
    missing: Optional[str] = None


_CALL: contextvars.ContextVar[_Call] = contextvars.ContextVar("replayed_call")


@contextlib.contextmanager
def replayed_call(recording: Recording, row: int, profile_id: str, node: str) -> Iterator[_Call]:
    """Around one call (all its attempts) answered from the recording; `.missing` says why, when
    the recording had nothing for one of its attempts."""
    call = _Call(recording, row, profile_id, node)
    token = _CALL.set(call)
    try:
        yield call
    finally:
        _CALL.reset(token)


class ReplayTransport(httpx.AsyncBaseTransport):
    """Answers each attempt with the recorded one of the same number; never opens a connection."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        call = _CALL.get()
        if call.recorded is None:
            call.recorded, call.missing = call.recording.attempts(call.row, call.profile_id, call.node)
        call.made += 1
        found = next((a for a in call.recorded if a.number == call.made), None)
        if found is None:
            if call.missing is None:
                call.missing = (f"run {self.run_id} has no attempt {call.made} of node {call.node} for profile "
                                f"{call.profile_id} (row {call.row})")
            raise NotRecorded(f"not recorded: {call.missing}; nothing was sent")
        if found.status is None:
            if (found.outcome or "") == "timedout":
                raise TimeoutError(found.error or "timed out")
            retried = any(a.number == found.number + 1 for a in call.recorded)
            raise (ReplayedDrop if retried else ReplayedFailure)(found.error or "failed without an answer")
        headers = [(k, v) for k, v in found.headers if k.lower() not in _DROPPED]
        headers.append(("x-action-studio-replay", self.run_id))
        content = (found.body or "").encode(_charset(headers), "replace")
        return httpx.Response(found.status, headers=headers, content=content, request=request)


def _charset(headers: list[tuple[str, str]]) -> str:
    for name, value in headers:
        if name.lower() == "content-type" and "charset=" in value.lower():
            name = value.lower().split("charset=", 1)[1].split(";", 1)[0].strip().strip('"')
            try:
                return codecs.lookup(name).name
            except LookupError:
                return "utf-8"
    return "utf-8"


def _json(text: Optional[str]) -> Any:
    return json.loads(text) if text else None


@dataclass
class ReplaySetup:
    """What a replay of `info` takes from it: rows (its profiles file), seed, preset, virtual start,
    the nodes it ran dry, and the recording answering the calls."""

    info: RunInfo
    start: Optional[datetime]
    recording: Recording
    dry_nodes: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def open(cls, home: Path, ref: str, journey: Journey) -> "ReplaySetup":
        """The run `ref` (an id, a unique start of it, its file or `last`) of `journey`, ready to replay."""
        try:
            path = find_run(home, ref)
            with TraceReader(path) as reader:
                info = reader.info()
        except TraceError as exc:
            raise ReplayError(str(exc)) from None
        if info.journey_name != journey.name:
            raise ReplayError(f"run {info.id} is a run of journey {info.journey_name!r}, not {journey.name!r}; "
                              f"replay it with that journey (action-studio journey runs {journey.name} lists this "
                              "journey's runs)")
        if info.state == "running":
            raise ReplayError(f"run {info.id} is still running; replay it once it has ended")
        dry = frozenset(n for n, t in info.targets.items() if t == "dry")
        recording = Recording(path)
        return cls(info, recording.start, recording, dry)

    @property
    def seed(self) -> Optional[int]:
        return self.info.seed

    @property
    def preset(self) -> str:
        return self.info.preset

    @property
    def concurrency(self) -> int:
        found = self.info.settings.get("concurrency")
        return found if isinstance(found, int) else 16

    def profiles(self) -> str:
        """The profiles file the run read (ReplayError: read from stdin, or gone since)."""
        name = str(self.info.settings.get("profiles") or "")
        if not name or name == "stdin":
            raise ReplayError(f"run {self.info.id} read its profiles from standard input: give them again "
                              "(--profiles FILE)")
        if not Path(name).is_file():
            raise ReplayError(f"run {self.info.id} read its profiles from {name}, which is not there any more "
                              "(from this folder); give them again (--profiles FILE)")
        return name

    def targets(self, journey: Journey, default: Optional[Target] = None,
                given: Optional[dict[str, Target]] = None) -> dict[str, Target]:
        """Every action node's target: as given, else `default` (a replay for real), else the recording
        (dry where the recorded run was dry: it holds no answer there)."""
        out = {}
        for node in journey.action_nodes():
            if given and node.id in given:
                out[node.id] = given[node.id]
            elif default is not None:
                out[node.id] = default
            elif node.id in self.dry_nodes:
                out[node.id] = Target("dry")
            else:
                out[node.id] = Target("replay", source=self.info.id, recording=self.recording)
        return out

    def has_profile(self, profile_id: str) -> bool:
        return self.recording.has_profile(profile_id)

    def notes(self, target: str = "replay") -> dict[str, Any]:
        """What the new run records about its origin (in its settings)."""
        return {"replayOf": self.info.id, "replayTarget": target}

    def close(self) -> None:
        self.recording.close()
