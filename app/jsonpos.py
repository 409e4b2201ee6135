"""Where a field sits in a JSON text: a validation error's path mapped to its line and column.

A model error names a path (`body.bodyParams.client_id`, or pydantic's loc tuple) in the parsed
data; an editor needs the place in the text. The walk follows the path only, reading keys with the
json module's own string scanner and skipping every other value with its C decoder, so a 1 MB
document costs no more than parsing it once.
"""
from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]  # public in CPython, not in typeshed
from typing import Iterator, Optional, Sequence, Union

Path = Union[str, Sequence[Union[str, int]]]
Rest = Union[str, list[Union[str, int]]]  # what is left of the path: text, or loc parts
Step = Optional[tuple[int, int, Rest]]  # where a part is written, where its value starts, the rest

_WS = re.compile(r"[ \t\n\r]*")
_INDEX = re.compile(r"\[(\d+)\]")
_DECODER = json.JSONDecoder()


def position_of(text: str, path: Path) -> Optional[tuple[int, int]]:
    """The 1-based (line, column) of the deepest part of `path` written in `text`, or None.

    `path` is a dotted path as `format_loc` writes it (`endpoint.headers[2].name`; a key holding a
    dot is matched whole) or a loc tuple of keys and indexes. A key is found at its opening quote,
    an array item at its first character. When the path goes on past what the text holds (a
    missing field), the deepest part found is given; None when not even the first part is there.
    """
    try:
        offset = _walk(text, path)
    except (ValueError, IndexError, RecursionError):  # not JSON after all: nothing to point at
        return None
    if offset is None:
        return None
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _walk(text: str, path: Path) -> Optional[int]:
    rest: Rest = path if isinstance(path, str) else list(path)
    i = _skip(text, 0)
    found: Optional[int] = None
    while rest:
        step = _step(text, i, rest)
        if step is None:
            break
        found, i, rest = step
    return found


def _step(text: str, i: int, rest: Rest) -> Step:
    """One part of the path into the value at i, or None when the text does not hold it."""
    opener = text[i:i + 1]
    if opener == "{":
        return _step_into_object(text, i, rest)
    if opener == "[":
        return _step_into_array(text, i, rest)
    return None


def _step_into_object(text: str, i: int, rest: Rest) -> Step:
    best: Step = None
    best_len = -1
    for key, key_at, value_at in _members(text, i):
        if isinstance(rest, list):
            if isinstance(rest[0], str) and rest[0] == key:
                best = (key_at, value_at, rest[1:])  # the last duplicate wins, as in json.loads
            continue
        after = rest[len(key):] if rest.startswith(key) else None
        if after is None or (after and after[0] not in ".["):
            continue
        if len(key) >= best_len:  # the longest key wins: "a.b" over "a" for the path "a.b.c"
            best, best_len = (key_at, value_at, after[1:] if after.startswith(".") else after), len(key)
    return best


def _step_into_array(text: str, i: int, rest: Rest) -> Step:
    tail: Rest
    if isinstance(rest, list):
        if not isinstance(rest[0], int):
            return None
        wanted, tail = rest[0], rest[1:]
    else:
        match = _INDEX.match(rest)
        if match is None:
            return None
        wanted, tail = int(match.group(1)), rest[match.end():].removeprefix(".")
    for index, at in _elements(text, i):
        if index == wanted:
            return at, at, tail
    return None


def _members(text: str, i: int) -> Iterator[tuple[str, int, int]]:
    """(key, where the key's quote is, where its value starts) for each member of the object at i."""
    i = _skip(text, i + 1)
    if text[i] == "}":
        return
    while True:
        if text[i] != '"':
            raise ValueError(f"expected a key at offset {i}")
        key, end = scanstring(text, i + 1)
        colon = _skip(text, end)
        if text[colon] != ":":
            raise ValueError(f"expected ':' at offset {colon}")
        value_at = _skip(text, colon + 1)
        yield key, i, value_at
        i = _after_value(text, value_at)
        if text[i] != ",":
            return
        i = _skip(text, i + 1)


def _elements(text: str, i: int) -> Iterator[tuple[int, int]]:
    """(index, where the item starts) for each item of the array at i."""
    i = _skip(text, i + 1)
    if text[i] == "]":
        return
    index = 0
    while True:
        yield index, i
        i = _after_value(text, i)
        if text[i] != ",":
            return
        i, index = _skip(text, i + 1), index + 1


def _after_value(text: str, i: int) -> int:
    try:
        _, end = _DECODER.raw_decode(text, i)
    except json.JSONDecodeError as exc:
        raise ValueError(str(exc)) from None
    return _skip(text, end)


def _skip(text: str, i: int) -> int:
    return _WS.match(text, i).end()  # type: ignore[union-attr]  # matches the empty string too
