"""Strict JSON reading: NaN, Infinity and numbers too large for a float are refused, saying where.

Python's json module accepts NaN and Infinity (and reads 1e999 as infinity), then writes them back
as `NaN`/`Infinity`, which no JSON endpoint accepts. Everything that reads JSON a person gave us
(action files, pasted examples, --values, batch lines, typed values) reads it through `loads`.

orjson reads first when it is installed (a 1 MB example: ~5x faster, and no Python call per number,
so a worker parsing one leaves the UI thread the GIL; issue 14). It refuses NaN, Infinity and
overflowing numbers itself; whatever it refuses, and any integer of 19 digits or more (which it
would read as a float), goes through `json` as before, so results and messages are unchanged.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any

import orjson

_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)')


_LONG_DIGITS = re.compile(r"\d{19}")  # maybe an integer past 64 bits: orjson would make it a float
_LONG_DIGITS_BYTES = re.compile(rb"\d{19}")
_MISS = object()


def _fast(text: str | bytes) -> Any:
    """orjson's reading, or _MISS when it refuses the text or could read it differently from json."""
    long_digits = _LONG_DIGITS_BYTES.search(text) if isinstance(text, bytes) else _LONG_DIGITS.search(text)
    if long_digits is not None:
        return _MISS
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return _MISS


class _NotJson:
    """Stands in for a refused literal while parsing, so its path can be found afterwards."""


def loads(text: str | bytes) -> Any:
    """`json.loads`, but a NaN, Infinity or overflowing number raises `json.JSONDecodeError`
    (a ValueError with msg, lineno, colno) naming the literal and its path in the document."""
    data = _fast(text)
    if data is not _MISS:
        return data
    refused: list[str] = []
    marker = _NotJson()

    def constant(literal: str) -> Any:
        refused.append(literal)
        return marker

    def number(literal: str) -> Any:
        value = float(literal)
        if math.isfinite(value):
            return value
        refused.append(literal)
        return marker

    data = json.loads(text, parse_constant=constant, parse_float=number)
    if refused:
        doc = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        raise json.JSONDecodeError(_reason(refused[0], _path_to(data, marker)), doc, _position(doc))
    return data


def _reason(literal: str, path: str) -> str:
    where = f" at {path}" if path else ""
    if literal.lstrip("-") in ("NaN", "Infinity"):
        return f"{literal}{where} is not JSON (JSON has no NaN or Infinity): use a number or null"
    return f"the number {literal[:40]}{where} is too large for a JSON number: use a smaller number or a string"


def _path_to(data: Any, marker: _NotJson) -> str:
    """The path of the first refused literal, in document order ('items[2].price'; '' for the root)."""
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        node, path = stack.pop()
        if node is marker:
            return path
        if isinstance(node, dict):
            stack.extend((v, f"{path}.{k}" if path else str(k)) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((v, f"{path}[{i}]") for i, v in reversed(list(enumerate(node))))
    return ""


def _position(text: str) -> int:
    """Where the first refused literal is written (strings skipped), for a line and column."""
    for match in _LITERAL.finditer(text):
        literal = match.group(1)
        if literal and (literal.lstrip("-") in ("NaN", "Infinity") or not math.isfinite(float(literal))):
            return match.start(1)
    return 0
