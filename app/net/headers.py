"""Header names and values checked before sending: a line break, a control character or a non-ASCII
character cannot be sent (httpx raises while building the request, h11 and aiohttp refuse it at
send time), and it would fail the same way on every retry."""
from __future__ import annotations

import re
from typing import Iterable, Optional

_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")


class BadHeader(ValueError):
    """A header cannot be sent; the message names the header and what is wrong (never its value)."""


def header_problem(name: str, value: str) -> Optional[str]:
    """Why this header cannot be sent, or None."""
    if not _TOKEN.match(name):
        return f"the header name {name!r} is not a valid HTTP header name"
    for position, char in enumerate(value, start=1):
        if char in "\r\n":
            return f"the value of header {name} holds a line break (character {position}), which HTTP does not allow"
        if ord(char) < 32 and char != "\t" or ord(char) == 127:
            return f"the value of header {name} holds the control character U+{ord(char):04X} (character {position})"
        if ord(char) > 126:
            return (f"the value of header {name} holds U+{ord(char):04X} (character {position}): header values "
                    "must be ASCII")
    return None


def check_headers(headers: Iterable[tuple[str, str]]) -> None:
    """Raise BadHeader for the first header that cannot be sent."""
    for name, value in headers:
        problem = header_problem(name, value)
        if problem:
            raise BadHeader(problem)
