"""What validation finds: each finding names the node, the field and, in an expression, the position.

Errors block a run, warnings don't. `platform` marks the "the platform would refuse this" lint
warnings, which our engine runs fine (shown apart so a user can clean them before copying).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Optional

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str  # a stable kind: unknown-action, unmapped-field, type, not-upstream, cycle, syntax, lint...
    message: str
    node: Optional[str] = None  # node id; None: the journey itself
    label: str = ""  # the node's label, for messages
    field: str = ""  # where in the node: action, next, mapping[body.value], paths[0].expression, duration...
    line: Optional[int] = None  # 1-based position in the expression, when the finding is in one
    column: Optional[int] = None
    expected: tuple[str, ...] = ()
    excerpt: str = ""  # the expression's line with a caret under the problem
    platform: bool = False

    @property
    def where(self) -> str:
        parts = []
        if self.node is not None:
            parts.append(f"node {self.node!r}" + (f" ({self.label})" if self.label and self.label != self.node else ""))
        if self.field:
            parts.append(self.field)
        if self.line is not None:
            parts.append(f"line {self.line}, column {self.column}")
        return ", ".join(parts) or "journey"

    def __str__(self) -> str:
        kind = f"{self.severity} (platform)" if self.platform else self.severity
        return f"{kind}: {self.where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"severity": self.severity, "code": self.code, "message": self.message,
                               "node": self.node, "field": self.field}
        if self.line is not None:
            out.update(line=self.line, column=self.column, expected=list(self.expected), excerpt=self.excerpt)
        if self.platform:
            out["platform"] = True
        return out


@dataclass
class Report:
    """Every finding of one journey, in the order the journey reads (journey first, then node by node)."""

    journey: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when nothing blocks a run."""
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {"journey": self.journey, "ok": self.ok, "errors": len(self.errors), "warnings": len(self.warnings),
                "findings": [f.to_dict() for f in self.findings]}
