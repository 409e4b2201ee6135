"""Finished profiles' traces as the rows of a run file's tables, numbered, masked, clipped and JSON-encoded.

`RowEncoder.encode` runs where profiles end (the run's event loop, a few profiles at a time), and lays
each table's values out one after the other as the writer binds them (`Rows`), so the trace writer's
thread only inserts: Python work on two threads only takes turns on the GIL, and every turn handed over
stalls the event loop. Rows are numbered here, in the order profiles are encoded (the writer writes them
in that order).

Everything is masked with the run's `Masker` as it is when the profile is encoded, also what the call
engine masked already (never trust: a mock or an error may echo a secret back), but for the texts of an
attempt the call engine masked with this very masker at the version it still has (AttemptTrace.masked):
masking again could not change them. A step's values and why (most of a profile's text) are masked
together for all the profiles encoded at once: one search per secret over them all, each text masked
on its own only when one holds a secret. Texts every call of a run repeats (its URLs, its request
header set, a profile's path, response headers) are encoded once while the masker stays as it is: a
secret it learns later (a refreshed token) is masked in every later row.
"""
from __future__ import annotations

import math
from datetime import datetime
from typing import Any, Callable, Iterable, Optional

import orjson

from app.identitymemo import IdentityMemo
from app.journeys.tracerecords import MAX_BODY, ProfileTrace, clip
from app.jsontext import compact_encoder
from app.masking import Masker

SLOW_MS = 750.0  # the platform moves an endpoint slower than this to its slow service
MAX_PARTS_REMEMBERED = 10_000  # request header sets given their ids here; past them the writer looks them up

json_text = compact_encoder(default=str)  # one encoder for every row (app.jsontext)
# What orjson must hand back rather than encode its own way: dates, dataclasses, subclasses of str or dict.
_PASS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS
_MAX_REMEMBERED = 4096  # response headers vary with the date and length: the memory stays bounded
_FITS = MAX_BODY // 4  # characters of a text that cannot be past MAX_BODY bytes (clip)
# What the rows hold where the trace has nothing (None): SQLite stores a NaN bound as NULL, and sqlite3
# binds a float as it is, while a None goes through its adapter lookup first (a key tuple built, a dict
# searched, the adapter called: ~0.25 us with the GIL held, ~20 a profile). Readers see NULL either way.
NULL = math.nan
# Where a column is in its table's row (the tables' columns: app.journeys.traces.SCHEMA).
_VALUES, _WHY, _REQUEST_HEADERS = 9, 10, 11


class Rows:
    """Profiles waiting for the writer: each table's rows as their values one after the other, in the
    tables' column order."""

    __slots__ = ("profiles", "steps", "attempts", "parts", "unresolved", "count")

    def __init__(self) -> None:
        self.profiles: list[Any] = []
        self.steps: list[Any] = []
        self.attempts: list[Any] = []
        self.parts: list[tuple[int, str]] = []  # request header sets new in these rows: (id, text)
        self.unresolved: list[int] = []  # where in `attempts` a header set's text waits for its id
        self.count = 0  # profiles

    def extend(self, more: "Rows") -> None:
        at = len(self.attempts)
        self.profiles += more.profiles
        self.steps += more.steps
        self.attempts += more.attempts
        self.parts += more.parts
        self.unresolved += [at + i for i in more.unresolved]
        self.count += more.count


class RowEncoder:
    """Encodes and numbers one run's profiles, a batch at a time (one thread at a time: the writer's lock)."""

    def __init__(self, masker: Masker) -> None:
        self.masker = masker
        self._version = masker.version
        self._header_sets: IdentityMemo[str] = IdentityMemo(64)  # a header list -> its JSON
        self._part_ids: dict[int, tuple[object, int]] = {}  # id(a header list) -> (the list, its JSON's id)
        self._paths: dict[Any, str] = {}
        self._urls: dict[Any, str] = {}
        self._response_headers: dict[Any, str] = {}
        self._response_ids: IdentityMemo[str] = IdentityMemo(_MAX_REMEMBERED)  # an answer's header list -> its JSON
        self._last_iso: tuple[Optional[datetime], Any] = (None, NULL)
        self.seq = self.step_id = self.attempt_id = 0  # the last ids given
        self.parts: dict[str, int] = {}  # request header sets given an id so far, up to:
        self.parts_remembered = MAX_PARTS_REMEMBERED

    def encode(self, profiles: Iterable[ProfileTrace], out: Rows) -> None:
        """Append the profiles' rows to `out`. A profile that cannot be encoded leaves nothing there and
        its exception is raised: the profiles before it are in `out`, whole and masked."""
        m = self.masker
        if m.version != self._version:  # a new secret: what was encoded may show it
            for cache in (self._header_sets, self._part_ids, self._paths, self._urls, self._response_headers,
                          self._response_ids):
                cache.clear()
            self._version = m.version
        deferred: list[int] = []  # where in out.steps a values or why text waits to be masked
        try:
            for p in profiles:
                mark = (len(out.profiles), len(out.steps), len(out.attempts), len(out.parts), len(out.unresolved),
                        len(deferred), self.seq, self.step_id, self.attempt_id)
                try:
                    self._profile(p, out, deferred)
                except BaseException:
                    self._undo(out, deferred, mark)
                    raise
        finally:
            self._mask(out.steps, deferred)

    def _profile(self, p: ProfileTrace, out: Rows, deferred: list[int]) -> None:
        """One loop over the profile's steps and their attempts: this runs on the run's event loop for
        every profile, where each Python call made per step or attempt counts (an attempt's row is made
        here, not by a method of its own)."""
        m = self.masker
        text = m.text
        seq = self.seq = self.seq + 1
        step_id, attempt_id, steps, attempts = self.step_id, self.attempt_id, out.steps, out.attempts
        response_ids = self._response_ids.found  # read inline (app.identitymemo)
        at, at_text = self._last_iso  # a profile's steps mostly share one virtual time (the same object)
        path = []
        for idx, s in enumerate(p.steps):
            step_id += 1
            node = s.node
            path.append(node)
            if s.virtual_at is not at:
                at = s.virtual_at
                at_text = at.isoformat() if at is not None else NULL
            port, after, wall_at, outcome, error = s.port, s.next, s.wall_at, s.outcome, s.error
            base = len(steps)
            values: Any = s.values
            why: Any = s.why
            if values is not None:  # mapped values come from the profile and event: masked (see _mask)
                values = value_json(values)
                deferred.append(base + _VALUES)
            else:
                values = NULL
            if why is not None:
                why = value_json(why)
                deferred.append(base + _WHY)
            else:
                why = NULL
            steps += (step_id, seq, idx, node, NULL if port is None else port, NULL if after is None else after,
                      at_text, NULL if wall_at is None else wall_at, s.wall_ms, values, why,
                      NULL if outcome is None else outcome, text(error) if error else NULL)
            for a in s.attempts:
                # Masked already by this masker as it is now (the call engine's record, see AttemptTrace.masked):
                # masking is idempotent, so only a text masked before the masker learnt a secret is masked again.
                masked = a.masked
                as_is = masked is not None and masked[0] is m and masked[1] == m.version  # read now: it may move
                body, answer, error = a.request_body, a.response_body, a.error
                req_body: Any = NULL
                req_note: Any = NULL
                resp_body: Any = NULL
                resp_note: Any = NULL
                if body is not None:
                    req_body = body if as_is else text(body)
                    if len(req_body) > _FITS:  # at most 4 bytes a character: shorter fits, no need to count (clip)
                        req_body, req_note = _nulled(clip(req_body))
                if answer is not None:
                    resp_body = answer if as_is else text(answer)
                    size = a.response_size
                    if size is not None or len(resp_body) > _FITS:
                        resp_body, resp_note = _nulled(clip(resp_body, size))
                status, outcome, url, wall_at, network_ms = a.status, a.outcome, a.url, a.wall_at, a.network_ms
                resp_headers: Any = NULL
                if status is not None:  # the sender's answers share their header lists: found by identity
                    listed = a.response_headers
                    found = response_ids.get(id(listed))
                    resp_headers = found[1] if found is not None and found[0] is listed else self._response_json(listed)
                url_shown = self._urls.get(url)
                if url_shown is None:
                    url_shown = _once(self._urls, url, text)
                headers = a.request_headers
                part = self._part_ids.get(id(headers))  # the run's one header list: its id found by identity
                attempt_id += 1
                attempts += (attempt_id, step_id, seq, node, a.number, a.target, NULL if outcome is None else outcome,
                             NULL if status is None else status, (error if as_is else text(error)) if error else NULL,
                             a.method, url_shown, part[1] if part is not None and part[0] is headers
                             else self._part(headers, out), req_body, req_note, resp_headers, resp_body, resp_note,
                             a.queue_ms, network_ms, 1 if network_ms > SLOW_MS else 0,
                             NULL if wall_at is None else wall_at)
        self.step_id, self.attempt_id = step_id, attempt_id
        path_key = tuple(path)
        path_json = self._paths.get(path_key)
        if path_json is None:
            path_json = _once(self._paths, path_key, json_text)
        entered, ended = p.entered_at, p.ended_at
        if entered is not at:
            at, at_text = entered, entered.isoformat() if entered is not None else NULL
        entered_text = at_text
        if ended is not at:
            at, at_text = ended, ended.isoformat() if ended is not None else NULL
        self._last_iso = (at, at_text)
        profile_id, code, error = p.profile_id, p.code, p.error
        out.profiles += (seq, p.row, NULL if profile_id is None else profile_id, p.outcome,
                         NULL if code is None else code, text(error) if error else NULL, path_json,
                         path[-1] if path else NULL, entered_text, at_text, p.wall_ms)
        out.count += 1

    def _response_json(self, headers: list[tuple[str, str]]) -> str:
        """The JSON of an answer's headers: made once per distinct set (by its pairs), remembered for the
        list too (the sender hands every answer with the same headers the same list)."""
        shown = _once(self._response_headers, tuple(headers), self._headers_json)
        return self._response_ids.put(headers, shown)

    def _part(self, headers: list[tuple[str, str]], out: Rows) -> Any:
        """The id of a request header set's JSON (sets repeat across a run's calls: each is stored once in
        `parts`, the table being this run's own). The call engine hands every call of a run the same
        header list: its JSON is made once, by identity. Past `parts_remembered` sets the writer looks
        them up in the file instead (the text is left in place), so memory stays bounded."""
        shown = self._header_sets.get(headers)
        if shown is None:
            shown = self._header_sets.put(headers, self._headers_json(headers))
        found = self.parts.get(shown)
        if found is None:
            if len(self.parts) >= self.parts_remembered:
                out.unresolved.append(len(out.attempts) + _REQUEST_HEADERS)
                return shown
            found = self.parts[shown] = len(self.parts) + 1
            out.parts.append((found, shown))
        if len(self._part_ids) > 64:
            self._part_ids.clear()
        self._part_ids[id(headers)] = (headers, found)  # the list is held: its id is not reused meanwhile
        return found

    def _undo(self, out: Rows, deferred: list[int], mark: tuple[int, ...]) -> None:
        """Forget what a profile that failed half-way put in `out` and the ids it took."""
        profiles, steps, attempts, parts, unresolved, masking, self.seq, self.step_id, self.attempt_id = mark
        for _, shown in out.parts[parts:]:
            del self.parts[shown]
        self._part_ids.clear()
        del out.profiles[profiles:], out.steps[steps:], out.attempts[attempts:], out.parts[parts:]
        del out.unresolved[unresolved:], deferred[masking:]

    def _mask(self, steps: list[Any], deferred: list[int]) -> None:
        """Mask the values and why texts encoded: searched for every secret at once, joined (each secret
        is searched once, not once a text); when one holds a secret, each is masked on its own."""
        if deferred and self.masker.holds_secret("\0".join([steps[i] for i in deferred])):
            text = self.masker.text
            for i in deferred:
                steps[i] = text(steps[i])

    def _headers_json(self, headers: Any) -> str:
        return value_json(self.masker.headers(headers))  # json_text's text (pairs as lists), by orjson


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
    text = data.decode()
    if "null" in text:  # searched in the text: CPython's str search is faster than its bytes search
        return json_text(value)
    return text


def _nulled(clipped: tuple[Optional[str], Optional[str]]) -> tuple[Any, Any]:
    body, note = clipped
    return body, NULL if note is None else note


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
