"""Reading request bodies with a size cap, and parsing JSON with a position and a depth cap.

Each endpoint turns a :class:`BodyError` into its own documented error shape.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.requests import ClientDisconnect, Request

MAX_DEPTH = 64


@dataclass(frozen=True)
class BodyError(Exception):
    """Why a body could not be used; ``line``/``column`` are set for syntax errors."""

    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        return self.message


async def read_body(request: Request, limit: int) -> bytes | None:
    """The whole body, or None as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    # Reading ``receive`` directly: Starlette's stream() generator costs more per request.
    receive = request.receive
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        if chunk:
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def is_json_type(content_type: str | None) -> bool:
    """True for ``application/json`` and ``application/*+json``, with any parameters."""
    if not content_type:
        return False
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime == "application/json" or (mime.startswith("application/") and mime.endswith("+json"))


def parse_json(body: bytes) -> Any:
    """Parse a UTF-8 JSON body; raises :class:`BodyError` with a position when it cannot."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = body[: exc.start].decode("utf-8", "replace")
        line, column = _position(prefix, len(prefix))
        raise BodyError(f"Invalid UTF-8 byte at offset {exc.start}", line, column) from None
    if not text.strip():
        raise BodyError("Request body is empty", 1, 1)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BodyError(exc.msg, exc.lineno, exc.colno) from None
    except RecursionError:
        raise BodyError(f"JSON nesting deeper than {MAX_DEPTH} levels") from None
    if _may_be_deep(body) and depth(value) > MAX_DEPTH:
        raise BodyError(f"JSON nesting deeper than {MAX_DEPTH} levels")
    return value


def _may_be_deep(body: bytes) -> bool:
    # Counting brackets is C-fast; only bodies with enough of them can nest too deep,
    # so typical bodies skip the Python-level walk.
    return body.count(b"{") + body.count(b"[") > MAX_DEPTH


def depth(value: Any) -> int:
    """Nesting depth of containers (a scalar is 0, ``[]`` is 1); iterative, no recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        level += 1
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, level) for child in children if isinstance(child, dict | list))
    return deepest


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
