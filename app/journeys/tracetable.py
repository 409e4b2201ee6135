"""The profile table of a run, read page by page from its trace (no Qt): filters, sorting, counts.

The window's profile table (ui/journeys/profiles_model.py) asks for a page at a time from a worker
thread, so a 100,000-profile run stays instant. A filter is what a click on the diagram or the
table's own filter bar selects: an outcome, the node a profile ended at, a node it entered, an
edge (node, port) it took, a `jo_status_code` (an action step's outcome, optionally at one node),
a duration range, a profile id (substring). Every answer comes from the trace's own rows, as
TraceReader's counts do, so a filtered table has exactly as many rows as the count clicked.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Optional

from app.journeys.traces import TraceError

# The table's columns: (key, header, SQL expression)
COLUMNS = (("row", "Row", "row"), ("profileId", "Profile", "profile_id"), ("outcome", "Outcome", "outcome"),
           ("lastNode", "Last node", "last_node"), ("code", "Code", "code"), ("wallMs", "Duration (ms)", "wall_ms"))
_SORT = {key: expr for key, _, expr in COLUMNS} | {"seq": "seq"}
FILTER_KINDS = ("outcome", "lastNode", "node", "edge", "status", "profileId")


@dataclass(frozen=True)
class ProfileFilter:
    outcome: Optional[str] = None
    last_node: Optional[str] = None
    node: Optional[str] = None  # entered this node
    edge: Optional[tuple[str, str]] = None  # took this (node, port)
    status: Optional[str] = None  # a jo_status_code (http_200, timedout...) of one of its calls
    status_node: Optional[str] = None  # ... at this node only
    min_ms: Optional[float] = None
    max_ms: Optional[float] = None
    profile_id: Optional[str] = None  # substring

    def with_kind(self, kind: str, key: Any) -> "ProfileFilter":
        """This filter with one criterion set the way the diagram names them: ("node", id),
        ("edge", (node, port)), ("status", (node, code) or code), ("outcome", o), ("lastNode", id),
        ("profileId", text). ValueError for another kind."""
        if kind == "status":
            node, code = key if isinstance(key, (tuple, list)) else (None, key)
            return replace(self, status=code, status_node=node)
        if kind == "edge":
            return replace(self, edge=(str(key[0]), str(key[1])))
        fields = {"outcome": "outcome", "lastNode": "last_node", "node": "node", "profileId": "profile_id"}
        if kind not in fields:
            raise ValueError(f"unknown filter {kind!r}; use one of {', '.join(FILTER_KINDS)}")
        return replace(self, **{fields[kind]: key or None})

    def where(self) -> tuple[str, tuple[Any, ...]]:
        parts: list[str] = []
        args: list[Any] = []
        for expr, value in (("outcome = ?", self.outcome), ("last_node = ?", self.last_node),
                            ("wall_ms >= ?", self.min_ms), ("wall_ms <= ?", self.max_ms)):
            if value is not None:
                parts.append(expr)
                args.append(value)
        if self.profile_id:
            parts.append("instr(profile_id, ?) > 0")
            args.append(self.profile_id)
        # The profiles with such a step, from one pass over the steps (the step table has no index on
        # profile_seq: traces.SCHEMA), not a lookup per profile.
        steps = "seq IN (SELECT profile_seq FROM step WHERE "
        if self.node is not None:
            parts.append(steps + "node = ?)")
            args.append(self.node)
        if self.edge is not None:
            parts.append(steps + "node = ? AND port = ?)")
            args += list(self.edge)
        if self.status is not None:
            parts.append(steps + "outcome = ?" + (" AND node = ?)" if self.status_node else ")"))
            args += [self.status] + ([self.status_node] if self.status_node else [])
        return (" WHERE " + " AND ".join(parts) if parts else ""), tuple(args)

    def describe(self) -> str:
        """The filter in words (the table's caption); empty when it shows every profile."""
        out = []
        for label, value in (("outcome", self.outcome), ("ended at", self.last_node), ("entered", self.node),
                             ("id contains", self.profile_id)):
            if value:
                out.append(f"{label} {value}")
        if self.edge:
            out.append(f"took {self.edge[0]} → {self.edge[1]}")
        if self.status:
            out.append(f"a call ended {self.status}" + (f" at {self.status_node}" if self.status_node else ""))
        if self.min_ms is not None or self.max_ms is not None:
            out.append(f"duration {self.min_ms or 0:g}–{'' if self.max_ms is None else f'{self.max_ms:g}'} ms")
        return ", ".join(out)


@dataclass(frozen=True)
class ProfileRowView:
    """One row of the table (the profile's entry: a profile that entered twice has two)."""

    seq: int
    row: int
    profile_id: Optional[str]
    outcome: str
    last_node: Optional[str]
    code: Optional[str]
    wall_ms: Optional[float]

    def value(self, key: str) -> Any:
        return {"row": self.row, "profileId": self.profile_id, "outcome": self.outcome, "lastNode": self.last_node,
                "code": self.code, "wallMs": self.wall_ms}[key]


class TraceTable:
    """Read-only queries over one run file (a connection per instance: one per worker call)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            self._db.execute("PRAGMA busy_timeout=5000")
            self._db.execute("SELECT 1 FROM profile LIMIT 1")
        except sqlite3.Error as exc:
            raise TraceError(f"{self.path}: not a readable run trace ({exc})") from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "TraceTable":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def count(self, flt: ProfileFilter = ProfileFilter()) -> int:
        where, args = flt.where()
        return int(self._db.execute(f"SELECT COUNT(*) FROM profile{where}", args).fetchone()[0])

    def page(self, flt: ProfileFilter = ProfileFilter(), sort: str = "seq", descending: bool = False,
             offset: int = 0, limit: int = 200) -> list[ProfileRowView]:
        """Rows `offset`..`offset+limit` of the filtered, sorted table (ties in finishing order)."""
        if sort not in _SORT:
            raise ValueError(f"cannot sort by {sort!r}")
        where, args = flt.where()
        order = f"{_SORT[sort]} {'DESC' if descending else 'ASC'}, seq"
        rows = self._db.execute(f"SELECT seq, row, profile_id, outcome, last_node, code, wall_ms FROM profile{where}"
                                f" ORDER BY {order} LIMIT ? OFFSET ?", (*args, limit, offset)).fetchall()
        return [ProfileRowView(*r) for r in rows]

    def choices(self) -> dict[str, list[str]]:
        """What the filter bar offers: the outcomes, last nodes and status codes present."""
        def distinct(sql: str) -> list[str]:
            return [r[0] for r in self._db.execute(sql).fetchall() if r[0] is not None]

        return {"outcome": distinct("SELECT DISTINCT outcome FROM profile ORDER BY outcome"),
                "lastNode": distinct("SELECT DISTINCT last_node FROM profile ORDER BY last_node"),
                "status": distinct("SELECT DISTINCT outcome FROM step WHERE outcome IS NOT NULL ORDER BY outcome")}
