"""The bulk path: many calls of one action, bounded concurrency over one shared AsyncClient.

Input is JSON lines or CSV, read by `app.calls.batchinput` (bad lines are reported with their
number and skipped; they never stop the batch). An interrupted batch (cancel) records the calls
that were in flight as `cancelled`, so the history and the summary hold every call started.

Transport: the calls go through app.calls.aiosender (aiohttp directly: httpx's own pool degrades
under concurrency, and httpx's per-call layers cost more than the call on loopback), which sends
the same bytes as the single-call path, through the same proxies and TLS settings; `httpx` (its
own pool) remains as a choice. bench/bench_batch.py measures them. The token is fetched once for
the whole batch (a rejected token is refetched once, for every call at once).
"""
from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Callable, Iterable, Literal, Optional, Sequence

from app.calls.aiosender import AioSender
from app.calls.answer import Sender
from app.calls.batchinput import PATH_KEY, BadLine, BatchInput, BatchItem, format_of, read_batch
from app.calls.build import Outgoing, Prepared, prepare
from app.calls.client import CallClient
from app.calls.credentials import AuthState
from app.calls.history import History, HistoryBuffer
from app.calls.pacing import REAL, Clock
from app.calls.record import CallResult, RecordedExchange, RecordedRequest
from app.calls.send import HostCap, acall
from app.masking import Masker
from app.model import Action
from app.net import NetConfig
from app.resolve import Resolver

if TYPE_CHECKING:
    from app.auth.engine import AuthEngine

__all__ = ["PATH_KEY", "BadLine", "BatchInput", "BatchItem", "BatchSummary", "arun_batch", "format_of",
           "read_batch", "run_batch"]
Transport = Literal["aiohttp", "httpx"]
TRANSPORTS: tuple[Transport, ...] = ("aiohttp", "httpx")
DEFAULT_TRANSPORT: Transport = "aiohttp"
MAX_FAILURES_KEPT = 200


@dataclass
class BatchSummary:
    """What a batch did: calls made, successes, failures by outcome code, bad input lines."""

    total: int = 0
    sent: int = 0
    ok: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    bad: list[BadLine] = field(default_factory=list)
    failures: list[tuple[int, str]] = field(default_factory=list)  # (line, one-line reason), the first ones
    cancelled: bool = False
    elapsed_s: float = 0.0

    @property
    def calls_per_s(self) -> float:
        return self.sent / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def line(self) -> str:
        parts = [f"sent {self.sent} of {self.total}", f"{self.ok} ok"]
        if self.failed:
            parts.append("failed: " + ", ".join(f"{code} x{n}" for code, n in self.failed.most_common()))
        if self.bad:
            parts.append(f"{len(self.bad)} bad line{'s' if len(self.bad) > 1 else ''} skipped")
        if self.cancelled:
            parts.append("cancelled")
        parts.append(f"{self.elapsed_s:.1f} s, {self.calls_per_s:.0f} calls/s")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "sent": self.sent, "ok": self.ok, "failed": dict(self.failed),
                "badLines": [{"line": b.line, "reason": b.reason} for b in self.bad],
                "failures": [{"line": n, "reason": r} for n, r in self.failures],
                "cancelled": self.cancelled, "elapsedS": round(self.elapsed_s, 3),
                "callsPerS": round(self.calls_per_s, 1)}


# -- sending -------------------------------------------------------------------------------------
def make_sender(transport: Transport, concurrency: int, timeout: float, net: Optional[NetConfig] = None) -> Sender:
    """The one sender a batch (or a journey run) shares: aiohttp directly (the default) or httpx's
    own pool, with the same proxies, TLS context and response cap as a single call (`net`)."""
    net = net or NetConfig()
    if transport == "httpx":
        return CallClient(timeout=timeout, max_body=net.response_max_bytes, **net.httpx_options(concurrency))
    if transport != "aiohttp":
        raise ValueError(f"unknown transport {transport!r}; use {' or '.join(TRANSPORTS)}")
    return AioSender(concurrency, net)


make_client = make_sender  # its former name (app.check.runner uses it)

Progress = Callable[[int, int, BatchSummary], None]


async def arun_batch(action: Action, items: list[BatchItem], *, engine: AuthEngine, resolver: Resolver,
                     prepared: Optional[Prepared] = None, concurrency: int = 16, timeout: Optional[float] = None,
                     progress: Optional[Progress] = None, cancel: Optional[threading.Event] = None,
                     history: Optional[History] = None, source: str = "batch",
                     transport: Transport = DEFAULT_TRANSPORT, cap: Optional[HostCap] = None,
                     on_result: Optional[Callable[[BatchItem, CallResult], None]] = None,
                     bad: Iterable[BadLine] = (), net: Optional[NetConfig] = None,
                     clock: Clock = REAL) -> BatchSummary:
    """Send every item; returns the summary. `cancel` (a threading.Event) stops the batch soon.
    `net` (the response cap, proxies, TLS) defaults to the engine's, which the token call uses too.
    `clock`: the time the calls' retries read and wait on (app.calls.pacing; real time by default)."""
    prepared = prepared or prepare(action, resolver)
    net = net or getattr(engine, "net", None) or NetConfig()
    seconds = timeout if timeout is not None else action.timeout_seconds
    summary = BatchSummary(total=len(items), bad=list(bad))
    masker = Masker(resolver.secret_values)
    auth = AuthState(engine, action, resolver, masker)
    buffer = HistoryBuffer(history) if history is not None else None
    reporter = _Reporter(progress, summary)
    queue = iter(items)
    started = time.monotonic()

    def done(item: BatchItem, result: CallResult) -> None:
        _count(summary, item, result)
        if buffer is not None:
            buffer.add(result)
        if on_result is not None:
            on_result(item, result)
        reporter.tick()

    async def worker(client: Sender) -> None:
        for item in queue:
            try:
                out = prepared.render(item.values, item.path_suffix)
            except ValueError as exc:  # this line's request cannot be built: a bad line, the rest go on
                summary.bad.append(BadLine(item.line, str(exc)))
                summary.total -= 1
                continue
            started = time.monotonic()
            try:
                result = await acall(client, prepared, out, auth, seconds, cap, source, clock)
            except asyncio.CancelledError:  # interrupted in flight: recorded, the endpoint may have it
                done(item, interrupted(prepared, out, masker, source, started))
                raise
            done(item, result)

    try:
        async with make_sender(transport, concurrency, seconds, net) as client:
            workers = [asyncio.ensure_future(worker(client)) for _ in range(max(1, min(concurrency, len(items))))]
            watcher = asyncio.ensure_future(_watch(cancel, workers)) if cancel is not None else None
            try:
                await asyncio.gather(*workers)
            except asyncio.CancelledError:
                if cancel is None or not cancel.is_set():
                    raise
                summary.cancelled = True
            finally:
                if watcher is not None:
                    watcher.cancel()
                for task in workers:
                    task.cancel()
                await asyncio.gather(*workers, *([watcher] if watcher else []), return_exceptions=True)
    finally:
        if buffer is not None:
            buffer.flush()
        summary.elapsed_s = time.monotonic() - started  # the history written included
        reporter.tick(final=True)
    return summary


def run_batch(action: Action, items: list[BatchItem], **kwargs: Any) -> BatchSummary:
    """`arun_batch` for synchronous callers (a worker thread, the CLI), on uvloop when installed."""
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(arun_batch(action, items, **kwargs))


def loop_factory() -> Optional[Callable[[], asyncio.AbstractEventLoop]]:
    """uvloop's event loop (a dependency where it exists: not on Windows), else asyncio's."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


async def _watch(cancel: threading.Event, workers: Sequence["asyncio.Future[None]"]) -> None:
    while not cancel.is_set():
        await asyncio.sleep(0.05)
    for task in workers:
        task.cancel()


def interrupted(prepared: Prepared, out: Outgoing, masker: Masker, source: str, started: float) -> CallResult:
    """A call cancelled while in flight: what was being sent (masked), outcome `cancelled`."""
    request = RecordedRequest(out.method, masker.text(out.url), masker.headers(out.headers.items()),
                              None if out.body is None else masker.text(out.body_text or ""))
    reason = "interrupted while in flight: the endpoint may or may not have received it"
    elapsed = (time.monotonic() - started) * 1000
    return CallResult(prepared.action.name, "cancelled",
                      datetime.now(timezone.utc) - timedelta(milliseconds=elapsed), elapsed,
                      [RecordedExchange(request, None, reason, elapsed)], reason, source, out.values,
                      out.path_suffix, reader=prepared.reader)


def _count(summary: BatchSummary, item: BatchItem, result: CallResult) -> None:
    summary.sent += 1
    if result.ok:
        summary.ok += 1
        return
    summary.failed[result.outcome] += 1
    if len(summary.failures) < MAX_FAILURES_KEPT:
        summary.failures.append((item.line, result.summary()))


class _Reporter:
    """Calls progress at most every 0.1 s (a GUI signal per call would flood the event queue)."""

    def __init__(self, progress: Optional[Progress], summary: BatchSummary) -> None:
        self.progress, self.summary, self._last = progress, summary, 0.0

    def tick(self, final: bool = False) -> None:
        if self.progress is None:
            return
        now = time.monotonic()
        if final or now - self._last >= 0.1:
            self._last = now
            self.progress(self.summary.sent, self.summary.total, self.summary)
