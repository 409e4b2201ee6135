"""Header names and values checked before sending: a line break, a control character or a non-ASCII
character cannot be sent (httpx raises while building the request, h11 and aiohttp refuse it at
send time), and it would fail the same way on every retry."""
from __future__ import annotations

import re
from typing import Optional

from app.model.rules import HTTP_TOKEN

_NOT_SENDABLE = re.compile(r"[^\t\x20-\x7e]")  # what may be sent: tab, and printable ASCII


def header_problem(name: str, value: str) -> Optional[str]:
    """Why this header cannot be sent, or None; it names the header and the character, never the
    value (it may be a secret)."""
    if not HTTP_TOKEN.fullmatch(name):  # fullmatch: `$` would let a trailing line break through
        return f"the header name {name!r} is not a valid HTTP header name"
    found = _NOT_SENDABLE.search(value)
    if found is None:
        return None
    char, position = found.group(), found.start() + 1
    if char in "\r\n":
        return f"the value of header {name} holds a line break (character {position}), which HTTP does not allow"
    if ord(char) < 32 or ord(char) == 127:
        return f"the value of header {name} holds the control character U+{ord(char):04X} (character {position})"
    return f"the value of header {name} holds U+{ord(char):04X} (character {position}): header values must be ASCII"
