"""The bulk path: many calls of one action, bounded concurrency over one shared AsyncClient.

Input is JSON lines (one object per line) or CSV (a header row, one row per call). Keys are the
action's input keys or labels (see `app.calls.values`); a JSON line may also nest objects
(`{"body": {"name": "x"}}` fills `body.name`). The key `$path` gives a call's dynamic path.
Bad lines are reported with their line number and skipped; they never stop the batch.

Transport: httpx stays the API; its default transport (httpcore) degrades under concurrency, so
the bulk path uses the httpx-aiohttp transport, reading bodies at once (app.calls.transport;
bench/bench_batch.py measures the choices), which `CallClient.call` calls directly. The token
is fetched once for the whole batch (a rejected token is refetched once, for every call at once).
"""
from __future__ import annotations

import asyncio
import csv
import io
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Literal, Optional

import httpx

from app.calls.build import Prepared, SetupError, prepare
from app.calls.history import History, HistoryBuffer
from app.calls.record import CallResult, Masker
from app.calls.client import CallClient
from app.calls.credentials import AuthState
from app.calls.send import HostCap, acall
from app.calls.transport import Transport, make_transport
from app.calls.values import Input, ValuesError, coerce_text
from app.model import Action
from app.net import NetConfig
from app.resolve import Resolver

PATH_KEY = "$path"
DEFAULT_TRANSPORT: Transport = "aiohttp"
MAX_FAILURES_KEPT = 200


@dataclass(frozen=True)
class BadLine:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True)
class BatchItem:
    line: int
    values: dict[str, Any]
    path_suffix: str = ""


@dataclass
class BatchInput:
    items: list[BatchItem] = field(default_factory=list)
    bad: list[BadLine] = field(default_factory=list)


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


# -- input ---------------------------------------------------------------------------------------
def read_batch(prepared: Prepared, text: str, fmt: Literal["jsonl", "csv"] = "jsonl") -> BatchInput:
    """Parse and check every line; bad ones are collected with their line number."""
    rows = _csv_rows(text, prepared.inputs) if fmt == "csv" else _jsonl_rows(text, prepared.inputs)
    out = BatchInput()
    for line, row in rows:
        if isinstance(row, str):
            out.bad.append(BadLine(line, row))
            continue
        suffix = str(row.pop(PATH_KEY, "") or "")
        try:
            if suffix:
                prepared.dynamic_path(suffix)  # checked here: a bad line is skipped, not a failed call
            out.items.append(BatchItem(line, prepared.check(row), suffix))
        except ValuesError as exc:
            out.bad.append(BadLine(line, "; ".join(exc.problems)))
        except SetupError as exc:
            out.bad.append(BadLine(line, f"{PATH_KEY}: {exc}"))
    return out


def format_of(path: str) -> Literal["jsonl", "csv"]:
    return "csv" if path.lower().endswith((".csv", ".tsv")) else "jsonl"


def _jsonl_rows(text: str, known: list[Input]) -> Iterable[tuple[int, Any]]:
    keys = {i.key for i in known} | {i.label.lower() for i in known} | {PATH_KEY}
    for n, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except ValueError as exc:
            yield n, f"not valid JSON ({exc.msg} at column {getattr(exc, 'colno', '?')})"
            continue
        if not isinstance(data, dict):
            yield n, "expected a JSON object"
            continue
        yield n, _flatten(data, keys)


def _flatten(data: dict[str, Any], keys: set[str], prefix: str = "") -> dict[str, Any]:
    """Nested objects down to the input keys: {"body": {"name": x}} -> {"body.name": x}."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else key
        if path in keys or path.lower() in keys or prefix == "" and key.strip().lower() in keys:
            out[path] = value
        elif isinstance(value, dict) and any(k.startswith(path + ".") for k in keys):
            out.update(_flatten(value, keys, path))
        else:
            out[path] = value  # unknown: reported by the check, with the known keys
    return out


def _csv_rows(text: str, known: list[Input]) -> Iterable[tuple[int, Any]]:
    reader = csv.reader(io.StringIO(text), dialect=csv.excel_tab if _tabbed(text) else csv.excel)
    types = {i.key: i.type for i in known} | {i.label.lower(): i.type for i in known}
    header: Optional[list[str]] = None
    try:
        for row in reader:
            n = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [h.strip() for h in row]
                continue
            if len(row) != len(header):
                yield n, f"expected {len(header)} cells, found {len(row)}"
                continue
            values: dict[str, Any] = {}
            problems = []
            for name, cell in zip(header, row):
                ftype = types.get(name) or types.get(name.lower()) or "string"
                try:
                    value = coerce_text(ftype, cell)
                except ValueError as exc:
                    problems.append(f"{name}: {exc}")
                    continue
                if value is not None or cell.strip() == "null":
                    values[name] = value
            yield n, "; ".join(problems) if problems else values
    except csv.Error as exc:
        yield reader.line_num, f"not valid CSV: {exc}"


def _tabbed(text: str) -> bool:
    first = text.split("\n", 1)[0]
    return "\t" in first and "," not in first


# -- sending -------------------------------------------------------------------------------------
def make_client(transport: Transport, concurrency: int, timeout: float, net: Optional[NetConfig] = None) -> CallClient:
    """The one client a batch shares (see app.calls.transport for the transports), with the same
    proxies, TLS context and response cap as a single call (`net`)."""
    net = net or NetConfig()
    context = net.ssl_context()
    options = net.client_options(lambda proxy: make_transport(transport, concurrency, context, proxy))
    return CallClient(timeout=timeout, eager=transport == "aiohttp", max_body=net.response_max_bytes, **options)


Progress = Callable[[int, int, BatchSummary], None]


async def arun_batch(action: Action, items: list[BatchItem], *, engine: Any, resolver: Resolver,
                     prepared: Optional[Prepared] = None, concurrency: int = 16, timeout: Optional[float] = None,
                     progress: Optional[Progress] = None, cancel: Optional[threading.Event] = None,
                     history: Optional[History] = None, source: str = "batch",
                     transport: Transport = DEFAULT_TRANSPORT, cap: Optional[HostCap] = None,
                     on_result: Optional[Callable[[BatchItem, CallResult], None]] = None,
                     bad: Iterable[BadLine] = (), net: Optional[NetConfig] = None) -> BatchSummary:
    """Send every item; returns the summary. `cancel` (a threading.Event) stops the batch soon.
    `net` (the response cap, proxies, TLS) defaults to the engine's, which the token call uses too."""
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

    async def worker(client: httpx.AsyncClient) -> None:
        for item in queue:
            result = await acall(client, prepared, prepared.render(item.values, item.path_suffix), auth,
                                 seconds, cap, source)
            _count(summary, item, result)
            if buffer is not None:
                buffer.add(result)
            if on_result is not None:
                on_result(item, result)
            reporter.tick()

    try:
        async with make_client(transport, concurrency, seconds, net) as client:
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
    return uvloop.new_event_loop  # type: ignore[no-any-return]


async def _watch(cancel: threading.Event, workers: list["asyncio.Future[None]"]) -> None:
    while not cancel.is_set():
        await asyncio.sleep(0.05)
    for task in workers:
        task.cancel()


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
