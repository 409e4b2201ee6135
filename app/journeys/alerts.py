"""The journey view's alerts: validation findings grouped so that one problem reads once.

The same finding in several places of a node (the same notation warned about in two mappings)
is one alert naming every place, instead of lines that look like duplicates. Findings differing
in severity, kind, node or message stay apart. No Qt."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from app.journeys.findings import Finding


@dataclass(frozen=True)
class Alert:
    """One finding, or the same finding at several places of one node (in the journey's order)."""

    findings: tuple[Finding, ...]

    @property
    def first(self) -> Finding:
        return self.findings[0]

    @property
    def node(self) -> Optional[str]:
        return self.first.node

    @property
    def severity(self) -> str:
        return self.first.severity

    def places(self) -> list[str]:
        """Where in the node, one entry per finding: the field and, in an expression, the position."""
        return [_place(f) for f in self.findings]

    def __str__(self) -> str:
        if len(self.findings) == 1:
            return str(self.first)
        f = self.first
        kind = f"{f.severity} (platform)" if f.platform else f.severity
        node = f"node {f.node!r}" + (f" ({f.label})" if f.label and f.label != f.node else "") if f.node else "journey"
        # The places joined with a space after each `;`, so a narrow list wraps between them.
        return f"{kind}: {node}: {f.message} — in {len(self.findings)} places: {'; '.join(self.places())}"

    def details(self) -> str:
        """Every place with its expression excerpt (a tooltip)."""
        lines = [str(self)]
        for finding in self.findings:
            if len(self.findings) > 1:
                lines.append(f"· {_place(finding)}")
            if finding.excerpt:
                lines.append(finding.excerpt)
        return "\n".join(lines)


def group(findings: Iterable[Finding]) -> list[Alert]:
    """The findings as alerts, identical ones of a node together, in the order first found."""
    groups: dict[tuple[object, ...], list[Finding]] = {}
    for finding in findings:
        key = (finding.severity, finding.platform, finding.code, finding.node, finding.message)
        groups.setdefault(key, []).append(finding)
    return [Alert(tuple(found)) for found in groups.values()]


def _place(finding: Finding) -> str:
    place = finding.field or ("the node" if finding.node is not None else "the journey")
    if finding.line is not None:
        place += f" (line {finding.line}, column {finding.column})"
    return place
