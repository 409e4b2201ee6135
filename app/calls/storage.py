"""The history's storage form of a CallResult: a compact JSON array (packed on the bulk path).

`CallResult.to_dict()` is the public form (exports, --json); this one is what each row's `detail`
column holds: positional, header pairs as "Name: value" lines, so encoding a call costs a third
of the dict form (measured: it is most of what recording adds to a batch call).
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Optional

from app.calls.record import CallResult, RecordedExchange, RecordedRequest, RecordedResponse

VERSION = 1
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False, default=str).encode
# The masked request headers of a batch are one shared list: its text is made once.
_texts: dict[int, tuple[list[tuple[str, str]], str]] = {}


def pack(result: CallResult) -> str:
    return _encode([VERSION, result.action, result.outcome, result.started_at.isoformat(),
                    round(result.duration_ms, 2), result.source, result.error, result.values,
                    result.path_suffix, result.body, [_exchange(ex) for ex in result.exchanges]])


def _exchange(ex: RecordedExchange) -> list[Any]:
    req, resp = ex.request, ex.response
    packed_resp = None if resp is None else [resp.status, resp.reason, _headers_text(resp.headers), resp.body,
                                             round(resp.elapsed_ms, 2), resp.truncated]
    return [req.method, req.url, _headers_text(req.headers), req.body, packed_resp, ex.error,
            round(ex.elapsed_ms, 2)]


def _headers_text(headers: list[tuple[str, str]]) -> str:
    cached = _texts.get(id(headers))
    if cached is not None and cached[0] is headers:
        return cached[1]
    text = "\n".join(f"{k}: {v}" for k, v in headers)
    if len(_texts) > 256:
        _texts.clear()
    _texts[id(headers)] = (headers, text)
    return text


def _headers(text: str) -> list[tuple[str, str]]:
    out = []
    for line in text.split("\n") if text else []:
        name, _, value = line.partition(": ")
        out.append((name, value))
    return out


def unpack(text: str) -> CallResult:
    """A stored detail back as a CallResult (also reads rows stored as `to_dict()` JSON)."""
    data = json.loads(text)
    if isinstance(data, dict):
        return CallResult.from_dict(data)
    _, action, outcome, started, duration, source, error, values, suffix, body, exchanges = data
    return CallResult(action=action, outcome=outcome, started_at=datetime.fromisoformat(started),
                      duration_ms=duration, source=source, error=error, values=values, path_suffix=suffix,
                      body=body, exchanges=[_unpack_exchange(ex) for ex in exchanges])


def _unpack_exchange(ex: list[Any]) -> RecordedExchange:
    method, url, req_headers, req_body, resp, error, elapsed = ex
    response: Optional[RecordedResponse] = None
    if resp is not None:
        status, reason, headers, resp_body, resp_elapsed, truncated = resp
        response = RecordedResponse(status, reason, _headers(headers), resp_body, resp_elapsed, truncated)
    return RecordedExchange(RecordedRequest(method, url, _headers(req_headers), req_body), response, error, elapsed)
