"""String functions. Regular expressions follow Java's syntax as the platform does (named groups
(?<name>...) and $1 in replacements are translated for Python's re)."""
from __future__ import annotations

import re
import uuid as uuidlib
from functools import lru_cache
from typing import Any

from app.journeys.expr.context import Context
from app.journeys.expr.functions.registry import expect, function
from app.journeys.expr.values import ValueProblem

_S2 = [(("string", "string"), "boolean")]


def _s(value: Any, fn: str) -> str:
    return expect(value, str, fn, "a string")


@lru_cache(maxsize=512)
def java_regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(re.sub(r"\(\?<(?=[A-Za-z])", "(?P<", pattern))
    except re.error as exc:
        raise ValueProblem(f"invalid regular expression {pattern[:40]!r}: {exc}") from None


def _java_replacement(replacement: str) -> Any:
    """A re.sub callable for Java's replacement syntax: $1, ${name}, \\$ for a literal $."""
    parts = re.split(r"(\\.|\$\{\w+\}|\$\d+)", replacement)

    def expand(match: re.Match[str]) -> str:
        out = []
        for part in parts:
            if part.startswith("\\") and len(part) == 2:
                out.append(part[1])
            elif part.startswith("${"):
                out.append(match.group(part[2:-1]) or "")
            elif part.startswith("$") and part[1:].isdigit():
                out.append(match.group(int(part[1:])) or "")
            else:
                out.append(part)
        return "".join(out)
    return expand


@function("concat", [(("string", "string"), "string"), (("listString",), "string")],
          "two strings, or a list of strings, joined")
def concat(first: Any, second: Any = None) -> str:
    if second is None and type(first) is list:
        return "".join(_s(v, "concat") for v in first if v is not None)
    return _s(first, "concat") + _s(second, "concat")


@function("contain", _S2, "whether the second string is inside the first")
def contain(text: Any, part: Any) -> bool:
    return _s(part, "contain") in _s(text, "contain")


@function("containIgnoreCase", _S2, "contain, ignoring case")
def contain_ignore_case(text: Any, part: Any) -> bool:
    return _s(part, "containIgnoreCase").casefold() in _s(text, "containIgnoreCase").casefold()


@function("endWith", _S2, "whether the first string ends with the second")
def end_with(text: Any, suffix: Any) -> bool:
    return _s(text, "endWith").endswith(_s(suffix, "endWith"))


@function("startWith", _S2, "whether the first string starts with the second")
def start_with(text: Any, prefix: Any) -> bool:
    return _s(text, "startWith").startswith(_s(prefix, "startWith"))


@function("equalIgnoreCase", _S2, "whether two strings are equal, ignoring case")
def equal_ignore_case(a: Any, b: Any) -> bool:
    return _s(a, "equalIgnoreCase").casefold() == _s(b, "equalIgnoreCase").casefold()


@function("indexOf", [(("string", "string"), "integer")],
          "where the second string first appears in the first (0-based), or -1")
def index_of(text: Any, part: Any) -> int:
    return _s(text, "indexOf").find(_s(part, "indexOf"))


@function("isEmpty", [(("string",), "boolean"), (("list",), "boolean")],
          "whether a string or list is empty (null counts as empty)", takes_null=True)
def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if type(value) in (str, list):
        return len(value) == 0
    raise ValueProblem("isEmpty expects a string or a list")


@function("isNotEmpty", [(("string",), "boolean"), (("list",), "boolean")],
          "whether a string or list has something in it", takes_null=True)
def is_not_empty(value: Any) -> bool:
    return not is_empty(value)


@function("length", [(("string",), "integer")], "the number of characters")
def length(text: Any) -> int:
    return len(_s(text, "length"))


@function("lower", [(("string",), "string")], "lowercase")
def lower(text: Any) -> str:
    return _s(text, "lower").lower()


@function("upper", [(("string",), "string")], "uppercase")
def upper(text: Any) -> str:
    return _s(text, "upper").upper()


@function("matchRegExp", [(("string", "string"), "boolean")],
          "whether the whole string matches the regular expression (Java's String.matches)")
def match_reg_exp(text: Any, pattern: Any) -> bool:
    return java_regex(_s(pattern, "matchRegExp")).fullmatch(_s(text, "matchRegExp")) is not None


@function("replace", [(("string", "string", "string"), "string")],
          "the first match of the target (a regular expression) replaced")
def replace(text: Any, target: Any, replacement: Any) -> str:
    pattern = java_regex(_s(target, "replace"))
    return pattern.sub(_java_replacement(_s(replacement, "replace")), _s(text, "replace"), count=1)


@function("replaceAll", [(("string", "string", "string"), "string")],
          "every match of the target (a regular expression: escape . as \\\\.) replaced")
def replace_all(text: Any, target: Any, replacement: Any) -> str:
    pattern = java_regex(_s(target, "replaceAll"))
    return pattern.sub(_java_replacement(_s(replacement, "replaceAll")), _s(text, "replaceAll"))


@function("split", [(("string", "string"), "listString")],
          "the string cut at each occurrence of the separator (taken literally)")
def split(text: Any, separator: Any) -> list[str]:
    separator = _s(separator, "split")
    if not separator:
        raise ValueProblem("split: the separator is empty")
    return _s(text, "split").split(separator)


@function("substr", [(("string", "integer", "integer"), "string")],
          "the characters from start (included) to end (excluded), 0-based")
def substr(text: Any, start: Any, end: Any) -> str:
    text = _s(text, "substr")
    start, end = expect(start, int, "substr", "an integer start"), expect(end, int, "substr", "an integer end")
    if not 0 <= start <= end <= len(text):
        raise ValueProblem(f"substr: {start} to {end} is outside the string (length {len(text)})")
    return text[start:end]


@function("trim", [(("string",), "string")], "without leading and trailing white space")
def trim(text: Any) -> str:
    return _s(text, "trim").strip()


@function("uuid", [((), "string")], "a random UUID (from the run's seeded generator)", needs_ctx=True)
def uuid(ctx: Context) -> str:
    return str(uuidlib.UUID(int=ctx.rng.getrandbits(128), version=4))
