"""The workspace folder: actions, journeys and environments as pretty JSON files.

Writes are atomic; a file that cannot be read is moved to `broken/` and reported, never deleted
or overwritten. The action list comes from a small index (`.index.json`) keyed by file size and
mtime, so a 10,000-action workspace opens without parsing 10,000 files every time.
"""
from __future__ import annotations

import json
import os
import shutil
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

from pydantic import ValidationError

from app import atomic
from app.model import Action, EnvironmentSet, JsonError, error_lines, parse_json
from app.model.action import now

INDEX = ".index.json"
INDEX_VERSION = 2


class StoreError(Exception):
    """A workspace operation was refused; the message says what and why."""


@dataclass(frozen=True)
class ActionSummary:
    """What the action list shows, without loading the whole action."""

    name: str
    description: str
    method: str
    auth: str
    modified: str
    url: str


@dataclass
class Workspace:
    home: Path
    problems: list[str] = field(default_factory=list)
    _summaries: Optional[dict[str, ActionSummary]] = None
    _lock: threading.RLock = field(default_factory=threading.RLock)

    @classmethod
    def open(cls, home: Path) -> "Workspace":
        home = Path(home)
        for sub in ("actions", "journeys"):
            (home / sub).mkdir(parents=True, exist_ok=True)
        return cls(home=home)

    @property
    def actions_dir(self) -> Path:
        return self.home / "actions"

    @property
    def journeys_dir(self) -> Path:
        return self.home / "journeys"

    def action_path(self, name: str) -> Path:
        return self.actions_dir / f"{name}.json"

    # -- listing -----------------------------------------------------------------------------
    def summaries(self) -> list[ActionSummary]:
        """Every action, sorted by name; unreadable files are set aside and reported."""
        with self._lock:
            if self._summaries is None:
                self._summaries = self._scan()
            return sorted(self._summaries.values(), key=lambda s: s.name.lower())

    def names(self) -> list[str]:
        return [s.name for s in self.summaries()]

    def exists(self, name: str) -> bool:
        return self.find_name(name) is not None

    def find_name(self, name: str) -> Optional[str]:
        """The stored name matching `name` case-insensitively (file systems may fold case)."""
        self.summaries()
        assert self._summaries is not None
        return next((n for n in self._summaries if n.lower() == name.lower()), None)

    def _scan(self) -> dict[str, ActionSummary]:
        index = self._read_index()
        fresh: dict[str, Any] = {}
        out: dict[str, ActionSummary] = {}
        for entry in os.scandir(self.actions_dir):
            if not entry.name.endswith(".json") or entry.name.startswith("."):
                continue
            st = entry.stat()
            key = [st.st_mtime_ns, st.st_size]
            cached = index.get(entry.name)
            if cached and cached[0] == key:
                summary = ActionSummary(**cached[1])
            else:
                summary = self._summarise(Path(entry.path))
                if summary is None:
                    continue
            fresh[entry.name] = [key, summary.__dict__]
            out[summary.name] = summary
        if fresh != index:
            self._write_index(fresh)
        return out

    def _summarise(self, path: Path) -> Optional[ActionSummary]:
        action = self._read_action_file(path)
        if action is None:
            return None
        return _summary_of(action)

    def _read_index(self) -> dict[str, Any]:
        try:
            data = json.loads((self.home / INDEX).read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}

    def _write_index(self, entries: dict[str, Any]) -> None:
        try:
            atomic.write_json(self.home / INDEX, {"version": INDEX_VERSION, "entries": entries})
        except OSError:
            pass  # the index is only a cache; a read-only workspace still works

    # -- reading -----------------------------------------------------------------------------
    def load(self, name: str) -> Action:
        stored = self.find_name(name)
        if stored is None:
            raise StoreError(f"no action named {name!r} in this workspace")
        action = self._read_action_file(self.action_path(stored))
        if action is None:
            self._forget(stored)
            raise StoreError(self.problems[-1])
        return action

    def load_all(self) -> list[Action]:
        return [self.load(n) for n in self.names()]

    def _read_action_file(self, path: Path) -> Optional[Action]:
        try:
            return Action.model_validate(parse_json(path.read_text("utf-8")))
        except JsonError as exc:
            reason = f"not valid JSON: {exc}"
        except UnicodeDecodeError as exc:
            reason = f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        except ValidationError as exc:
            reason = _validation_reason(exc)
        except OSError as exc:
            reason = f"cannot be read ({exc.strerror})"
        self.set_aside(path, reason)
        return None

    def set_aside(self, path: Path, reason: str) -> Path:
        """Move an unreadable file to broken/ (never delete it) and record why."""
        broken = self.home / "broken"
        broken.mkdir(exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        target = broken / f"{path.name}.{stamp}"
        n = 1
        while target.exists():
            n += 1
            target = broken / f"{path.name}.{stamp}.{n}"
        try:
            shutil.move(str(path), target)
            where = f"moved to {target.relative_to(self.home)}"
        except OSError as exc:
            where = f"could not be moved aside ({exc.strerror}); left in place"
        self.problems.append(f"{path.relative_to(self.home)}: {reason}; {where}")
        return target

    # -- writing -----------------------------------------------------------------------------
    def save(self, action: Action, previous_name: Optional[str] = None) -> Action:
        """Write an action (atomically). A rename writes the new file before removing the old."""
        with self._lock:
            clash = self.find_name(action.name)
            if clash is not None and clash != previous_name:
                clash_id = self._id_of(clash)
                if clash_id != action.id:
                    raise StoreError(f"an action named {clash!r} already exists; names must be unique")
            action = action.model_copy(update={"modified": now()})
            atomic.write_json(self.action_path(action.name), action.dump())
            if previous_name and previous_name != action.name:
                old, new = self.action_path(previous_name), self.action_path(action.name)
                # On a case-insensitive file system old and new may be the same file.
                if old.exists() and not os.path.samefile(old, new):
                    old.unlink()
                self._forget(previous_name)
            assert self._summaries is not None
            self._summaries[action.name] = _summary_of(action)
            return action

    def delete(self, name: str) -> Action:
        """Remove an action; returns it so the caller can offer undo."""
        with self._lock:
            action = self.load(name)
            self.action_path(action.name).unlink()
            self._forget(action.name)
            return action

    def _forget(self, name: str) -> None:
        if self._summaries is not None:
            self._summaries.pop(name, None)

    def _id_of(self, name: str) -> Optional[str]:
        try:
            return json.loads(self.action_path(name).read_text("utf-8")).get("id")
        except (OSError, ValueError, AttributeError):
            return None

    def unique_name(self, base: str) -> str:
        """A free name derived from base (for duplicates and imports), within 30 characters."""
        if not self.exists(base):
            return base
        for n in range(2, 100000):
            suffix = f"_{n}"
            candidate = base[: 30 - len(suffix)] + suffix
            if not self.exists(candidate):
                return candidate
        raise StoreError("no free name left")

    # -- environments ------------------------------------------------------------------------
    def environments(self) -> EnvironmentSet:
        path = self.home / "environments.json"
        if not path.exists():
            return EnvironmentSet()
        try:
            return EnvironmentSet.model_validate_json(path.read_text("utf-8"))
        except (ValidationError, OSError, UnicodeDecodeError) as exc:
            reason = _validation_reason(exc) if isinstance(exc, ValidationError) else str(exc)
            self.set_aside(path, reason)
            return EnvironmentSet()

    def save_environments(self, envs: EnvironmentSet) -> None:
        atomic.write_json(self.home / "environments.json", envs.dump())

    # -- journeys (the used-in hook) ---------------------------------------------------------
    def journeys(self) -> dict[str, dict[str, Any]]:
        """Journey documents by name; unreadable ones are set aside."""
        out = {}
        for path in sorted(self.journeys_dir.glob("*.json")):
            try:
                data = json.loads(path.read_text("utf-8"))
                if not isinstance(data, dict):
                    raise ValueError("a journey file must hold a JSON object")
            except (OSError, ValueError) as exc:
                self.set_aside(path, str(exc))
                continue
            out[str(data.get("name") or path.stem)] = data
        return out

    def used_in(self) -> dict[str, list[str]]:
        """For each action name, the journeys whose nodes call it."""
        usage: dict[str, list[str]] = {}
        for journey, data in self.journeys().items():
            for node in data.get("nodes", []) if isinstance(data.get("nodes"), list) else []:
                action = node.get("action") if isinstance(node, dict) else None
                if isinstance(action, str) and journey not in usage.setdefault(action, []):
                    usage[action].append(journey)
        return usage


def _summary_of(action: Action) -> ActionSummary:
    return ActionSummary(
        name=action.name,
        description=action.description,
        method=action.endpoint.method,
        auth=action.auth.type,
        modified=action.modified.isoformat(),
        url=action.endpoint.url,
    )


def _validation_reason(exc: ValidationError) -> str:
    lines = error_lines(exc)
    return "; ".join(lines[:5]) + (f" (and {len(lines) - 5} more)" if len(lines) > 5 else "")
