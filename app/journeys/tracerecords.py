"""What the runner hands the trace writer: a finished profile, its steps, their call attempts.

Plain dataclasses, filled by the runner and written by app.journeys.traces.TraceWriter.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Optional

from app.calls.record import RecordedExchange
from app.masking import Masker

MAX_BODY = 1024 * 1024  # bytes of a request or response body kept per attempt
OUTCOMES = ("finished", "error", "timedOut", "discarded", "rejected", "cancelled")


@dataclass(slots=True)  # made per profile, step or attempt on the run's loop: slots make it cheaper
class AttemptTrace:
    """One call attempt as recorded: target is `sandbox`, `env`, `mock` or `dry` (dry: no response).

    `response_size`: the body's full size in bytes when the call engine kept only part of it.
    `masked`: the masker that masked its texts and that masker's version before the call began (the
    call engine's record): while it stays at that version, the trace need not mask them again."""

    number: int
    target: str
    method: str
    url: str
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    request_body: Optional[str] = None
    status: Optional[int] = None
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    response_body: Optional[str] = None
    response_size: Optional[int] = None
    outcome: Optional[str] = None
    error: Optional[str] = None
    queue_ms: float = 0.0
    network_ms: float = 0.0
    wall_at: Optional[float] = None
    masked: Optional[tuple[Masker, int]] = None

    @classmethod
    def from_exchange(cls, exchange: RecordedExchange, number: int, target: str, *, outcome: Optional[str] = None,
                      queue_ms: float = 0.0, wall_at: Optional[float] = None,
                      masked: Optional[tuple[Masker, int]] = None) -> "AttemptTrace":
        """An attempt from the call engine's record (already masked); outcome defaults to the
        attempt's own code (`http_<status>`, `timedout`, `internalError`)."""
        req, resp = exchange.request, exchange.response
        if outcome is None:  # the call engine's codes: a timed-out attempt is never retried
            if resp is not None:
                outcome = http_outcome(resp.status)
            else:
                outcome = "timedout" if (exchange.error or "").startswith("timed out") else "internalError"
        size = None
        if resp is not None and resp.truncated:
            size = -1  # cut by the call engine: the full size is unknown
        # The header lists are the record's own (never changed once recorded), not copies: a run's
        # calls share one request header list, which the trace writer encodes once.
        return cls(number, target, req.method, req.url, req.headers, req.body,
                   resp.status if resp else None, resp.headers if resp else [], resp.body if resp else None,
                   size, outcome, exchange.error, queue_ms, exchange.elapsed_ms, wall_at, masked)


@dataclass(slots=True)  # made per profile, step or attempt on the run's loop: slots make it cheaper
class StepTrace:
    """One node a profile went through: the port it left by (None: it stopped here), the values
    mapped (action), why a path was taken (condition: each path's result and operand values),
    the call's outcome code and its attempts (action)."""

    node: str
    port: Optional[str] = None
    next: Optional[str] = None
    virtual_at: Optional[datetime] = None
    wall_at: Optional[float] = None
    wall_ms: float = 0.0
    values: Optional[dict[str, Any]] = None
    why: Optional[dict[str, Any]] = None
    outcome: Optional[str] = None
    error: Optional[str] = None
    attempts: list[AttemptTrace] = field(default_factory=list)


@dataclass(slots=True)  # made per profile, step or attempt on the run's loop: slots make it cheaper
class ProfileTrace:
    """One input row's journey: exactly one outcome (see OUTCOMES); `code` the call outcome code
    that ended it in error (`http_500`, `timedout`, `capped`...); `error` a readable reason."""

    row: int
    profile_id: Optional[str]
    outcome: str
    steps: list[StepTrace] = field(default_factory=list)
    code: Optional[str] = None
    error: Optional[str] = None
    entered_at: Optional[datetime] = None
    ended_at: Optional[datetime] = None
    wall_ms: float = 0.0

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown profile outcome {self.outcome!r}; one of {', '.join(OUTCOMES)}")


HTTP_OUTCOME_CODES: dict[int, str] = {}  # status -> its outcome code, made once (every attempt of a run has one)


def http_outcome(status: int) -> str:
    """`http_<status>`."""
    code = HTTP_OUTCOME_CODES.get(status)
    if code is None:
        code = f"http_{status}"
        if 100 <= status < 1000:  # bounded: only what an HTTP status can be
            HTTP_OUTCOME_CODES[status] = code
    return code


def clip(text: Optional[str], size: Optional[int] = None) -> tuple[Optional[str], Optional[str]]:
    """A body cut to MAX_BODY bytes and the note saying so ("truncated at N of M bytes").

    size: the full size when text is already a part (-1: cut earlier, full size unknown)."""
    if text is None:
        return None, None
    if size is None and len(text) <= MAX_BODY // 4:  # at most 4 bytes a character: it fits, no need to count
        return text, None
    data = text.encode("utf-8", "surrogatepass")
    total = size if size and size > len(data) else len(data)
    if len(data) > MAX_BODY:
        text = data[:MAX_BODY].decode("utf-8", "ignore")  # ignore: a character cut in two
        data = data[:MAX_BODY]
    if total > len(data):
        return text, f"truncated at {len(data):,} of {total:,} bytes"
    if size == -1:
        return text, f"truncated at {len(data):,} bytes by the call engine (full size unknown)"
    return text, None
