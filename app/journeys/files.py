"""Journey files in the workspace: `journeys/<name>.json`, pretty JSON written atomically.

Reading never moves or rewrites a file: a journey that does not load is listed with the reason
(file, line and column for bad JSON; node id and field for a bad node), so the user can fix it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from pydantic import ValidationError

from app import atomic
from app.journeys.model import NODE_TYPES, Journey
from app.model.base import format_loc
from app.model.payload import JsonError, parse_json

FOLDER = "journeys"


class JourneyFileError(ValueError):
    """A journey file that cannot be read or loaded; `problems` lists each reason."""

    def __init__(self, where: str, problems: list[str]) -> None:
        self.where, self.problems = where, problems
        super().__init__(f"{where}: " + "; ".join(problems))


@dataclass(frozen=True)
class JourneyEntry:
    """One file of the journeys folder: the journey, or why it does not load."""

    name: str
    path: Path
    journey: Optional[Journey]
    problem: Optional[str] = None


def journeys_dir(home: Path) -> Path:
    return Path(home) / FOLDER


def journey_path(home: Path, name: str) -> Path:
    return journeys_dir(home) / f"{name}.json"


def parse_journey(text: str, where: str = "journey") -> Journey:
    """A journey from JSON text, or JourneyFileError naming the line and column or the node."""
    try:
        data = parse_json(text.removeprefix("\ufeff"))
    except JsonError as exc:
        problem = f"not valid JSON: line {exc.line}, column {exc.column}: {exc.message}"
        raise JourneyFileError(where, [problem]) from None
    if not isinstance(data, dict):
        raise JourneyFileError(where, ["a journey file must hold a JSON object"])
    try:
        return Journey.model_validate(data)
    except ValidationError as exc:
        raise JourneyFileError(where, error_lines(exc, data)) from None


def load_file(path: Path) -> Journey:
    try:
        text = Path(path).read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise JourneyFileError(str(path), [f"not UTF-8 text (byte {exc.start})"]) from None
    except OSError as exc:
        raise JourneyFileError(str(path), [exc.strerror or str(exc)]) from None
    return parse_journey(text, str(path))


def find_path(home: Path, name: str) -> Optional[Path]:
    """The file of the journey called `name` (its file name, else the name inside), or None."""
    direct = journey_path(home, name)
    if direct.is_file():
        return direct
    for entry in list_journeys(home):
        if entry.name.lower() == name.lower():
            return entry.path
    return None


def load_journey(home: Path, name: str) -> Journey:
    path = find_path(home, name)
    if path is None:
        known = ", ".join(e.name for e in list_journeys(home)) or "none"
        raise JourneyFileError(name, [f"no journey named {name!r} in this workspace (known: {known})"])
    return load_file(path)


def list_journeys(home: Path) -> list[JourneyEntry]:
    """Every journey file, sorted by name; a file that does not load comes with its problem."""
    folder = journeys_dir(home)
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.json")):
        if path.name.startswith("."):
            continue
        try:
            journey = load_file(path)
            out.append(JourneyEntry(journey.name, path, journey))
        except JourneyFileError as exc:
            out.append(JourneyEntry(path.stem, path, None, "; ".join(exc.problems)))
    return sorted(out, key=lambda e: e.name.lower())


def save_journey(home: Path, journey: Journey, previous_name: Optional[str] = None) -> Path:
    """Write atomically as `<name>.json`; a rename writes the new file before removing the old."""
    path = journey_path(home, journey.name)
    atomic.write_json(path, journey.dump())
    if previous_name and previous_name != journey.name:
        old = journey_path(home, previous_name)
        # On a case-insensitive file system old and new may be the same file.
        if old.exists() and not os.path.samefile(old, path):
            old.unlink()
    return path


def error_lines(exc: ValidationError, data: dict[str, Any]) -> list[str]:
    """Each pydantic error as 'where: reason', a node named by its index and id, without the
    union tag pydantic puts in the location (`nodes[1].action.next` is `nodes[1] (id 'x').next`)."""
    found = data.get("nodes")
    nodes = found if isinstance(found, list) else []
    lines = []
    for err in exc.errors():
        loc = list(err["loc"])
        if len(loc) >= 3 and loc[0] == "nodes" and isinstance(loc[1], int) and loc[2] in NODE_TYPES:
            del loc[2]
        where = format_loc(tuple(loc)) if loc else "journey"
        if len(loc) >= 2 and loc[0] == "nodes" and isinstance(loc[1], int) and loc[1] < len(nodes):
            node = nodes[loc[1]]
            node_id = node.get("id") if isinstance(node, dict) else None
            if isinstance(node_id, str):
                where = where.replace(f"nodes[{loc[1]}]", f"nodes[{loc[1]}] (id {node_id!r})", 1)
        msg = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        lines.append(f"{where}: {msg}")
    return lines
