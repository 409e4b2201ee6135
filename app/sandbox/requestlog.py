"""The request log: a bounded ring buffer of recorded requests, and per-endpoint counters.

Entries keep raw bytes (already masked) and are rendered to JSON-ready dicts only when read,
so recording costs little on the hot path.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.masking import Masker, headers_dict
from app.sandbox.config import ENDPOINTS

TRUNCATION_MARKER = "…[truncated {} bytes]"


@dataclass(slots=True)
class LogEntry:
    """One recorded request; headers, query and body are masked before they get here."""

    id: int
    time: float
    method: str
    path: str
    query: dict[str, str]
    headers: list[tuple[bytes, bytes]]  # Already masked; decoded only when read.
    body: bytes
    body_size: int
    endpoint: str
    status: int | None = None
    duration_ms: float = 0.0
    fault: str | None = None

    def render(self, masker: Masker | None = None) -> dict[str, Any]:
        """The JSON-ready form served at ``/_sandbox/requests``; `masker`'s values are hidden."""
        text = self.body.decode("utf-8", "replace")
        if self.body_size > len(self.body):
            text += TRUNCATION_MARKER.format(self.body_size - len(self.body))
        path, query, headers = self.path, self.query, headers_dict(self.headers)
        if masker:  # names were masked when recorded; known secret values under any name now
            path, text = masker.text(path), masker.text(text)
            query = {k: masker.text(v) for k, v in query.items()}
            headers = {k: masker.text(v) for k, v in headers.items()}
        return {
            "id": self.id,
            "time": iso_time(self.time),
            "method": self.method,
            "path": path,
            "query": query,
            "headers": headers,
            "body": text,
            "body_size": self.body_size,
            "status": self.status,
            "duration_ms": round(self.duration_ms, 3),
            "endpoint": self.endpoint,
            "fault": self.fault,
        }


def iso_time(epoch: float) -> str:
    """UTC ISO 8601 with milliseconds, e.g. ``2024-05-01T10:00:00.123Z``."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class RequestLog:
    """Thread-safe ring buffer of :class:`LogEntry` plus counters per endpoint."""

    size: int = 2000
    # Secret values registered by the in-process caller, masked when entries are read (so a value
    # registered just after its request went out is still hidden).
    masker: Masker = field(default_factory=Masker)
    _entries: deque[LogEntry] = field(init=False)
    _counters: dict[str, int] = field(init=False)
    _ids: itertools.count[int] = field(init=False, default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._entries = deque(maxlen=self.size)
        self._counters = dict.fromkeys(ENDPOINTS, 0)

    def next_id(self) -> int:
        """A fresh, increasing entry id."""
        return next(self._ids)

    def count(self, endpoint: str) -> None:
        """Count one request to a known endpoint (unknown paths are logged, not counted)."""
        with self._lock:
            if endpoint in self._counters:
                self._counters[endpoint] += 1

    def add(self, entry: LogEntry) -> None:
        """Record a finished request; the oldest entry goes once the buffer is full."""
        with self._lock:
            self._entries.append(entry)

    def counters(self) -> dict[str, int]:
        """A snapshot of the counters."""
        with self._lock:
            return dict(self._counters)

    def clear(self) -> int:
        """Forget all entries and reset the counters; returns how many entries were dropped."""
        with self._lock:
            dropped = len(self._entries)
            self._entries.clear()
            self._counters = dict.fromkeys(ENDPOINTS, 0)
            return dropped

    def entries(self, path: str | None = None,
                since: int | float | str | datetime | None = None) -> list[dict[str, Any]]:
        """Rendered entries, oldest first.

        ``path`` keeps a path and everything below it. ``since`` is an entry id (int or digit
        string: entries after it), an epoch time (float) or an ISO 8601 time / datetime
        (entries at or after it).
        """
        with self._lock:
            snapshot = list(self._entries)
        keep_id, keep_time = _since_filter(since)
        prefix = path.rstrip("/") + "/" if path else None
        return [
            e.render(self.masker)
            for e in snapshot
            if e.id > keep_id
            and e.time >= keep_time
            and (path is None or e.path == path or e.path.startswith(prefix or ""))
        ]


def _since_filter(since: int | float | str | datetime | None) -> tuple[int, float]:
    """(minimum id exclusive, minimum epoch time inclusive) for a ``since`` value."""
    if since is None or since == "":
        return 0, 0.0
    if isinstance(since, datetime):
        return 0, _aware(since).timestamp()
    if isinstance(since, bool):
        raise ValueError("since must be an id or a time")
    if isinstance(since, int):
        return since, 0.0
    if isinstance(since, float):
        return 0, since
    text = since.strip()
    if text.isdigit():
        return int(text), 0.0
    try:
        return 0, _aware(datetime.fromisoformat(text.replace("Z", "+00:00"))).timestamp()
    except ValueError:
        try:
            return 0, float(text)
        except ValueError:
            raise ValueError(f"since must be an entry id, an epoch time or an ISO 8601 time, not {since!r}") from None


def _aware(moment: datetime) -> datetime:
    """Naive datetimes are taken as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def now() -> float:
    """Wall-clock time for log entries (a seam for tests)."""
    return time.time()
