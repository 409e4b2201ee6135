"""Read-only SQL over run files for what streams over every profile (diff, expectations): a
connection that never writes nor waits on the run's writer, and the profiles in input order."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from app.journeys.traces import TraceError


@dataclass(frozen=True)
class ProfileEnd:
    """One profile entry of a run: its input row, outcome and the nodes it went through."""

    row: int
    profile_id: Optional[str]
    outcome: str
    code: Optional[str]
    path: tuple[str, ...]

    @property
    def end(self) -> Optional[str]:
        return self.path[-1] if self.path else None


def connect(path: Path) -> sqlite3.Connection:
    """The run file opened read-only (TraceError: not a run file)."""
    path = Path(path)
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        db.execute("PRAGMA busy_timeout=5000")
        db.execute("SELECT id FROM run").fetchone()
    except sqlite3.Error as exc:
        raise TraceError(f"{path}: not a readable run trace ({exc})") from None
    return db


PROFILE_SQL = "SELECT row, profile_id, outcome, code, path FROM profile"


def profile_end(row: tuple[int, Optional[str], str, Optional[str], str]) -> ProfileEnd:
    return ProfileEnd(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])))


def profiles(db: sqlite3.Connection, where: str = "", args: tuple[object, ...] = ()) -> Iterator[ProfileEnd]:
    """Every profile entry in input order (a cursor: nothing is held but the current row)."""
    for row in db.execute(f"{PROFILE_SQL} {where} ORDER BY row, seq", args):
        yield profile_end(row)
