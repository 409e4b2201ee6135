"""Multi-file operations that survive a kill: a journal written first, repairs when the lock is next taken.

A rename writes the new file, renames the action in every journey that calls it, then removes the
old file; an import writes several files. Each is announced in `.journal.json` (atomically, under
the workspace lock) and the journal removed when done. Whoever takes the lock next and finds a
journal knows its writer died: a rename whose new file exists is finished, an import is undone
(all or nothing). Temp files of atomic writes whose writer is gone are removed when the workspace
is opened.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any, Iterator, Optional

from app import atomic

JOURNAL = ".journal.json"
# A temp file older than this is abandoned even if a process with its writer's pid exists (pid reuse).
STALE_TEMP_S = 24 * 3600
# Temp files named before the writer's pid was part of the name: abandoned after this long.
UNNAMED_TEMP_S = 60


def begin(home: Path, entry: dict[str, Any]) -> None:
    atomic.write_json(home / JOURNAL, entry)


def done(home: Path) -> None:
    try:
        (home / JOURNAL).unlink()
    except FileNotFoundError:
        pass


def repair(home: Path) -> list[str]:
    """Finish or undo what a killed process left half done (call with the lock held); what was done."""
    path = home / JOURNAL
    try:
        entry = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        done(home)  # written atomically, so this is not ours: nothing can be replayed from it
        return [f"{JOURNAL}: unreadable, removed"]
    actions = home / "actions"
    if entry.get("op") == "rename":
        notes = _finish_rename(actions, home / "journeys", entry)
    elif entry.get("op") == "import":
        notes = _undo_import(actions, entry)
    else:
        notes = []
    done(home)
    return notes


def _finish_rename(actions: Path, journeys: Path, entry: dict[str, Any]) -> list[str]:
    old, new = actions / f"{entry['from']}.json", actions / f"{entry['to']}.json"
    if id_of(new) != entry["id"]:
        return [f"an interrupted rename of {entry['from']} to {entry['to']} was undone; {entry['from']} is unchanged"]
    rename_in_journeys(journeys, entry["from"], entry["to"])
    if old.exists() and not os.path.samefile(old, new) and id_of(old) == entry["id"]:
        old.unlink()
    return [f"an interrupted rename of {entry['from']} to {entry['to']} was completed"]


def _undo_import(actions: Path, entry: dict[str, Any]) -> list[str]:
    removed = []
    for file_name, action_id in entry.get("files", {}).items():
        path = actions / file_name
        if id_of(path) == action_id:
            path.unlink()
            removed.append(path.stem)
    return [f"an interrupted import was undone (nothing of it is kept; removed: {', '.join(removed) or 'none'}); "
            "import the file again"]


def id_of(path: Path) -> Optional[str]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("id") if isinstance(data, dict) else None


def rename_in_journeys(journeys: Path, old: str, new: str) -> list[str]:
    """Point every journey node calling `old` at `new` (atomic writes); the journeys changed."""
    changed = []
    for path in sorted(journeys.glob("*.json")):
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            continue  # unreadable journeys are reported (and set aside) when read
        nodes = data.get("nodes") if isinstance(data, dict) else None
        hits = [n for n in nodes if isinstance(n, dict) and n.get("action") == old] if isinstance(nodes, list) else []
        for node in hits:
            node["action"] = new
        if hits:
            atomic.write_json(path, data)
            changed.append(str(data.get("name") or path.stem))
    return changed


def needs_repair(home: Path, folders: list[Path]) -> bool:
    """A journal, or a temp file of a writer that is gone (cheap: names and stats only)."""
    return (home / JOURNAL).exists() or any(_abandoned_temp_files(folders, time.time()))


def clean_temp_files(folders: list[Path]) -> int:
    """Remove temp files left by atomic writes whose writer is gone; how many."""
    removed = 0
    for path in list(_abandoned_temp_files(folders, time.time())):
        try:
            os.unlink(path)
            removed += 1
        except OSError:
            pass  # gone already, or a read-only folder: harmless
    return removed


def _abandoned_temp_files(folders: list[Path], now: float) -> Iterator[str]:
    for folder in folders:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if name.startswith(".") and name.endswith(".tmp") and _abandoned(os.path.join(folder, name), now):
                yield os.path.join(folder, name)


def _abandoned(path: str, now: float) -> bool:
    try:
        age = now - os.stat(path).st_mtime
    except OSError:
        return False
    pid = atomic.writer_pid(os.path.basename(path))
    if pid is None:
        return age > UNNAMED_TEMP_S
    return age > STALE_TEMP_S or (pid != os.getpid() and not _alive(pid))


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would send CTRL_C_EVENT there: rely on the age alone
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
