"""A finished profile's trace as the rows of a run file's tables, masked, clipped and JSON-encoded.

`RowEncoder.encode` runs where profiles end (the run's event loop, a few profiles at a time), so the
trace writer's thread only inserts ready tuples: Python work on two threads only takes turns on the
GIL, and every turn handed over stalls the event loop. Row ids are the writer's (it numbers rows in
the order it writes).

Everything is masked with the run's `Masker` as it is when the profile is encoded, also what the call
engine masked already (never trust: a mock or an error may echo a secret back), but for the texts of an
attempt the call engine masked with this very masker at the version it still has (AttemptTrace.masked):
masking again could not change them. Texts every call of a run
repeats (its URLs, its request header set, a profile's path, response headers) are encoded once while
the masker stays as it is: a secret it learns later (a refreshed token) is masked in every later row.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Optional

import orjson

from app.identitymemo import IdentityMemo
from app.journeys.tracerecords import AttemptTrace, ProfileTrace, StepTrace, clip
from app.jsontext import compact_encoder
from app.masking import Masker

SLOW_MS = 750.0  # the platform moves an endpoint slower than this to its slow service

# (node, number, target, outcome, status, error, method, url), the request headers' JSON (stored once
# in `parts`: the writer swaps it for its id), then the request and response columns.
AttemptRow = tuple[tuple[Any, ...], str, tuple[Any, ...]]
StepRow = tuple[tuple[Any, ...], list[AttemptRow]]
ProfileRows = tuple[tuple[Any, ...], list[StepRow]]

json_text = compact_encoder(default=str)  # one encoder for every row (app.jsontext)
# What orjson must hand back rather than encode its own way: dates, dataclasses, subclasses of str or dict.
_PASS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS
_MAX_REMEMBERED = 4096  # response headers vary with the date and length: the memory stays bounded


class RowEncoder:
    """Encodes one run's profiles (from any thread: its memories are only ever replaced whole)."""

    def __init__(self, masker: Masker) -> None:
        self.masker = masker
        self._version = masker.version
        self._header_sets: IdentityMemo[str] = IdentityMemo(64)  # a header list -> its JSON
        self._paths: dict[Any, str] = {}
        self._urls: dict[Any, str] = {}
        self._response_headers: dict[Any, str] = {}
        self._last_iso: tuple[Optional[datetime], Optional[str]] = (None, None)

    def encode(self, p: ProfileTrace) -> ProfileRows:
        if self.masker.version != self._version:  # a new secret: what was encoded may show it
            for cache in (self._header_sets, self._paths, self._urls, self._response_headers):
                cache.clear()
            self._version = self.masker.version
        path = tuple([s.node for s in p.steps])
        profile = (p.row, p.profile_id, p.outcome, p.code, self.masker.text(p.error) if p.error else None,
                   _once(self._paths, path, json_text), path[-1] if path else None, self._iso(p.entered_at),
                   self._iso(p.ended_at), p.wall_ms)
        return profile, [(self._step(s), [self._attempt(s.node, a) for a in s.attempts]) for s in p.steps]

    def _step(self, s: StepTrace) -> tuple[Any, ...]:
        text = self.masker.text  # mapped values come from the profile and event, but never trust them
        return (s.node, s.port, s.next, self._iso(s.virtual_at), s.wall_at, s.wall_ms,
                text(value_json(s.values)) if s.values is not None else None,
                text(value_json(s.why)) if s.why is not None else None, s.outcome, text(s.error) if s.error else None)

    def _attempt(self, node: str, a: AttemptTrace) -> AttemptRow:
        m = self.masker
        # Masked already by this masker as it is now (the call engine's record, see AttemptTrace.masked):
        # masking is idempotent, so only a text masked before the masker learnt a secret is masked again.
        text = _as_is if a.masked is not None and a.masked[0] is m and a.masked[1] == m.version else m.text
        req_body, req_note = clip(text(a.request_body) if a.request_body is not None else None)
        resp_body, resp_note = clip(text(a.response_body) if a.response_body is not None else None, a.response_size)
        resp_headers = None
        if a.status is not None:
            resp_headers = _once(self._response_headers, tuple(a.response_headers), self._headers_json)
        return ((node, a.number, a.target, a.outcome, a.status, text(a.error) if a.error else None, a.method,
                 _once(self._urls, a.url, m.text)),
                self._request_headers(a.request_headers),
                (req_body, req_note, resp_headers, resp_body, resp_note, a.queue_ms, a.network_ms,
                 int(a.network_ms > SLOW_MS), a.wall_at))

    def _request_headers(self, headers: list[tuple[str, str]]) -> str:
        """The call engine hands every call of a run the same header list: encoded once, by identity."""
        found = self._header_sets.get(headers)
        return found if found is not None else self._header_sets.put(headers, self._headers_json(headers))

    def _headers_json(self, headers: Any) -> str:
        return json_text(self.masker.headers(headers))

    def _iso(self, value: Optional[datetime]) -> Optional[str]:
        """A profile's steps mostly share one virtual time (the same object): its text is reused."""
        last = self._last_iso  # read once: the pair stays consistent whoever encodes
        if value is not last[0]:
            last = self._last_iso = (value, value.isoformat() if value is not None else None)
        return last[1]


def value_json(value: Any) -> str:
    """json_text(value), by orjson where it gives the same JSON: a step's values and why (the entry event's
    payload, a condition's operands) are most of what a profile's rows encode, and orjson encodes them
    ~8x faster. json_text encodes what orjson would write its own way: a type orjson does not know
    (json_text's default=str), an integer past 64 bits, NaN and infinities (orjson writes them null:
    any `null` in its text sends the value to json_text). Tiny floats read back the same (1e-05: 0.00001)."""
    try:
        data = orjson.dumps(value, default=_not_plain, option=_PASS)
    except TypeError:  # orjson.JSONEncodeError is one
        return json_text(value)
    if b"null" in data:
        return json_text(value)
    return data.decode()


def _as_is(text: str) -> str:
    return text


def _not_plain(value: Any) -> Any:
    raise TypeError


def _once(cache: dict[Any, str], key: Any, encode: Callable[[Any], str]) -> str:
    found = cache.get(key)
    if found is None:
        found = encode(key)
        if len(cache) > _MAX_REMEMBERED:
            cache.clear()
        cache[key] = found
    return found
