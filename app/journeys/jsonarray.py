"""The items of a top-level JSON array, read in chunks: memory holds one item, not the file.

`json.JSONDecoder.raw_decode` over a buffer refilled as needed; an item split across chunks is
decoded again once more text has come (bounded by MAX_ITEM).
"""
from __future__ import annotations

import json
import re
from typing import IO, Any, Iterator, Optional

CHUNK = 64 * 1024
MAX_ITEM = 16 * 1024 * 1024  # one item larger than this is refused (memory stays bounded)
_SPACE = re.compile(r"[ \t\r\n]*")


class NotAnArray(ValueError):
    """The text does not start with '['."""


def array_items(text: IO[str], name: str) -> Iterator[tuple[int, int, Optional[str], str, Any]]:
    """The items of a top-level JSON array as (item number, line, problem or None, text, value),
    read in chunks. A syntax error between items cannot be recovered from: it ends the input."""
    decoder = json.JSONDecoder()
    buf, pos, line, eof = "", 0, 1, False

    def more() -> bool:
        nonlocal buf, pos, eof
        chunk = text.read(CHUNK)
        eof = not chunk
        buf, pos = buf[pos:] + chunk, 0  # only when more is needed: trimming per item is quadratic
        return bool(chunk)

    def skip_space() -> str:
        nonlocal pos, line
        while True:
            end = _SPACE.match(buf, pos).end()  # type: ignore[union-attr]
            line += buf.count("\n", pos, end)
            pos = end
            if pos < len(buf) or not more():
                return buf[pos] if pos < len(buf) else ""

    if skip_space() != "[":
        raise NotAnArray(f"{name}: a JSON profiles file must be an array of objects (or JSON lines)")
    pos += 1
    row = 0
    while True:
        ch = skip_space()
        if ch == "]" and row == 0:
            return
        row += 1
        if ch == "":
            yield row, line, "the array is not closed (the file ends early)", "", None
            return
        while True:
            try:
                value, end = decoder.raw_decode(buf, pos)
                break
            except json.JSONDecodeError as exc:
                at = line + buf.count("\n", pos, exc.pos)  # before more() moves the buffer
                if eof or len(buf) - pos > MAX_ITEM or not more():
                    problem = f"not valid JSON: {exc.msg} (line {at}); the rest of the file cannot be read"
                    yield row, line, problem, "", None
                    return
            except RecursionError:
                yield row, line, "not valid JSON: nested too deeply; the rest cannot be read", "", None
                return
        item, pos = buf[pos:end], end
        yield row, line, None, item, value
        line += item.count("\n")
        sep = skip_space()
        if sep == "]":
            return
        if sep != ",":
            found = repr(sep) if sep else "the end of the file"
            problem = f"expected ',' or ']' after row {row}, found {found}; the rest cannot be read"
            yield row + 1, line, problem, "", None
            return
        pos += 1
