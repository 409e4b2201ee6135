"""The input of a batch: JSON lines or CSV, one call per line, every bad line reported by number.

Keys (JSON) and header cells (CSV) are the action's input keys or labels (see `app.calls.values`);
a JSON line may also nest objects (`{"body": {"name": "x"}}` fills `body.name`). The key `$path`
gives a call's dynamic path. A bad line is reported with its number and skipped; it never stops
the other lines. CSV is read strictly: a UTF-8 BOM (Excel's "CSV UTF-8") is dropped, a quote never
closed or a NUL character makes a bad line instead of silently merging or sending it.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any, Iterator, Literal, Optional, Union

from app.calls.build import Prepared
from app.calls.values import Input, ValuesError, canonical, coerce_text
from app.model import JsonError, parse_json
from app.model.base import check_placeholders

PATH_KEY = "$path"
BOM = "\ufeff"


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


Row = Union[dict[str, Any], str]  # the values of a line, or why it is bad


def read_batch(prepared: Prepared, text: str, fmt: Literal["jsonl", "csv"] = "jsonl") -> BatchInput:
    """Parse and check every line; bad ones are collected with their line number."""
    text = text.removeprefix(BOM)
    rows = _csv_rows(text, prepared) if fmt == "csv" else _jsonl_rows(text, prepared.inputs)
    out = BatchInput()
    for line, row in rows:
        if isinstance(row, str):
            out.bad.append(BadLine(line, row))
            continue
        try:
            suffix = _path_suffix(prepared, row.pop(PATH_KEY, None))
            out.items.append(BatchItem(line, prepared.check(row), suffix))
        except ValuesError as exc:
            out.bad.append(BadLine(line, "; ".join(exc.problems)))
    return out


def format_of(path: str) -> Literal["jsonl", "csv"]:
    return "csv" if path.lower().endswith((".csv", ".tsv")) else "jsonl"


def _path_suffix(prepared: Prepared, value: Any) -> str:
    """A line's `$path`: text whose {{variables}} resolve and that can go in a URL (checked here: a
    bad line is skipped, not a failed call)."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        raise ValuesError([f"{PATH_KEY}: the dynamic path must be text, got {type(value).__name__}"])
    try:
        check_placeholders(value)
        prepared.dynamic_path(value)  # resolved, and refused when a . or .. segment would climb the URL path
    except Exception as exc:  # malformed {{, MissingVariable, a control character, a {{variable}} loop, ..
        raise ValuesError([f"{PATH_KEY}: {exc}"]) from None
    return value


def _lines(text: str) -> list[str]:
    # Universal newlines only (\n, \r\n, \r): str.splitlines() would also cut at U+2028 and
    # friends, which are valid inside JSON strings and CSV cells.
    return io.StringIO(text, newline="").readlines()


# -- JSON lines -----------------------------------------------------------------------------------
def _jsonl_rows(text: str, known: list[Input]) -> Iterator[tuple[int, Row]]:
    keys = {i.key for i in known} | {i.label.lower() for i in known} | {PATH_KEY}
    for n, raw in enumerate(_lines(text), start=1):
        if not raw.strip():
            continue
        try:
            data = parse_json(raw)
        except JsonError as exc:
            yield n, f"not valid JSON (column {exc.column}: {exc.message})"
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


# -- CSV ------------------------------------------------------------------------------------------
def _csv_rows(text: str, prepared: Prepared) -> Iterator[tuple[int, Row]]:
    dialect = csv.excel_tab if _tabbed(text) else csv.excel
    types = {i.key: i.type for i in prepared.inputs} | {i.label.lower(): i.type for i in prepared.inputs}
    header: Optional[list[str]] = None
    for n, row in _records(text, dialect):
        if isinstance(row, list) and not any(cell.strip() for cell in row):
            continue
        if header is None:
            problem = row if isinstance(row, str) else _header_problem(row, prepared)
            if problem:  # every line depends on the header: one message, no line sent
                yield n, f"header: {problem}"
                return
            header = [h.strip() for h in row]
            continue
        yield n, row if isinstance(row, str) else _cells(header, row, types)


def _records(text: str, dialect: Any) -> Iterator[tuple[int, Union[list[str], str]]]:
    """(first line, cells) per record, strictly parsed; a broken record is (line, why) and the
    reading goes on after it, so one bad quote costs one line, not the rest of the file."""
    lines = _lines(text)
    start = 0
    while start < len(lines):
        reader = csv.reader(iter(lines[start:]), dialect=dialect, strict=True)
        first = start
        try:
            for row in reader:
                yield first + 1, row
                first = start + reader.line_num
            return
        except csv.Error as exc:
            if "end of data" in str(exc):  # end of file inside quotes: the quote was never closed
                yield first + 1, "a quote (\") opened on this line is never closed"
                start = first + 1
            else:
                yield first + 1, f"not valid CSV: {exc}"
                start = max(start + reader.line_num, first + 1)


def _header_problem(header: list[str], prepared: Prepared) -> str:
    if any("\0" in cell for cell in header):
        return _NUL
    names = [h.strip() for h in header]
    seen: set[str] = set()
    for name in names:
        if name.lower() in seen:
            return f"column {name!r} appears twice"
        seen.add(name.lower())
    try:
        canonical(prepared.action, {n: None for n in names if n != PATH_KEY}, prepared.inputs)
    except ValuesError as exc:
        return exc.problems[0].replace("unknown value", "unknown column")
    return ""


def _cells(header: list[str], row: list[str], types: dict[str, str]) -> Row:
    if len(row) != len(header):
        return f"expected {len(header)} cells, found {len(row)}"
    if any("\0" in cell for cell in row):
        return _NUL
    values: dict[str, Any] = {}
    problems = []
    for name, cell in zip(header, row, strict=True):
        ftype = types.get(name) or types.get(name.lower()) or "string"
        try:
            value = coerce_text(ftype, cell)
        except ValueError as exc:
            problems.append(f"{name}: {exc}")
            continue
        if value is not None or cell.strip() == "null":
            values[name] = value
    return "; ".join(problems) if problems else values


_NUL = "holds a NUL character (is the file UTF-16 or binary? save it as CSV UTF-8)"


def _tabbed(text: str) -> bool:
    first = text.split("\n", 1)[0]
    return "\t" in first and "," not in first

