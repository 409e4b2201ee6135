"""The suite's temporary files in memory (a tmpfs) where the machine has one with room to spare.

A test run makes ~12,000 files and folders (~200 MB: workspaces, histories, journey runs) in pytest's
temp folder, and pytest deletes the tree of the run three runs back as the run ends. On a disk
(ext4, /tmp here) every one of those is journalled and each SQLite commit and atomic write syncs to
the disk: the suite spent ~3.5 s of its ~14 s of system time creating, syncing and deleting them,
the deletion at the very end, in the xdist controller, after every worker has finished. On a tmpfs
the same calls run the same code (the product's fsync and rename are still called, they just find
nothing to flush), for a fraction of the kernel's time.

Registered by the root conftest (pytest_plugins). In the controller (or a run without workers),
before anything is made: TMPDIR is pointed at the tmpfs, so pytest's basetemp, the output captures,
the fork servers' sockets and every `tempfile` of the tests and of their child processes go there
(the workers and their children inherit the environment). Left alone where the person running the
tests chose: TMPDIR set, or --basetemp given.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Optional

import pytest

MEMORY = Path("/dev/shm")  # Linux's tmpfs that every user may write to (sticky, as /tmp is)
ROOM = 2 << 30  # bytes free it must have: a run takes ~200 MB, and pytest keeps the last three runs' trees


def memory_folder(candidate: Path = MEMORY, room: int = ROOM) -> Optional[Path]:
    """`candidate` when it is a folder this user can write to with `room` bytes free, else None (no
    such folder: another system, or a container with a small /dev/shm)."""
    try:
        stats = os.statvfs(candidate)
    except OSError:
        return None
    if not candidate.is_dir() or not os.access(candidate, os.W_OK | os.X_OK):
        return None
    return candidate if stats.f_bavail * stats.f_frsize >= room else None


def chosen_tmp(environ: Mapping[str, str], basetemp: Optional[str], candidate: Path = MEMORY,
               room: int = ROOM) -> Optional[Path]:
    """The folder to make TMPDIR, or None to leave the temp folder as it is."""
    if basetemp or environ.get("TMPDIR"):
        return None
    return memory_folder(candidate, room)


@pytest.hookimpl(tryfirst=True)  # before the root conftest's pytest_configure starts the workers' template
def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):  # an xdist worker: its environment came from the controller
        return
    folder = chosen_tmp(os.environ, config.option.basetemp)
    if folder is not None:
        os.environ["TMPDIR"] = str(folder)
        tempfile.tempdir = None  # gettempdir() reads TMPDIR again on its next call
