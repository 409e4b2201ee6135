"""The workspace folder: actions, journeys and environments as pretty JSON files.

Writes are atomic; a file that cannot be read is moved to `broken/` and reported, never deleted
or overwritten. The action list comes from a small index (`.index.json`, app.listing) keyed by file size and
mtime, so a 10,000-action workspace opens without parsing 10,000 files every time.

Several processes (the window, the command line) may share a workspace: every write that checks
before it writes (unique names, renames, imports, saves against a stamp) runs under the workspace
lock, and multi-file writes are journaled (app.recovery) so a kill never leaves half of one.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Optional

from pydantic import ValidationError

from app import atomic, listing, recovery
from app.listing import ActionSummary
from app.model import Action, EnvironmentSet, JsonError, error_lines, parse_json
from app.store_errors import BrokenFileError, BusyError, ConflictError, InUseError, StoreError
from app.store_writes import UNCHECKED, ActionWrites
from app.unknown_fields import carry_from_file, describe, validate_keeping_unknown
from app.workspace_lock import WorkspaceLock

__all__ = ["UNCHECKED", "ActionSummary", "BrokenFileError", "BusyError", "ConflictError", "InUseError", "StoreError",
           "Workspace"]

ENVIRONMENTS = "environments.json"


def summary_of(action: Action) -> ActionSummary:
    """The list's row of an action (the one place it is made: the store's index and the window's edits)."""
    return ActionSummary(
        name=action.name,
        description=action.description,
        method=action.endpoint.method,
        auth=action.auth.type,
        modified=action.modified.isoformat(),
        url=action.endpoint.url,
    )


@dataclass
class Workspace(ActionWrites):
    home: Path
    problems: list[str] = field(default_factory=list)
    _summaries: Optional[dict[str, ActionSummary]] = None
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _workspace_lock: Optional[WorkspaceLock] = None

    @classmethod
    def open(cls, home: Path) -> "Workspace":
        home = Path(home)
        for sub in ("actions", "journeys"):
            (home / sub).mkdir(parents=True, exist_ok=True)
        ws = cls(home=home)
        ws._repair_on_open()
        return ws

    @property
    def actions_dir(self) -> Path:
        return self.home / "actions"

    @property
    def journeys_dir(self) -> Path:
        return self.home / "journeys"

    def action_path(self, name: str) -> Path:
        return self.actions_dir / f"{name}.json"

    # -- the lock and crash repairs --------------------------------------------------------------
    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the workspace lock (re-entrant); what a killed process left half done is repaired first."""
        if self._workspace_lock is None:
            self._workspace_lock = WorkspaceLock(self.home)
        with self._workspace_lock.held() as outermost:
            if outermost:
                self._repair()
            yield

    def _repair(self) -> None:
        notes = recovery.repair(self.home)
        if notes:
            self.problems.extend(notes)
            self.refresh()

    def _repair_on_open(self) -> None:
        """Finish or undo interrupted operations, remove abandoned temp files. Skipped when the
        lock cannot be had at once (its holder repairs) or at all (a read-only workspace still reads)."""
        folders = listing.workspace_folders(self.home)
        if not recovery.needs_repair(self.home, folders):
            return  # the usual case: no lock taken, filelock not even imported
        self._workspace_lock, default = WorkspaceLock(self.home, timeout=0), self._workspace_lock
        try:
            with self.locked():
                recovery.clean_temp_files(folders)
        except StoreError:
            pass
        finally:
            self._workspace_lock = default

    def refresh(self) -> None:
        """Forget the cached list (another process may have changed the folder)."""
        with self._lock:
            self._summaries = None

    def _remember(self, *actions: Action) -> None:
        with self._lock:
            if self._summaries is not None:
                self._summaries.update((a.name, summary_of(a)) for a in actions)

    def _forget(self, name: str) -> None:
        with self._lock:
            if self._summaries is not None:
                self._summaries.pop(name, None)

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
        with self._lock:
            found = self._cached_name(name)
            if found is None and self._disk_name(name) is not None:
                self._summaries = None  # written by another process since the list was read
                found = self._cached_name(name)
            return found

    def _cached_name(self, name: str) -> Optional[str]:
        self.summaries()
        assert self._summaries is not None
        return next((n for n in self._summaries if n.lower() == name.lower()), None)

    def _disk_name(self, name: str) -> Optional[str]:
        """The name of the action file matching `name` case-insensitively, read from the folder now."""
        wanted = f"{name}.json".lower()
        try:
            return next((n[:-5] for n in os.listdir(self.actions_dir) if n.lower() == wanted), None)
        except FileNotFoundError:
            return None

    def _disk_names(self) -> set[str]:
        return {n[:-5].lower() for n in os.listdir(self.actions_dir) if n.endswith(".json") and not n.startswith(".")}

    def _scan(self) -> dict[str, ActionSummary]:
        return listing.scan(self.home, self._summary_of_file)

    def _summary_of_file(self, path: Path) -> Optional[ActionSummary]:
        action = self._read_action_file(path)
        return None if action is None else summary_of(action)

    # -- reading -----------------------------------------------------------------------------
    def load(self, name: str) -> Action:
        return self.load_stamped(name)[0]

    def load_stamped(self, name: str) -> tuple[Action, str]:
        """The action and the stamp of the file it was read from (for `save(..., expected=stamp)`)."""
        stored = self.find_name(name)
        if stored is None:
            raise StoreError(f"no action named {name!r} in this workspace")
        path = self.action_path(stored)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            self.refresh()
            raise StoreError(f"no action named {name!r} in this workspace (it was just deleted)") from None
        except OSError as exc:
            raise StoreError(f"{path.relative_to(self.home)}: cannot be read ({exc.strerror})") from None
        action = self._read_action_file(path, data)
        if action is None:
            self._forget(stored)
            raise StoreError(self.problems[-1])
        return action, _stamp_of(data)

    def stamp(self, name: str) -> Optional[str]:
        """An opaque fingerprint of the action's file as it is on disk now (None when absent)."""
        stored = self._disk_name(name)
        if stored is None:
            return None
        try:
            return _stamp_of(self.action_path(stored).read_bytes())
        except FileNotFoundError:
            return None

    def load_all(self) -> list[Action]:
        return [self.load(n) for n in self.names()]

    def _read_action_file(self, path: Path, data: Optional[bytes] = None) -> Optional[Action]:
        try:
            text = (path.read_bytes() if data is None else data).decode("utf-8")
            action, unknown = validate_keeping_unknown(Action, parse_json(text))
        except FileNotFoundError:
            return None  # removed by another process meanwhile: nothing to set aside
        except JsonError as exc:
            reason = f"not valid JSON: {exc}"
        except UnicodeDecodeError as exc:
            reason = f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        except ValidationError as exc:
            reason = _validation_reason(exc)
        except OSError as exc:
            reason = f"cannot be read ({exc.strerror})"
        else:
            if unknown:
                self._note(f"{path.relative_to(self.home)}: fields from a newer version ({describe(unknown)}) "
                           "are not used here and are kept in the file")
            return action
        self.set_aside(path, reason)
        return None

    def _note(self, problem: str) -> None:
        if problem not in self.problems:
            self.problems.append(problem)

    def set_aside(self, path: Path, reason: str) -> Path:
        """Move an unreadable file to broken/ (never delete it) and record why."""
        try:
            target = move_to_broken(self.home, path)
            where = f"moved to {target.relative_to(self.home)}"
        except OSError as exc:
            target, where = path, f"could not be moved aside ({exc.strerror}); left in place"
        self.problems.append(f"{path.relative_to(self.home)}: {reason}; {where}")
        return target

    # -- environments ------------------------------------------------------------------------
    def environments(self) -> EnvironmentSet:
        """The environments; a file that cannot be used raises BrokenFileError and stays in place."""
        path = self.home / ENVIRONMENTS
        try:
            text = path.read_bytes().decode("utf-8")
            envs, unknown = validate_keeping_unknown(EnvironmentSet, parse_json(text))
        except FileNotFoundError:
            return EnvironmentSet()
        except JsonError as exc:
            raise BrokenFileError(str(path), f"not valid JSON ({exc})") from None
        except UnicodeDecodeError as exc:
            raise BrokenFileError(str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        except ValidationError as exc:
            raise BrokenFileError(str(path), _validation_reason(exc)) from None
        except OSError as exc:
            raise BrokenFileError(str(path), f"cannot be read ({exc.strerror})") from None
        if unknown:
            self._note(f"{ENVIRONMENTS}: fields from a newer version ({describe(unknown)}) are not used here "
                       "and are kept in the file")
        return envs

    def save_environments(self, envs: EnvironmentSet) -> None:
        """Write the environments; a broken file it replaces is moved to broken/ first, never lost."""
        path = self.home / ENVIRONMENTS
        with self.locked():
            try:
                self.environments()
            except BrokenFileError as exc:
                self.set_aside(path, exc.reason)
            atomic.write_json(path, carry_from_file(EnvironmentSet, envs.dump(), path))

    # -- journeys (the used-in hook) ---------------------------------------------------------
    def journeys(self) -> dict[str, dict[str, Any]]:
        """Journey documents by name; unreadable ones are set aside."""
        out = {}
        for path in sorted(self.journeys_dir.glob("*.json")):
            try:
                data = json.loads(path.read_text("utf-8"))
                if not isinstance(data, dict):
                    raise ValueError("a journey file must hold a JSON object")
            except FileNotFoundError:
                continue
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


def move_to_broken(home: Path, *paths: Path) -> Path:
    """Move files to `home/broken/` under one time-stamped suffix (never deleting); the first's new path."""
    broken = Path(home) / "broken"
    broken.mkdir(exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    suffix, n = stamp, 1
    while (broken / f"{paths[0].name}.{suffix}").exists():
        n += 1
        suffix = f"{stamp}.{n}"
    for path in paths:
        if path.exists() or path == paths[0]:
            shutil.move(str(path), broken / f"{path.name}.{suffix}")
    return broken / f"{paths[0].name}.{suffix}"


def _stamp_of(data: bytes) -> str:
    # A content hash, not mtime: two writes within the file system's clock tick must differ.
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _validation_reason(exc: ValidationError) -> str:
    lines = error_lines(exc)
    return "; ".join(lines[:5]) + (f" (and {len(lines) - 5} more)" if len(lines) > 5 else "")
