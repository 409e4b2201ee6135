"""Expected outcomes of a run, checked against its trace: a journey as a test (CI).

Two sources, either or both:
- columns of the profiles file: `expectedPath` (node ids joined by `>`), `expectedOutcome` (finished,
  error, timedOut...), `expectedEnd` (the node the profile stops at); taken out of the row before it
  runs (app.journeys.tappedsource), so a run with them goes exactly as one without;
- an expectations file (JSON):
      {"journey": "sampleJourney",
       "outcomes": {"finished": 50},                       # profiles by outcome
       "nodes": {"vipEvent": 17, "done": {"min": 40}},     # profiles that reached a node
       "edges": {"checkValue>vipEvent": 17},                # profiles that went from a node to the next
       "profiles": {"p-000006": {"path": "purchase>writeEvent>checkValue>vipEvent>done",
                                 "outcome": "finished", "end": "done"}}}
  a count is a number or {"min": N, "max": M}; a profile's expectation holds for its first entry
  (input order; a profile entering again is checked by the columns of its row).

`check` streams over the run's profiles (nothing held but the mismatches listed, at most LISTED).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional, Union

from pydantic import Field, ValidationError, field_validator

from app.journeys import graph, runsql
from app.journeys.model import Journey
from app.journeys.tracereader import TraceReader
from app.journeys.tracerecords import OUTCOMES
from app.model.base import Model, format_loc
from app.model.payload import JsonError, parse_json

COLUMNS = ("expectedPath", "expectedOutcome", "expectedEnd")
LISTED = 1_000  # mismatches kept for the report (the total is always counted)
PATH_SEPARATOR = ">"


class ExpectError(ValueError):
    """An expectations file that cannot be used; the message says where and why."""


class Range(Model):
    min: Optional[int] = Field(default=None, ge=0)
    max: Optional[int] = Field(default=None, ge=0)

    def holds(self, n: int) -> bool:
        return (self.min is None or n >= self.min) and (self.max is None or n <= self.max)

    def __str__(self) -> str:
        if self.min is not None and self.max is not None:
            return f"{self.min} to {self.max}"
        return f"at least {self.min}" if self.min is not None else f"at most {self.max}"


Count = Union[Range, int]


def _holds(expected: Count, n: int) -> bool:
    return expected.holds(n) if isinstance(expected, Range) else n == expected


def split_path(text: Union[str, list[str]]) -> tuple[str, ...]:
    """`a>b>c` (or a list) as node ids; blanks around ids are ignored."""
    parts = text if isinstance(text, list) else text.split(PATH_SEPARATOR)
    return tuple(p.strip() for p in parts if p.strip())


@dataclass(frozen=True)
class Expected:
    """What one profile should do; None: not checked."""

    path: Optional[tuple[str, ...]] = None
    outcome: Optional[str] = None
    end: Optional[str] = None


class ProfileExpectation(Model):
    path: Optional[Union[str, list[str]]] = None
    outcome: Optional[str] = None
    end: Optional[str] = None

    @field_validator("outcome")
    @classmethod
    def _outcome(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and value not in OUTCOMES:
            raise ValueError(f"unknown outcome {value!r}; one of {', '.join(OUTCOMES)}")
        return value

    def expected(self) -> Expected:
        return Expected(split_path(self.path) if self.path is not None else None, self.outcome, self.end)


class Expectations(Model):
    journey: Optional[str] = None
    description: Optional[str] = None
    outcomes: dict[str, Count] = Field(default_factory=dict)
    nodes: dict[str, Count] = Field(default_factory=dict)
    edges: dict[str, Count] = Field(default_factory=dict)
    profiles: dict[str, ProfileExpectation] = Field(default_factory=dict)

    @classmethod
    def load(cls, path: Path, journey: Journey) -> "Expectations":
        """Read and check an expectations file against the journey (ExpectError names each problem)."""
        where = f"expectations file {path}"
        try:
            data = parse_json(Path(path).read_text("utf-8"))
        except FileNotFoundError:
            raise ExpectError(f"{where}: no such file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ExpectError(f"{where}: cannot be read ({exc})") from None
        except JsonError as exc:
            raise ExpectError(f"{where}: not valid JSON: line {exc.line}, column {exc.column}: {exc.message}") from None
        if not isinstance(data, dict):
            raise ExpectError(f"{where}: expected a JSON object with outcomes, nodes, edges or profiles")
        try:
            found = cls.model_validate(data)
        except ValidationError as exc:
            raise ExpectError(f"{where}: " + "; ".join(
                f"{format_loc(tuple(e['loc']), '') or 'the file'}: {e['msg']}" for e in exc.errors())) from None
        problems = found.problems(journey)
        if problems:
            raise ExpectError(f"{where}: " + "; ".join(problems))
        return found

    def problems(self, journey: Journey) -> list[str]:
        """Names that do not fit the journey: another journey, unknown nodes, outcomes or edges."""
        out = []
        if self.journey is not None and self.journey != journey.name:
            out.append(f"journey: it is for {self.journey!r}, not {journey.name!r}")
        nodes = {n.id for n in journey.nodes}
        links = {(source, e.target) for source, edges in graph.edges(journey).items() for e in edges}
        out += [f"outcomes.{k}: unknown outcome; one of {', '.join(OUTCOMES)}"
                for k in self.outcomes if k not in OUTCOMES]
        out += [f"nodes.{k}: no node {k!r} in {journey.name}" for k in self.nodes if k not in nodes]
        for key in self.edges:
            source, sep, target = (p.strip() for p in key.partition(PATH_SEPARATOR))
            if not sep or not source or not target:
                out.append(f"edges.{key}: write an edge as FROM>TO (node ids)")
            elif (source, target) not in links:
                out.append(f"edges.{key}: no edge from {source!r} to {target!r} in {journey.name}")
        return out


@dataclass(frozen=True)
class CountCheck:
    kind: str  # outcomes, nodes or edges
    key: str
    expected: str
    actual: int
    ok: bool


@dataclass(frozen=True)
class Mismatch:
    row: Optional[int]  # None: the profile is not in the run
    profile_id: Optional[str]
    what: str  # path, outcome, end, or presence
    expected: Any
    actual: Any

    def __str__(self) -> str:
        who = f"profile {self.profile_id}" + (f" (row {self.row})" if self.row is not None else "")
        return f"{who}: {self.what} expected {_shown(self.expected)}, got {_shown(self.actual)}"


@dataclass
class ExpectReport:
    counts: list[CountCheck] = field(default_factory=list)
    profiles_checked: int = 0
    profiles_failed: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)  # the first LISTED
    mismatch_total: int = 0
    verdicts: dict[int, bool] = field(default_factory=dict)  # input row -> passed, for each row checked

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.counts) and self.mismatch_total == 0

    @property
    def checked(self) -> bool:
        return bool(self.counts) or self.profiles_checked > 0

    def to_dict(self) -> dict[str, Any]:
        return {"passed": self.ok, "counts": [{"kind": c.kind, "key": c.key, "expected": c.expected,
                                               "actual": c.actual, "passed": c.ok} for c in self.counts],
                "profiles": {"checked": self.profiles_checked, "passed": self.profiles_checked - self.profiles_failed,
                             "failed": self.profiles_failed},
                "mismatches": [{"row": m.row, "profileId": m.profile_id, "what": m.what, "expected": _json(m.expected),
                                "actual": _json(m.actual)} for m in self.mismatches],
                "mismatchTotal": self.mismatch_total}

    def lines(self) -> list[str]:
        failed = [c for c in self.counts if not c.ok]
        lines = [f"expectations: {'passed' if self.ok else 'FAILED'}: {len(self.counts) - len(failed)} of "
                 f"{len(self.counts)} counts, {self.profiles_checked - self.profiles_failed} of "
                 f"{self.profiles_checked} profiles"]
        lines += [f"  {c.kind} {c.key}: expected {c.expected}, got {c.actual}" for c in failed]
        lines += [f"  {m}" for m in self.mismatches]
        if self.mismatch_total > len(self.mismatches):
            lines.append(f"  ... {self.mismatch_total - len(self.mismatches)} more (--json lists {LISTED})")
        return lines


def check(run: Path, journey: Journey, expectations: Optional[Expectations],
          rows: Optional[Mapping[int, Expected]] = None) -> ExpectReport:
    """The run's trace against the file's expectations and the per-row ones (by input row)."""
    report, rows = ExpectReport(), rows or {}
    exp = expectations or Expectations()
    with TraceReader(run) as reader:
        outcomes, nodes, edges = reader.outcomes(), reader.node_counts(), reader.edge_counts()
    targets = {(source, e.port): e.target for source, out in graph.edges(journey).items() for e in out}
    links: dict[str, int] = {}
    for (node, port), n in edges.items():
        key = f"{node}{PATH_SEPARATOR}{targets.get((node, port), '?')}"
        links[key] = links.get(key, 0) + n
    for kind, wanted, actual in (("outcomes", exp.outcomes, outcomes), ("nodes", exp.nodes, nodes),
                                 ("edges", {_edge_key(k): v for k, v in exp.edges.items()}, links)):
        for key, count in wanted.items():
            n = actual.get(key, 0)
            report.counts.append(CountCheck(kind, key, str(count), n, _holds(count, n)))
    if exp.profiles or rows:
        _check_profiles(run, exp, rows, report)
    return report


def _check_profiles(run: Path, exp: Expectations, rows: Mapping[int, Expected], report: ExpectReport) -> None:
    by_id = {k: v.expected() for k, v in exp.profiles.items()}
    seen: set[str] = set()
    db = runsql.connect(run)
    try:
        for entry in runsql.profiles(db):
            pid = entry.profile_id or ""
            first = pid in by_id and pid not in seen  # a profile entering again: its first entry is checked
            wanted = [e for e in (rows.get(entry.row), by_id[pid] if first else None) if e is not None]
            if not wanted:
                continue
            if first:
                seen.add(pid)
            found = [m for e in wanted for m in _compare(entry, e)]
            report.profiles_checked += 1
            report.profiles_failed += bool(found)
            report.verdicts[entry.row] = not found
            for m in found:
                _add(report, m)
    finally:
        db.close()
    for pid in by_id.keys() - seen:
        report.profiles_checked += 1
        report.profiles_failed += 1
        _add(report, Mismatch(None, pid, "presence", "in the run", "not in the run"))


def _compare(entry: runsql.ProfileEnd, e: Expected) -> list[Mismatch]:
    out = []
    if e.path is not None and e.path != entry.path:
        out.append(Mismatch(entry.row, entry.profile_id, "path", e.path, entry.path))
    if e.outcome is not None and e.outcome != entry.outcome:
        out.append(Mismatch(entry.row, entry.profile_id, "outcome", e.outcome, entry.outcome))
    if e.end is not None and e.end != entry.end:
        out.append(Mismatch(entry.row, entry.profile_id, "end", e.end, entry.end))
    return out


def _add(report: ExpectReport, m: Mismatch) -> None:
    report.mismatch_total += 1
    if len(report.mismatches) < LISTED:
        report.mismatches.append(m)


def _edge_key(key: str) -> str:
    source, _, target = key.partition(PATH_SEPARATOR)
    return f"{source.strip()}{PATH_SEPARATOR}{target.strip()}"


def _json(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        return PATH_SEPARATOR.join(value) or "(no step)"
    return str(value)
