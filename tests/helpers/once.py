"""Read-only test inputs made once per test run, not once per xdist worker: the first worker to ask
makes one under a file lock in the run's shared temp folder and stores what it returns; the others
wait on the lock and read that back. A sample run costs ~0.3-0.45 s of CPU; four workers made each
one four times.

The folder is pytest's basetemp of this run (the controller's, that the workers' own folders are
inside), new for every run, so what an earlier run left is never read."""
from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path
from typing import Callable, TypeVar

import pytest
from filelock import FileLock

T = TypeVar("T")


def made_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], T]) -> T:
    """`make(folder)` run once for the whole test run in an empty `folder` of the run's temp folder
    (what it builds there is shared: the tests copy what they change); its value (picklable) is
    stored beside it and read back by every worker, the maker included, so all read the same."""
    folder = run_folder(factory) / name
    stored = folder.with_suffix(".pickle")
    with FileLock(f"{folder}.lock"):
        if not stored.is_file():
            shutil.rmtree(folder, ignore_errors=True)  # a maker that failed before left it half made
            folder.mkdir()
            value = make(folder)
            partial = stored.with_suffix(".partial")
            partial.write_bytes(pickle.dumps(value))
            partial.replace(stored)
        loaded: T = pickle.loads(stored.read_bytes())
        return loaded


def run_folder(factory: pytest.TempPathFactory) -> Path:
    """This test run's temp folder: xdist gives each worker a folder of its own inside the controller's."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
