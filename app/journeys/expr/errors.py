"""What goes wrong in an expression, always with a position: parse errors, evaluation errors, problems."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional

Span = tuple[int, int]
Severity = Literal["error", "warning"]


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def excerpt(text: str, span: Span) -> str:
    """The line holding span's start, and a caret line under the span (at least one caret)."""
    start = max(0, min(span[0], len(text)))
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    width = max(1, min(span[1], line_end) - start)
    return f"{text[line_start:line_end]}\n{' ' * (start - line_start)}{'^' * width}"


class ExprError(Exception):
    """The expression cannot be read: a syntax error, an unknown function, a wrong argument count."""

    def __init__(self, message: str, text: str, span: Span, expected: Optional[list[str]] = None) -> None:
        self.message = message
        self.span = span
        self.line, self.column = line_col(text, span[0])
        self.expected = expected or []
        self.excerpt = excerpt(text, span)
        super().__init__(f"line {self.line}, column {self.column}: {message}")

    def to_dict(self) -> dict[str, object]:
        return {"message": self.message, "line": self.line, "column": self.column, "expected": self.expected}


class EvalError(Exception):
    """Evaluation failed in one sub-expression (span) for one profile (set by the runner)."""

    def __init__(self, message: str, span: Span, text: str = "", profile: Optional[str] = None) -> None:
        self.message = message
        self.span = span
        self.text = text
        self.profile = profile
        super().__init__(message)

    @property
    def line(self) -> int:
        return line_col(self.text, self.span[0])[0]

    @property
    def column(self) -> int:
        return line_col(self.text, self.span[0])[1]

    @property
    def excerpt(self) -> str:
        return excerpt(self.text, self.span)

    def __str__(self) -> str:
        who = f" (profile {self.profile})" if self.profile else ""
        return f"line {self.line}, column {self.column}: {self.message}{who}"


@dataclass(frozen=True)
class Problem:
    """A type error or a lint warning about part of an expression."""

    severity: Severity
    message: str
    span: Span
    line: int
    column: int

    @classmethod
    def at(cls, severity: Severity, message: str, text: str, span: Span) -> "Problem":
        line, column = line_col(text, span[0])
        return cls(severity, message, span, line, column)
