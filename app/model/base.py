"""Shared pieces of the action model: the pydantic base, secret references, readable errors."""
from __future__ import annotations

import re
from typing import Any, Union

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel

from app.masking import MASK


class Model(BaseModel):
    """Base for every model: camelCase on disk (the platform's JSON), snake_case in Python."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        validate_assignment=True,
    )

    def dump(self) -> dict[str, Any]:
        """The JSON-ready dict in the native on-disk format."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class SecretRef(Model):
    """A pointer to a value held in the secret store (OS keyring); files keep only this."""

    secret: str

    def __str__(self) -> str:  # never leak anything but the mask if printed by mistake
        return MASK


# A value that may be plain text or a reference to a secret.
Value = Union[SecretRef, str]

# The one `{{variable}}` pattern (model checks, the resolver, cURL import, the window).
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}")


def placeholders(text: str) -> list[str]:
    """The `{{var}}` environment variables a text refers to, in order."""
    return PLACEHOLDER.findall(text)


def only_placeholder(text: str) -> bool:
    """Whether a text is one `{{variable}}` and nothing else (a value the environment gives, not a
    literal: never taken for a secret to store)."""
    return PLACEHOLDER.fullmatch(text.strip()) is not None


def check_placeholders(text: str) -> None:
    """Refuse unbalanced or malformed `{{ }}` so a typo is not sent literally."""
    stripped = PLACEHOLDER.sub("", text)
    if "{{" in stripped or "}}" in stripped:
        raise ValueError("malformed {{variable}}: use {{name}} with letters, digits, _ . -")


def format_loc(loc: tuple[Any, ...], root: str = "(action)") -> str:
    """Turn a pydantic location into a readable path: endpoint.headers[2].name; `root` names the
    document itself (an action by default; "" when the caller already named the file)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("function-after", "function-before", "function-wrap") or str(part).startswith(
            ("function-", "tagged-union[")
        ):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out or root


def error_lines(exc: ValidationError, root: str = "(action)") -> list[str]:
    """Every validation error as 'path: reason', the reason without pydantic's prefixes."""
    lines = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not _is_union_tag(p))
        # Documents are validated from parsed JSON: a non-object where a model goes is said in JSON's
        # words, not as "a valid dictionary or instance of <class>".
        msg = "Input should be an object" if err["type"] == "model_type" else err["msg"]
        for prefix in ("Value error, ", "Assertion failed, "):
            if msg.startswith(prefix):
                msg = msg[len(prefix):]
        where = format_loc(loc, root)
        lines.append(f"{where}: {msg}" if where else msg)
    return lines


def _is_union_tag(part: Any) -> bool:
    # Discriminated unions put the tag ('basic', 'customAuthorization'...) in the path; drop it.
    return isinstance(part, str) and part in {"none", "basic", "apiKey", "customAuthorization", "str", "SecretRef"}
