"""Crash-safe file writes: temp file in the same folder, fsync, rename, fsync the folder.

Temp files are named `.<file>.<pid>.<random>.tmp`: the writer's pid tells a leftover of a killed
process (removed when the workspace is opened, see app.recovery) from a write in progress.
"""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterator, Optional, TextIO


def write_bytes(path: Path, data: bytes) -> None:
    with _in_place(path, "wb") as handle:
        handle.write(data)


def writer_pid(temp_name: str) -> Optional[int]:
    """The pid in a temp file's name, None for a name not made by write_bytes."""
    parts = temp_name[: -len(".tmp")].rsplit(".", 2)
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None


def write_json(path: Path, data: Any) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    write_bytes(path, text.encode("utf-8"))


def _fsync_dir(folder: Path) -> None:
    # Without this the rename itself may be lost on power failure (POSIX only).
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def streamed_text(path: Path) -> Iterator[TextIO]:
    """A text file written as it goes (exports of any size) and put in place only when complete:
    an interrupted write leaves the previous file, never half of a new one."""
    with _in_place(path, "w", encoding="utf-8", newline="") as handle:
        yield handle


@contextlib.contextmanager
def _in_place(path: Path, mode: str, **text: Any) -> Iterator[Any]:
    """A temp file beside `path` (its name carries this pid: see writer_pid), flushed to disk and
    renamed over `path` once the block is done; removed, and `path` untouched, if the block fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **text) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(path.parent)
