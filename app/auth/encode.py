"""The one function the platform allows in auth values: `EncodeBase64(<text>)`.

Evaluation is done on the template, before anything is substituted, so a secret that happens to
contain a parenthesis cannot end the call early: the text between the parentheses is resolved
({{variables}}, secrets) by the caller's function and then encoded.
"""
from __future__ import annotations

import base64
import re
from typing import Callable

from app.auth.errors import AuthError

_CALL = re.compile(r"EncodeBase64\s*\(")


def b64(text: str) -> str:
    """Standard base64 of the UTF-8 bytes of text."""
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def has_call(text: str) -> bool:
    return _CALL.search(text) is not None


def evaluate(template: str, resolve: Callable[[str], str], where: str = "",
             encoded: set[str] | None = None) -> str:
    """Resolve `template` with `resolve`, replacing each EncodeBase64(...) by its base64 value.

    Parentheses inside the call must balance (`EncodeBase64(a(b))` encodes `a(b)`). Every
    encoded output is added to `encoded` so the caller can mask it (it carries credentials).
    """
    out: list[str] = []
    pos = 0
    for match in _CALL.finditer(template):
        if match.start() < pos:
            continue  # nested inside a call already consumed
        end = _closing(template, match.end())
        if end < 0:
            place = f" in {where}" if where else ""
            raise AuthError(f"EncodeBase64( is not closed{place}: add the missing ')'")
        out.append(resolve(template[pos:match.start()]))
        inner = evaluate(template[match.end():end], resolve, where, encoded)
        value = b64(inner)
        if encoded is not None:
            encoded.add(value)
        out.append(value)
        pos = end + 1
    out.append(resolve(template[pos:]))
    return "".join(out)


def _closing(text: str, start: int) -> int:
    depth = 1
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1
