"""The sandbox's pure helpers: fault specs, log filters, JSON depth, masking."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.masking import MASK, mask_body, mask_json, masked_headers, masked_query
from app.sandbox import FaultSpec, SandboxError
from app.sandbox.faults import FaultTable
from app.sandbox.jsonbody import MAX_DEPTH, BodyError, depth, parse_json
from app.sandbox.requestlog import LogEntry, RequestLog
from app.sandbox.standalone import parse_fault


def test_parse_fault_cli_syntax() -> None:
    assert parse_fault("custom_events:status=429,retry_after=5,times=2") == FaultSpec(
        "custom_events", status=429, retry_after=5, times=2)
    assert parse_fault("echo:drop") == FaultSpec("echo", drop=True)
    assert parse_fault("inlet:latency_ms=12.5,rate=0.25") == FaultSpec("inlet", latency_ms=12.5, rate=0.25)


@pytest.mark.parametrize("text", ["", "echo:status=abc", "echo:nope=1", "mail:status=500"])
def test_parse_fault_rejects_bad_specs(text: str) -> None:
    with pytest.raises(SandboxError):
        parse_fault(text)


def test_fault_table_times_and_rate_are_repeatable() -> None:
    def run(seed: int) -> list[bool]:
        table = FaultTable(seed=seed)
        table.set(FaultSpec("echo", status=500, rate=0.3))
        return [table.fire("echo") is not None for _ in range(50)]

    assert run(1) == run(1)
    assert run(1) != run(2)
    table = FaultTable()
    table.set(FaultSpec("echo", status=500, times=1))
    assert table.fire("echo") is not None
    assert table.fire("echo") is None
    assert table.active() == []


def _entry(log: RequestLog, path: str, moment: float) -> LogEntry:
    return LogEntry(log.next_id(), moment, "GET", path, {}, [], b"", 0, "echo", 200)


def test_log_filters_by_path_prefix_and_since() -> None:
    log = RequestLog(size=10)
    for path, moment in (("/echo/a", 100.0), ("/echo/a/b", 200.0), ("/echo/ab", 300.0)):
        log.add(_entry(log, path, moment))
    assert [e["path"] for e in log.entries(path="/echo/a")] == ["/echo/a", "/echo/a/b"]
    assert [e["id"] for e in log.entries(since=1)] == [2, 3]
    assert [e["id"] for e in log.entries(since="2")] == [3]
    assert [e["id"] for e in log.entries(since=250.0)] == [3]
    assert [e["id"] for e in log.entries(since=datetime.fromtimestamp(200, UTC))] == [2, 3]
    assert [e["id"] for e in log.entries(since="1970-01-01T00:03:20Z")] == [2, 3]
    with pytest.raises(ValueError):
        log.entries(since="later")


def test_depth_is_iterative_and_capped() -> None:
    assert depth(1) == 0
    assert depth({"a": [1, {"b": []}]}) == 4
    deep: list[object] = []
    for _ in range(10_000):
        deep = [deep]
    assert depth(deep) == MAX_DEPTH + 1  # stops counting past the cap, no RecursionError


def test_parse_json_errors_carry_positions() -> None:
    with pytest.raises(BodyError) as info:
        parse_json(b'{\n "a": tru}')
    assert (info.value.line, info.value.column) == (2, 7)
    with pytest.raises(BodyError, match="empty"):
        parse_json(b"  ")
    with pytest.raises(BodyError, match="nesting"):
        parse_json(b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1))
    assert parse_json(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH) is not None


def test_masking_helpers() -> None:
    assert masked_headers([(b"authorization", b"Basic abc"), (b"x-auth-token", b"t"), (b"accept", b"*/*")]) == {
        "authorization": f"Basic {MASK}", "x-auth-token": MASK, "accept": "*/*"}
    assert masked_query("client_secret=s&x=1") == {"client_secret": MASK, "x": "1"}
    assert mask_json({"a": [{"Password": "p"}], "apiKey": "k", "n": 1}) == {"a": [{"Password": MASK}], "apiKey": MASK, "n": 1}
    assert mask_body(b'{"name": "plain"}', "application/json") == b'{"name": "plain"}'
    assert b"s3" not in mask_body(b'{"secret": "s3', "application/json")  # unparseable: hidden whole
