"""The history's storage form of a CallResult: a compact JSON array (packed on the bulk path).

`CallResult.to_dict()` is the public form (exports, --json); this one is what each row's `detail`
column holds: positional, header pairs as "Name: value" lines, so encoding a call costs a third
of the dict form (measured: it is most of what recording adds to a batch call). The text is
json's compact text, written by orjson (~5x faster than json's C encoder; json writes what orjson
refuses: an integer past 64 bits, a key that is not text, a lone surrogate).

A batch's calls share their request headers (one masked list, see `credentials.AuthState.headers`): given
a `share` function (`History.part_id`), their text is stored once and the rows hold its id;
`unpack` is then given the reverse (`History.part_text`) to put them back.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Callable, Optional

from app.calls.record import CallResult, RecordedExchange, RecordedRequest, RecordedResponse
from app.identitymemo import IdentityMemo
from app.jsontext import orjson_text as text_of

VERSION = 1
# As json writes them: a datetime or a dataclass in the values becomes its str() (json's default=str).
# The masked request headers of a batch are one shared list: its text is made once (by identity).
_texts: IdentityMemo[str] = IdentityMemo()
_answer_texts: IdentityMemo[str] = IdentityMemo()  # the same for response headers, never shared


Share = Callable[[str], int]
Unshare = Callable[[int], str]


def pack(result: CallResult, share: Optional[Share] = None) -> str:
    return _pack(result, iso_text(result.started_at), share)


def _pack(result: CallResult, started: str, share: Optional[Share]) -> str:
    return text_of([VERSION, result.action, result.outcome, started, round(result.duration_ms, 2), result.source,
                    result.error, result.values, result.path_suffix, result.body,
                    [_exchange(ex, share) for ex in result.exchanges]])


def row(result: CallResult, share: Optional[Share] = None) -> tuple[Any, ...]:
    """The history's row of a result: time (to the millisecond), action, source, outcome, status,
    duration, method and URL of the last request, error, and the packed detail."""
    exchanges = result.exchanges
    last = exchanges[-1] if exchanges else None
    request = last.request if last is not None else None
    response = last.response if last is not None else None
    started = iso_text(result.started_at)
    return (milliseconds(started, result.started_at.microsecond), result.action, result.source, result.outcome,
            response.status if response is not None else None, result.duration_ms,
            request.method if request is not None else "", request.url if request is not None else "",
            result.error, _pack(result, started, share))


_UTC_SECONDS: dict[tuple[int, ...], str] = {}  # a second of UTC time -> its isoformat() up to the seconds


def iso_text(when: datetime) -> str:
    """`when.isoformat()`: for a UTC time (every call the engine records) from its second's text, made
    once per second (a batch's calls start hundreds to a second; isoformat costs ~11k instructions,
    ~15% of the writer's work for a row), with the microseconds put after it."""
    if when.tzinfo is not timezone.utc:
        return when.isoformat()
    key = (when.second, when.minute, when.hour, when.day, when.month, when.year)
    second = _UTC_SECONDS.get(key)
    if second is None:
        if len(_UTC_SECONDS) > 64:
            _UTC_SECONDS.clear()
        second = _UTC_SECONDS[key] = when.replace(microsecond=0).isoformat()[:19]
    micro = when.microsecond
    return f"{second}.{micro:06d}+00:00" if micro else second + "+00:00"


def milliseconds(iso: str, microsecond: int) -> str:
    """`isoformat(timespec="milliseconds")` from the full `isoformat()` (made once for both)."""
    if not microsecond:
        return f"{iso[:19]}.000{iso[19:]}"
    return iso[:23] + iso[26:]


def _exchange(ex: RecordedExchange, share: Optional[Share]) -> list[Any]:
    req, resp = ex.request, ex.response
    elapsed = round(ex.elapsed_ms, 2)
    packed_resp: Optional[list[Any]] = None
    if resp is not None:  # its time is mostly the attempt's own: rounded once (round costs ~2.5k instructions)
        packed_resp = [resp.status, resp.reason, _response_headers(resp.headers), resp.body,
                       elapsed if resp.elapsed_ms == ex.elapsed_ms else round(resp.elapsed_ms, 2), resp.truncated]
        if resp.cut_at is not None:
            packed_resp.append(resp.cut_at)  # optional last item: rows stored before it have six
    return [req.method, req.url, _request_headers(req.headers, share), req.body, packed_resp, ex.error, elapsed]


def _request_headers(headers: list[tuple[str, str]], share: Optional[Share]) -> "str | int":
    """Their text, made once per list; a list packed before (a batch's shared one, not a call's
    own) is given to `share`, when given, and stored as the id it returns."""
    cached = _texts.get(headers)
    if cached is not None:
        return cached if share is None else share(cached)
    return _texts.put(headers, _headers_text(headers))


def _response_headers(headers: list[tuple[str, str]]) -> str:
    """Their text, made once per list: the bulk path's answers share one list per distinct set of
    headers (app.calls.aiosender, masked once by app.calls.send)."""
    cached = _answer_texts.get(headers)
    return cached if cached is not None else _answer_texts.put(headers, _headers_text(headers))


def _headers_text(headers: list[tuple[str, str]]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in headers)


def _headers(text: str) -> list[tuple[str, str]]:
    out = []
    for line in text.split("\n") if text else []:
        name, _, value = line.partition(": ")
        out.append((name, value))
    return out


def unpack(text: str, unshare: Optional[Unshare] = None) -> CallResult:
    """A stored detail back as a CallResult (also reads rows stored as `to_dict()` JSON);
    `unshare` gives the text of shared request headers stored by id."""
    data = json.loads(text)
    if isinstance(data, dict):
        return CallResult.from_dict(data)
    _, action, outcome, started, duration, source, error, values, suffix, body, exchanges = data
    return CallResult(action=action, outcome=outcome, started_at=datetime.fromisoformat(started),
                      duration_ms=duration, source=source, error=error, values=values, path_suffix=suffix,
                      body=body, exchanges=[_unpack_exchange(ex, unshare) for ex in exchanges])


def _unpack_exchange(ex: list[Any], unshare: Optional[Unshare]) -> RecordedExchange:
    method, url, req_headers, req_body, resp, error, elapsed = ex
    if isinstance(req_headers, int):
        if unshare is None:
            raise ValueError("this call's request headers are stored apart: unpack needs `unshare`")
        req_headers = unshare(req_headers)
    response: Optional[RecordedResponse] = None
    if resp is not None:
        status, reason, headers, resp_body, resp_elapsed, truncated, *cut = resp
        response = RecordedResponse(status, reason, _headers(headers), resp_body, resp_elapsed, truncated,
                                    cut[0] if cut else None)
    return RecordedExchange(RecordedRequest(method, url, _headers(req_headers), req_body), response, error, elapsed)
