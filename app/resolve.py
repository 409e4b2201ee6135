"""Resolve `{{variables}}` and secret references into the concrete text sent over the wire."""
from __future__ import annotations

import re
import threading
from typing import Callable, Iterable, Mapping, Optional

from app.masking import mask_all
from app.model.base import PLACEHOLDER, SecretRef, Value
from app.model.environment import Environment
from app.secrets import SecretStore

# Where a resolved text must stay on one line: a CR/LF there would end a header or break a URL.
_ONE_LINE = ("header ", "query parameter ", "the URL", "the token endpoint URL", "the dynamic path", "the API key ")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


class MissingVariable(KeyError):
    def __init__(self, names: list[str], where: str = "", env: Optional[str] = None) -> None:
        self.names = names
        place = f" in {where}" if where else ""
        hint = (f"set it in environment {env!r} or with --var" if env
                else "no environment is active: choose one, or set it with --var")
        super().__init__(f"undefined variable{'s' if len(names) > 1 else ''}{place}: "
                         + ", ".join("{{" + n + "}}" for n in names) + f" ({hint})")

    def __str__(self) -> str:
        return str(self.args[0])


class UnsafeValue(ValueError):
    """A resolved value holds a line break or control character where it cannot be sent."""


def control_problem(text: str) -> str:
    """'' or what is wrong with a text that must stay on one line (never showing the text)."""
    found = _CONTROL.search(text)
    if found is None:
        return ""
    char = found.group(0)
    return "a line break (CR/LF)" if char in "\r\n" else f"a control character (U+{ord(char):04X})"


class Resolver:
    """Turns stored values into plain strings: environment variables, overrides, then secrets."""

    def __init__(self, secrets: SecretStore, env: Optional[Environment] = None,
                 overrides: Optional[Mapping[str, str]] = None,
                 dynamic: Optional[Mapping[str, Callable[[], str]]] = None,
                 on_secret: Optional[Callable[[str], None]] = None) -> None:
        self.secrets = secrets
        self.env = env
        self.overrides = dict(overrides or {})
        # Built-in variables computed on demand, e.g. {{sandbox.url}} starts the local sandbox.
        self.dynamic = dict(dynamic or {})
        self.secret_values: set[str] = set()  # every secret revealed, so callers can mask them
        self.on_secret = on_secret  # told of each new one (the in-process sandbox masks them in its log)
        self._local = threading.local()  # nesting depth per thread: one resolver serves many workers

    def variable(self, name: str) -> Optional[str]:
        if name in self.overrides:
            return self.overrides[name]
        value = self.env.get(name) if self.env is not None else None
        if value is None:
            maker = self.dynamic.get(name)
            return maker() if maker else None
        depth = getattr(self._local, "depth", 0)
        if depth > 8:
            raise ValueError(f"variable {name} refers to itself (a {{{{variable}}}} loop)")
        self._local.depth = depth + 1
        try:
            return self.value(value, where=f"variable {name}")
        finally:
            self._local.depth = depth

    def text(self, text: str, where: str = "") -> str:
        """Replace every {{name}}; all missing names are reported at once."""
        values = {name: self.variable(name) for name in set(PLACEHOLDER.findall(text))}
        missing = sorted(name for name, value in values.items() if value is None)
        if missing:
            raise MissingVariable(missing, where, self.env.name if self.env is not None else None)
        if where.startswith(_ONE_LINE):
            for name, value in sorted(values.items()):
                problem = control_problem(value or "")
                if problem:
                    raise UnsafeValue(f"{where}: the variable {{{{{name}}}}} holds {problem}, which cannot be "
                                      "sent there; check its value (environment or --var)")
        resolved = PLACEHOLDER.sub(lambda m: values[m.group(1)] or "", text)
        if where.startswith(_ONE_LINE) and control_problem(resolved):
            raise UnsafeValue(f"{where} holds {control_problem(resolved)}, which cannot be sent there")
        return resolved

    def value(self, value: Value, where: str = "") -> str:
        if isinstance(value, SecretRef):
            plain = self.secrets.reveal(value, where)
            self.remember_secrets((plain,))
            if where.startswith(_ONE_LINE) and control_problem(plain):
                raise UnsafeValue(f"{where}: the secret holds {control_problem(plain)}, which cannot be "
                                  "sent there; enter it again")
            return plain
        return self.text(value, where)

    def remember_secrets(self, values: Iterable[str]) -> None:
        """Count these as secrets too (a value revealed, or derived from one such as its base64)."""
        for plain in values:
            if plain and plain not in self.secret_values:
                self.secret_values.add(plain)
                if self.on_secret is not None:
                    self.on_secret(plain)

    def mask(self, text: str) -> str:
        """Hide every secret this resolver revealed (longest first, so overlaps mask fully)."""
        return mask_all(text, self.secret_values)
