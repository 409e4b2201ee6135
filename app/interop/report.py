"""What an import could not map, per request: the report every importer returns with its actions."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.transfer import Imported


class InteropError(ValueError):
    """A file that cannot be imported at all; the message says what and where (JSON path, line)."""


@dataclass
class Entry:
    """One request of the source: where it was, the action it became (or why none), the notes."""

    source: str  # e.g. "item[1] Orders / Create order", "POST /orders", "curl"
    name: str = ""  # the action's name ("" when skipped)
    notes: list[str] = field(default_factory=list)
    skipped: str = ""  # why no action was made

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "name": self.name or None, "notes": list(self.notes)}
        if self.skipped:
            out["skipped"] = self.skipped
        return out


@dataclass
class Report:
    """The outcome of reading one file: its format, one entry per request, notes about the file."""

    fmt: str
    where: str
    entries: list[Entry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    items: list[Imported] = field(default_factory=list)  # the actions made, in entry order
    variables: dict[str, str] = field(default_factory=dict)  # the file's own variables (Postman's)
    title: str = ""  # the collection's or document's name
    secret_variables: frozenset[str] = frozenset()  # of `variables`, those the file says are secret

    def add(self, entry: Entry, item: Imported | None = None) -> None:
        self.entries.append(entry)
        if item is not None:
            self.items.append(item)

    @property
    def skipped(self) -> list[Entry]:
        return [e for e in self.entries if e.skipped]

    def unmapped_count(self) -> int:
        return len(self.notes) + sum(len(e.notes) + bool(e.skipped) for e in self.entries)

    def lines(self) -> list[str]:
        """The report as text, one line per note (what was imported is said by the caller)."""
        out = [f"{self.where}: {note}" for note in self.notes]
        for entry in self.entries:
            head = f"{entry.source} -> {entry.name}" if entry.name else entry.source
            if entry.skipped:
                out.append(f"{head}: not imported: {entry.skipped}")
            out += [f"{head}: {note}" for note in entry.notes]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"format": self.fmt, "file": self.where, "notes": list(self.notes),
                "variables": dict(self.variables), "requests": [e.to_dict() for e in self.entries]}


def keep_variables(services: Any, reports: list[Report]) -> list[str]:
    """After an import: each Postman collection's variables added to the environment named after it
    (app.interop.envmerge); what was added, as report lines."""
    from app.interop.envmerge import add_variables

    lines = []
    for report in reports:
        if report.variables:
            added = add_variables(services, report.title or report.where, report.variables,
                                  report.secret_variables)
            if added:
                lines.append(f"{report.where}: variables added to the environment "
                             f"{report.title or report.where!r}: {', '.join(added)}")
    return lines
