"""Writing actions: saves checked against stamps, renames, unique names, imports, deletes.

A mixin of `app.store.Workspace`: each write that checks before it writes holds the workspace lock
for both, so two processes never both take a name or overwrite each other's change unknowingly.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Optional

from app import atomic, recovery
from app.model import Action
from app.model.action import now
from app.store_errors import ConflictError, InUseError, StoreError
from app.unknown_fields import carry_from_file


class _Unchecked:
    """The default of `expected`: save without comparing stamps."""

    def __repr__(self) -> str:
        return "UNCHECKED"


UNCHECKED: Any = _Unchecked()


class ActionWrites:
    if TYPE_CHECKING:  # what the writes use of app.store.Workspace, which defines them
        home: Path

        @property
        def journeys_dir(self) -> Path: ...
        def locked(self) -> ContextManager[None]: ...
        def action_path(self, name: str) -> Path: ...
        def stamp(self, name: str) -> Optional[str]: ...
        def load(self, name: str) -> Action: ...
        def used_in(self) -> dict[str, list[str]]: ...
        def refresh(self) -> None: ...
        def _disk_name(self, name: str) -> Optional[str]: ...
        def _disk_names(self) -> set[str]: ...
        def _remember(self, *actions: Action) -> None: ...
        def _forget(self, name: str) -> None: ...

    def save(self, action: Action, previous_name: Optional[str] = None, *, expected: Any = UNCHECKED) -> Action:
        """Write an action atomically, under the workspace lock.

        expected: the stamp the file had when loaded (ConflictError "changed"/"deleted" if it no
        longer has it), or None for a new action (ConflictError "exists" if the name is taken).
        A rename (previous_name differs) also renames the action in the journeys that call it,
        and refuses a name taken by another action.
        """
        with self.locked():
            source = self._disk_name(previous_name or action.name)
            self._check_expected(previous_name or action.name, source, expected)
            self._check_clash(action, previous_name)
            action = action.model_copy(update={"modified": now()})
            data = self._with_unknown_fields(action.dump(), source)
            if previous_name and previous_name != action.name:
                self._rename(action, data, source or previous_name)
            else:
                atomic.write_json(self.action_path(action.name), data)
            self._remember(action)
            return action

    def _check_expected(self, name: str, stored: Optional[str], expected: Any) -> None:
        if expected is UNCHECKED:
            return
        if expected is None:
            if stored is not None:
                raise ConflictError(stored, "exists")
            return
        current = self.stamp(stored) if stored else None
        if current is None:
            raise ConflictError(name, "deleted")
        if current != expected:
            raise ConflictError(name, "changed")

    def _check_clash(self, action: Action, previous_name: Optional[str]) -> None:
        """Another action already has this name (a plain save may overwrite its own file)."""
        clash = self._disk_name(action.name)
        if clash is None or (previous_name and clash.lower() == previous_name.lower()):
            return
        if previous_name or recovery.id_of(self.action_path(clash)) != action.id:
            raise ConflictError(clash, "exists")

    def _rename(self, action: Action, data: dict[str, Any], old: str) -> None:
        """Journaled: new file, journeys, old file removed; a kill in between is finished on the next lock."""
        recovery.begin(self.home, {"op": "rename", "from": old, "to": action.name, "id": action.id})
        atomic.write_json(self.action_path(action.name), data)
        recovery.rename_in_journeys(self.journeys_dir, old, action.name)
        old_path, new_path = self.action_path(old), self.action_path(action.name)
        # On a case-insensitive file system old and new may be the same file.
        if old_path.exists() and not os.path.samefile(old_path, new_path):
            old_path.unlink()
        recovery.done(self.home)
        self._forget(old)

    def _with_unknown_fields(self, data: dict[str, Any], source: Optional[str]) -> dict[str, Any]:
        """The fields a newer version wrote into the file being replaced, carried over."""
        return carry_from_file(Action, data, self.action_path(source)) if source else data

    def update(self, name: str, change: Callable[[Action], Action]) -> Action:
        """Read, change and save an action in one locked step (no other process's save is lost)."""
        with self.locked():
            action = self.load(name)
            return self.save(change(action), previous_name=action.name)

    def create_unique(self, action: Action) -> Action:
        """Save a new action under its name, or the first free name derived from it (one locked step)."""
        with self.locked():
            name = _free_name(action.name, self._disk_names())
            return self.save(action.model_copy(update={"name": name}), expected=None)

    def create_many(self, actions: list[Action], rename: bool = False) -> list[Action]:
        """Save new actions all or nothing; with rename, clashing names get a free suffix, else
        ConflictError names every clash and nothing is written."""
        with self.locked():
            existing = self._disk_names()
            taken = set(existing)
            named: list[Action] = []
            clashes: list[str] = []
            twice: list[str] = []
            for action in actions:
                name = _free_name(action.name, taken) if rename else action.name
                if name.lower() in taken:
                    (clashes if name.lower() in existing else twice).append(action.name)
                taken.add(name.lower())
                named.append(action.model_copy(update={"name": name, "modified": now()}))
            if clashes or twice:
                parts = ([f"already in the workspace: {', '.join(clashes)}"] if clashes else []) + (
                    [f"more than once in the import: {', '.join(twice)}"] if twice else [])
                raise ConflictError((clashes or twice)[0], "exists", "; ".join(parts))
            self._write_all(named)
            self._remember(*named)
            return named

    def _write_all(self, actions: list[Action]) -> None:
        recovery.begin(self.home, {"op": "import", "files": {f"{a.name}.json": a.id for a in actions}})
        written = []
        try:
            for action in actions:
                atomic.write_json(self.action_path(action.name), action.dump())
                written.append(self.action_path(action.name))
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            recovery.done(self.home)
            raise
        recovery.done(self.home)

    def delete(self, name: str, *, expected: Any = UNCHECKED) -> Action:
        """Remove an action (refused while journeys call it); returns it so the caller can offer undo."""
        with self.locked():
            stored = self._disk_name(name)
            if stored is None and expected is UNCHECKED:
                self.refresh()
                raise StoreError(f"no action named {name!r} in this workspace")
            self._check_expected(name, stored, expected)
            assert stored is not None
            used = self.used_in().get(stored, [])
            if used:
                raise InUseError(stored, used)
            action = self.load(stored)
            self.action_path(stored).unlink()
            self._forget(stored)
            return action

    def unique_name(self, base: str) -> str:
        """A free name derived from base, within 30 characters. Only advice: another process may
        take it before it is used; create_unique/create_many choose and write in one locked step."""
        return _free_name(base, self._disk_names())


def _free_name(base: str, taken: set[str]) -> str:
    if base.lower() not in taken:
        return base
    for n in range(2, 100000):
        suffix = f"_{n}"
        candidate = base[: 30 - len(suffix)] + suffix
        if candidate.lower() not in taken:
            return candidate
    raise StoreError("no free name left")
