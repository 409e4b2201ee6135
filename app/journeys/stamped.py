"""A journey file with its stamp: read together, and saved only over the version it was read as.

As for actions (app.store_writes), a save checks, under the workspace lock, that the file still
has the stamp it had when it was opened; a file changed or deleted meanwhile (the command line,
an editor, another window, an action renamed in it) is not overwritten: the save returns a
`Refused` with what is on disk now, and the window asks what to keep. The stamp is a content
hash (two writes within the file system's clock tick still differ)."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from app.journeys.files import JourneyFileError, journey_path, parse_journey, save_journey
from app.journeys.model import Journey


@dataclass(frozen=True)
class Saved:
    path: Path
    stamp: Optional[str]  # the file's stamp right after the write: the next save checks it


@dataclass(frozen=True)
class Refused:
    """The file was `changed` or `deleted` since it was opened; `theirs` is its text now."""

    name: str
    kind: str
    theirs: Optional[str]


def stamp_of(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_stamp(path: Path) -> Optional[str]:
    """The stamp of the file as it is now (None when it is not there)."""
    try:
        return stamp_of(Path(path).read_bytes())
    except FileNotFoundError:
        return None


def load_stamped(path: Path) -> tuple[Journey, str]:
    """The journey and the stamp of the very bytes it was read from; JourneyFileError as load_file."""
    try:
        data = Path(path).read_bytes()
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JourneyFileError(str(path), [f"not UTF-8 text (byte {exc.start})"]) from None
    except OSError as exc:
        raise JourneyFileError(str(path), [exc.strerror or str(exc)]) from None
    return parse_journey(text, str(path)), stamp_of(data)


def save_checked(workspace: Any, journey: Journey, path: Path, expected: Optional[str],
                 force: bool = False) -> Saved | Refused:
    """Write `journey` (atomically; a new name renames the file) unless the file opened as `path`
    no longer has the stamp `expected`. `force`: write whatever is there (the user chose theirs)."""
    with workspace.locked():
        if not force and file_stamp(path) != expected:
            theirs = _text(path)
            return Refused(Path(path).stem, "deleted" if theirs is None else "changed", theirs)
        target = journey_path(workspace.home, journey.name)
        if target.exists() and not _same(target, Path(path)):
            raise ValueError(f"a journey named {journey.name!r} already exists ({target.name}): choose another name")
        written = save_journey(workspace.home, journey, Path(path).stem)
        return Saved(written, file_stamp(written))


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _text(path: Path) -> Optional[str]:
    try:
        return Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
