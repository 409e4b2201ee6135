"""Profiles for a run, streamed from CSV, JSON lines or a JSON array (memory stays flat).

Each row gives a profile and the entry event's fields; the event node's example gives the rest.
Columns (CSV headers, or the keys of a JSON object):
- `profileId`: the profile's id (default `profile-<row>`); a repeated id is the same profile
  entering again (reentrance);
- `audiences`: the audiences the profile belongs to (`inAudience`), a JSON list or `a|b|c`;
- `event.<path>`: a field of the entry event, typed like the example's field at that path;
- anything else, optionally prefixed `profile.`: a profile attribute at that dotted path.
JSON rows may also nest: `{"profile": {...}, "event": {...}}`. A CSV header may declare a type,
`age:integer` (the payload field types); otherwise a cell is typed like the event example's field,
or guessed cautiously (app.journeys.cells.guess).

A row that cannot be read or typed is a `Rejection` (row number, line, column, reason), never an
exception: a run goes on. `ProfilesError` is raised only for the file as a whole (missing file,
a header that makes no sense), before the first row.
"""
from __future__ import annotations

import csv
import io
import json
import marshal
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Iterator, Optional, Union

import orjson

from app.journeys import cells
from app.journeys.csvrow import compiled_row
from app.journeys.jsonarray import CHUNK, NotAnArray, array_items
from app.journeys.model import EventNode

RESERVED = ("profileId", "audiences")
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, kept by surrogateescape
_AUDIENCE_SPLIT = re.compile(r"[|;]")  # between audience names: a|b|c


class ProfilesError(ValueError):
    """The profiles file as a whole cannot be read (nothing was run)."""


@dataclass
class ProfileRow:
    """One profile entering the journey."""

    row: int  # 1-based data row (CSV: after the header; JSON: item or line)
    line: int  # the line it starts on
    profile_id: str
    attributes: dict[str, Any] = field(default_factory=dict)
    audiences: list[str] = field(default_factory=list)
    event: dict[str, Any] = field(default_factory=dict)


@dataclass
class Rejection:
    """A row that could not be read or typed: counted as `rejected`, the run goes on."""

    row: int
    line: int
    column: Optional[str]
    message: str

    def __str__(self) -> str:
        where = f"row {self.row} (line {self.line})" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


Item = Union[ProfileRow, Rejection]
Converter = Callable[[str], Any]  # a cell's text to its value; raises cells.CellError
Column = tuple[str, Optional[Converter], "Place"]  # a CSV column: its name, its converter, its place


class _Rejected(Exception):
    def __init__(self, column: Optional[str], message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


class ProfileSource:
    """An iterable of ProfileRow / Rejection over one input, read once, lazily.

    `rows` and `rejected` count what was read so far (every row is one or the other)."""

    def __init__(self, stream: IO[bytes], event: Optional[EventNode] = None, fmt: Optional[str] = None,
                 name: str = "profiles") -> None:
        self.name = name
        if not hasattr(stream, "peek"):
            stream = io.BufferedReader(stream)  # type: ignore[type-var]  # _sniff peeks; a raw stream is what it wraps
        self.example = event.example if event else {}
        self._types = cells.example_types(self.example)
        # Each row gets its own copy of the example: marshal copies JSON values twice as fast as _copy
        # (version 2 writes no back-references, so the copy shares no object, as _copy's).
        try:
            self._example_bytes: Optional[bytes] = marshal.dumps(self.example, 2)
        except ValueError:  # not plain JSON values
            self._example_bytes = None
        self._example_json = _exact_json(self.example, self._example_bytes)
        self._example_maker = _literal_maker(self.example, self._example_bytes)
        self._text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
        self.format = fmt or self._sniff()
        if self.format not in ("csv", "jsonl", "json"):
            raise ProfilesError(f"{name}: unknown format {self.format!r} (csv, jsonl or json)")
        self.rows = self.rejected = 0

    @classmethod
    def open(cls, path: Union[str, Path], event: Optional[EventNode] = None) -> "ProfileSource":
        """A file by path, its format from the extension (.csv, .jsonl/.ndjson, .json) or its start."""
        path = Path(path)
        fmt = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}.get(path.suffix.lower())
        try:
            stream = path.open("rb")
        except FileNotFoundError:
            raise ProfilesError(f"{path}: no such file") from None
        except OSError as exc:
            raise ProfilesError(f"{path}: {exc.strerror}") from None
        return cls(stream, event, fmt, str(path))

    def close(self) -> None:
        self._text.close()

    def position(self) -> tuple[int, Optional[int]]:
        """(bytes read so far, the input's size or None): a streamed run's progress and ETA. The
        text layer reads ahead, so the position runs up to a chunk ahead of the rows given."""
        raw = self._text.buffer
        try:
            at = raw.tell()
            size = os.fstat(raw.fileno()).st_size
        except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
            return 0, None
        return at, size if size > 0 else None

    def __enter__(self) -> "ProfileSource":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[Item]:
        reader = {"csv": self._csv, "jsonl": self._jsonl, "json": self._array}[self.format]
        for item in reader():
            self.rows += 1
            self.rejected += isinstance(item, Rejection)
            yield item

    def _sniff(self) -> str:
        # Peek without consuming: the wrapper's buffer keeps what was read.
        head = self._text.buffer.peek(CHUNK)[:CHUNK]
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        return {b"[": "json", b"{": "jsonl"}.get(start, "csv")

    # -- CSV -----------------------------------------------------------------------------------
    def _csv(self) -> Iterator[Item]:
        reader = csv.reader(self._text)
        try:
            header = next((h for h in reader if any(c.strip() for c in h)), None)  # blank lines before it
        except csv.Error as exc:
            raise ProfilesError(f"{self.name}: the header cannot be read: {exc}") from None
        if header is None:
            return
        plan = self._csv_plan(header)
        row_of = compiled_row(plan, self._example_copy)  # this header's rows, unrolled (or None: the loop)
        row, line = 0, reader.line_num + 1
        while True:
            try:
                cells_ = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                row += 1
                yield Rejection(row, line, None, f"not valid CSV: {exc}")
                line = reader.line_num + 1
                continue
            start, line = line, reader.line_num + 1
            if not cells_ or cells_ == [""]:
                continue  # a blank line is no row
            row += 1
            yield row_of(row, start, cells_) if row_of is not None else self._csv_row(row, start, plan, cells_)

    def _columns(self, header: list[str]) -> list[tuple[str, Optional[str]]]:
        out, seen = [], set()
        for i, raw in enumerate(header, 1):
            name, _, ftype = raw.strip().partition(":")
            if not name:
                raise ProfilesError(f"{self.name}: header column {i} has no name")
            if ftype and ftype not in cells.TYPES:
                raise ProfilesError(f"{self.name}: header column {i} ({raw!r}): unknown type {ftype!r}; "
                                    f"use one of {', '.join(cells.TYPES)}")
            if name in seen:
                raise ProfilesError(f"{self.name}: the column {name!r} appears twice in the header")
            seen.add(name)
            out.append((name, ftype or None))
        return out

    def _cell_types(self, columns: list[tuple[str, Optional[str]]]) -> list[tuple[str, Optional[str]]]:
        """Each column's type for its cells, worked out once: as declared, else the event example's
        field's for an `event.` column (`audiences` has its own reading)."""
        return [(name, ftype if ftype is not None or not name.startswith("event.") else self._types.get(name[6:]))
                for name, ftype in columns]

    def _csv_plan(self, header: list[str]) -> list[Column]:
        """Each column's name, how its cells are typed (None: kept as text) and where their values go,
        worked out once for every row."""
        return [(name, _audiences if name == "audiences" else cells.converter(ftype), _column_place(name))
                for name, ftype in self._cell_types(self._columns(header))]

    def _csv_row(self, row: int, line: int, plan: list[Column], values: list[str]) -> Item:
        """The row typed and placed in one pass. What rejects it is what _build would say of the typed
        cells: the first cell that cannot be typed, else a bad profile id, else the first misplaced one."""
        if len(values) != len(plan):
            return Rejection(row, line, None, f"{len(values)} cells where the header has {len(plan)}")
        event = self._example_copy()
        attributes: dict[str, Any] = {}
        profile_id: Any = None
        audiences: Optional[list[str]] = None
        misplaced: Optional[_Rejected] = None
        try:
            for (name, convert, place), text in zip(plan, values, strict=True):
                if not text.isascii() and _NOT_UTF8.search(text):  # isascii: a flag, no scan
                    raise _Rejected(name, "not UTF-8 text")
                if text == "":
                    continue  # an empty cell gives nothing: the example's value, or no attribute
                value: Any = text
                if convert is not None:
                    try:
                        value = convert(text)
                    except cells.CellError as exc:
                        raise _Rejected(name, str(exc)) from None
                if place is _ID:
                    profile_id = value
                elif place is _AUDIENCES:
                    audiences = value
                elif len(place[1]) == 1:  # a top-level name (most columns): no dict to walk
                    (event if place[0] else attributes)[place[1][0]] = value
                elif misplaced is None:
                    misplaced = _set(event if place[0] else attributes, place, value, name)
            _check_id(profile_id)
            if misplaced is not None:
                raise misplaced
        except _Rejected as exc:
            return Rejection(row, line, exc.column, exc.message)
        return ProfileRow(row, line, str(profile_id) if profile_id not in (None, "") else f"profile-{row}",
                          attributes, audiences or [], event)

    # -- JSON ----------------------------------------------------------------------------------
    def _jsonl(self) -> Iterator[Item]:
        row = 0
        for line, text in enumerate(self._text, 1):
            if not text.strip():
                continue
            row += 1
            yield self._json_row(row, line, text)

    def _array(self) -> Iterator[Item]:
        try:
            for row, line, problem, text, data in array_items(self._text, self.name):
                if problem:
                    yield Rejection(row, line, None, problem)
                elif _NOT_UTF8.search(text):
                    yield Rejection(row, line, None, "not UTF-8 text")
                else:
                    yield self._json_value(row, line, data)
        except NotAnArray as exc:
            raise ProfilesError(str(exc)) from None

    def _json_row(self, row: int, line: int, text: str) -> Item:
        if _NOT_UTF8.search(text):
            return Rejection(row, line, None, "not UTF-8 text")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            return Rejection(row, line, None, f"not valid JSON: {exc.msg} (column {exc.colno})")
        except RecursionError:
            return Rejection(row, line, None, "not valid JSON: nested too deeply")
        return self._json_value(row, line, data)

    def _json_value(self, row: int, line: int, data: Any) -> Item:
        if not isinstance(data, dict):
            return Rejection(row, line, None, "a row must be a JSON object")
        try:
            flat: dict[str, Any] = {}
            for key, value in data.items():
                if key in ("profile", "event") and isinstance(value, dict):
                    _flatten(value, key, flat)
                else:
                    flat[key] = value
            for key, value in flat.items():
                if key == "audiences":
                    flat[key] = _audiences(value)
                elif key.startswith("event.") and key[6:] in self._types and value is not None:
                    try:
                        cells.check(value, self._types[key[6:]])
                    except cells.CellError as exc:
                        raise _Rejected(key, str(exc)) from None
            return self._build(row, line, flat)
        except _Rejected as exc:
            return Rejection(row, line, exc.column, exc.message)

    # -- both ----------------------------------------------------------------------------------
    def _example_copy(self) -> dict[str, Any]:
        if self._example_maker is not None:
            return self._example_maker()
        if self._example_json is not None:
            return orjson.loads(self._example_json)
        return marshal.loads(self._example_bytes) if self._example_bytes is not None else _copy(self.example)

    def _build(self, row: int, line: int, values: dict[str, Any]) -> ProfileRow:
        profile_id = values.pop("profileId", None)
        _check_id(profile_id)
        event = self._example_copy()
        attributes: dict[str, Any] = {}
        for key, value in values.items():
            if key != "audiences":
                place = _PLACES.get(key) or _place(key)
                misplaced = _set(event if place[0] else attributes, place, value, key)
                if misplaced is not None:
                    raise misplaced
        return ProfileRow(row, line, str(profile_id) if profile_id not in (None, "") else f"profile-{row}",
                          attributes, values.get("audiences") or [], event)


def _check_id(profile_id: Any) -> None:
    if profile_id is not None and not isinstance(profile_id, (str, int)) or isinstance(profile_id, bool):
        raise _Rejected("profileId", "the profile id must be a string or an integer")


def _set(target: dict[str, Any], place: Place, value: Any, column: str) -> Optional[_Rejected]:
    """Put a value at its place (dicts made on the way); returns why it cannot go there, if it cannot."""
    parts = place[1]
    if not parts:
        return _Rejected(column, "an empty name in the dotted path")
    for part in parts[:-1]:
        nested = target.get(part, _ABSENT)
        if nested is _ABSENT:
            nested = target[part] = {}
        elif not isinstance(nested, dict):
            return _Rejected(column, f"{part!r} is a value, not an object: it cannot hold {place[2]!r}")
        target = nested
    target[parts[-1]] = value
    return None


def _audiences(value: Any) -> list[str]:
    if type(value) is str and "|" not in value and ";" not in value:  # one name (most cells): nothing to split
        name = value.strip()
        if not name.startswith("["):
            return [name] if name else []
    if isinstance(value, str):
        if value.lstrip().startswith("["):
            try:
                value = json.loads(value)
            except ValueError:
                raise _Rejected("audiences", "not a valid JSON list of audience names") from None
        else:
            return [a.strip() for a in _AUDIENCE_SPLIT.split(value) if a.strip()]
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise _Rejected("audiences", "expected a list of audience names (JSON list or a|b|c)")
    return value


def _flatten(data: dict[str, Any], prefix: str, out: dict[str, Any]) -> None:
    for key, value in data.items():
        path = f"{prefix}.{key}"
        if isinstance(value, dict) and value:
            _flatten(value, path, out)
        else:
            out[path] = value


def _place(column: str) -> Place:
    """Where a column's value goes: (in the event?, the dotted path's parts, the path); raises
    _Rejected for an empty name. Valid places are remembered: the same columns on every row."""
    event = column.startswith("event.")
    path = column[6:] if event else column.removeprefix("profile.")
    parts = path.split(".")
    if not all(parts):
        raise _Rejected(column, "an empty name in the dotted path")
    place = (event, parts, path)
    if len(_PLACES) < 4096:
        _PLACES[column] = place
    return place


def _column_place(column: str) -> Place:
    """A CSV column's place, worked out with its header: profileId and audiences have their own; a
    path with an empty name gets no parts (each row that fills the column is rejected for it)."""
    if column in RESERVED:
        return _ID if column == "profileId" else _AUDIENCES
    try:
        return _place(column)
    except _Rejected:
        return (False, [], column)


Place = tuple[bool, list[str], str]
_PLACES: dict[str, Place] = {}  # column -> its place (only valid ones are kept)
_ID: Place = (False, ["profileId"], "profileId")
_AUDIENCES: Place = (False, ["audiences"], "audiences")
_ABSENT = object()


def _exact_json(example: Any, exact: Optional[bytes]) -> Optional[bytes]:
    """The example as JSON bytes when orjson reads it back exactly (the same types, the same order:
    marshal's bytes say so), for a copy faster still than marshal's; else None."""
    if exact is None:
        return None
    try:
        data = orjson.dumps(example)
    except TypeError:  # an integer past 64 bits, a key that is not text
        return None
    return data if marshal.dumps(orjson.loads(data), 2) == exact else None


def _literal_maker(example: Any, exact: Optional[bytes]) -> Optional[Callable[[], dict[str, Any]]]:
    """A function returning a new copy of the example, written as the example's own literal (compiled
    once: its containers made new on every call, its texts and numbers, immutable, shared), when that
    literal gives it back exactly (marshal's bytes say so: the same types, the same order; NaN and
    infinities have no literal); else None. ~2x faster than orjson's copy, once for every row."""
    if exact is None or not isinstance(example, dict):
        return None
    try:
        maker = eval(compile(f"lambda: {example!r}", "<event example>", "eval"), {"__builtins__": {}})
        return maker if marshal.dumps(maker(), 2) == exact else None
    except (SyntaxError, ValueError, RecursionError, MemoryError, NameError):  # too deep; nan, inf (no literal)
        return None


def _copy(value: Any) -> Any:
    # The example is JSON: a copy of dicts and lists is enough (deepcopy is several times slower).
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value
