"""The action list's rows (`ActionSummary`) and the index that keeps them (`.index.json`).

No pydantic here: the window lists a workspace from this module before the models are imported
(issue 14: start-up). An entry is keyed by the file's mtime and size and is either *checked* (made
from the validated action by `app.store`) or *unchecked* (read from the raw JSON by `quick_list`,
for a first paint; the store validates it, and sets the file aside when it is broken, before anyone
else sees it).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Optional

import orjson

INDEX = ".index.json"
INDEX_VERSION = 3  # 3: an entry may be unchecked ([key, summary, false])
METHODS = ("POST", "PUT", "GET")
AUTH_TYPES = ("none", "basic", "apiKey", "customAuthorization")

# A file's summary from its validated action (None: the file was broken and set aside).
Reader = Callable[[Path], Optional["ActionSummary"]]


@dataclass(frozen=True)
class ActionSummary:
    """What the action list shows, without loading the whole action."""

    name: str
    description: str
    method: str
    auth: str
    modified: str
    url: str


def workspace_folders(home: Path) -> list[Path]:
    """The folders atomic writes leave temp files in (what a repair on open looks at)."""
    return [home, home / "actions", home / "journeys"]


def scan(home: Path, read: Optional[Reader]) -> dict[str, ActionSummary]:
    """Every action's summary by name, from the index where the file did not change.

    With `read`, every entry is checked: files not in the index (or unchecked there) go through it.
    Without, a file not in the index gets a summary from its raw JSON (unchecked) and one that does
    not look like an action is left out for the checked scan to deal with.
    """
    index, stamp = _read_index(home)
    folder = _folder_stamp(home)  # before the scan: a file added meanwhile makes the next scan look
    fresh: dict[str, list[Any]] = {}
    out: dict[str, ActionSummary] = {}
    changed = False
    for entry in os.scandir(home / "actions"):
        if not entry.name.endswith(".json") or entry.name.startswith("."):
            continue
        try:
            st = entry.stat()
        except FileNotFoundError:
            continue  # removed by another process meanwhile
        key = [st.st_mtime_ns, st.st_size]
        cached: Any = index.get(entry.name)
        summary: Optional[ActionSummary]
        if _usable(cached, key, need_checked=read is not None):
            summary = ActionSummary(**cached[1])
            fresh[entry.name] = cached
            out[summary.name] = summary
            continue
        if read is not None:
            summary, checked = read(Path(entry.path)), True
        else:
            summary, checked = _quick_summary(entry.path), False
        if summary is None:
            continue
        fresh[entry.name] = [key, summary.__dict__] if checked else [key, summary.__dict__, False]
        out[summary.name] = summary
        changed = True
    if changed or len(fresh) != len(index) or stamp != folder:  # a new or changed file, one gone
        write_index(home, fresh, folder)
    return out


def _folder_stamp(home: Path) -> Optional[int]:
    try:
        return os.stat(home / "actions").st_mtime_ns
    except OSError:
        return None


def _unchanged_folder(home: Path) -> Optional[list[ActionSummary]]:
    """The index's rows when the actions folder was not written since (no file added, removed or
    renamed; every save here is a rename): no stat per file. An edit in place elsewhere is missed
    here and found by the checked scan that follows the first paint."""
    index, stamp = _read_index(home)
    if stamp is None or stamp != _folder_stamp(home):
        return None
    try:
        return list({s.name: s for s in (ActionSummary(**entry[1]) for entry in index.values())}.values())
    except (TypeError, IndexError, KeyError):
        return None  # an entry not as written here: scan


def quick_list(home: Path) -> Optional[list[ActionSummary]]:
    """The rows for a first paint, sorted by name, without validating what the index lacks; None
    when the workspace must be opened first (no actions folder yet, a repair pending)."""
    from app import recovery

    home = Path(home)
    if not (home / "actions").is_dir() or recovery.needs_repair(home, workspace_folders(home)):
        return None
    try:
        rows = _unchanged_folder(home) or list(scan(home, None).values())
    except OSError:
        return None  # the full open says what is wrong
    return sorted(rows, key=lambda s: s.name.lower())


def _usable(cached: Any, key: list[int], need_checked: bool) -> bool:
    if not (isinstance(cached, list) and len(cached) in (2, 3) and cached[0] == key and isinstance(cached[1], dict)):
        return False
    return not (need_checked and len(cached) == 3)


def _quick_summary(path: str) -> Optional[ActionSummary]:
    """What `app.store.summary_of` makes of a valid action, from the raw JSON; None when the file
    does not plainly hold one (the checked scan reads it and says what is wrong)."""
    try:
        with open(path, "rb") as file:  # not pathlib: its parsing costs as much as the read here
            data = _loads(file.read())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    endpoint, auth = data.get("endpoint", {}), data.get("auth", {})
    if not isinstance(endpoint, dict) or not isinstance(auth, dict):
        return None
    fields = (data.get("name"), data.get("description", ""), endpoint.get("method", "POST"),
              endpoint.get("url", "https://"), auth.get("type", "none"), data.get("modified"))
    if not all(isinstance(v, str) for v in fields):
        return None
    name, description, method, url, auth_type, modified = (str(v) for v in fields)
    try:
        stamp = datetime.fromisoformat(modified).isoformat()
    except ValueError:
        return None
    if method.upper() not in METHODS or auth_type not in AUTH_TYPES:
        return None
    return ActionSummary(name=name, description=description, method=method.upper(), auth=auth_type,
                         modified=stamp, url=url)


def read_index(home: Path) -> dict[str, Any]:
    return _read_index(home)[0]


def _read_index(home: Path) -> tuple[dict[str, Any], Optional[int]]:
    """The entries, and the actions folder's mtime when they were written (None: unknown)."""
    try:
        data = _loads((home / INDEX).read_bytes())
    except (OSError, ValueError):
        return {}, None
    if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
        return {}, None
    entries, folder = data.get("entries"), data.get("folder")
    return (entries if isinstance(entries, dict) else {}), (folder if isinstance(folder, int) else None)


def write_index(home: Path, entries: dict[str, Any], folder: Optional[int] = None) -> None:
    from app import atomic

    try:
        atomic.write_bytes(home / INDEX, _dumps({"version": INDEX_VERSION, "folder": folder, "entries": entries}))
    except OSError:
        pass  # the index is only a cache; a read-only workspace still works


# A cache read at every start: orjson reads and writes it 3-10x faster than json.
def _loads(data: bytes) -> Any:
    return orjson.loads(data)


def _dumps(data: Any) -> bytes:
    return orjson.dumps(data)
