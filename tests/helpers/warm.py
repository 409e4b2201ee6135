"""The caches every xdist worker reads at start, filled once by the controller before the workers
start: the compiled modules (app/, ui/, tools/, the tests' helpers), pytest's assert-rewritten test
modules and hypothesis's constants of the project's modules.

On a fresh clone (CI's every run) the workers made all of them for themselves, at once. CPU before the
first test on a fresh clone (no test selected), without -> with this: `-n 4` 27.3 -> 17.8 s, `-n 3`
21.2 -> 14.4 s (12.1 and 9.2 s with the caches filled); `-n 2` 11.8 -> 12.3 s, so it is left to two
workers (tests/conftest.py). Made here once: ~4.7 s (the rewrites 3.1, hypothesis 1.1, compiling 0.5);
with the caches already filled it costs ~0.05 s (a stat and a hash per file).

Where the workers are forked from a template (tests/helpers/workers.py), the controller fills only the
tests' caches (their rewritten pycs, which the template then loads: tests/helpers/preimport.py): the
template, started first, compiles the project's modules and reads their constants as it imports them,
at the same time on the other core, instead of after this.

pytest's and hypothesis's own functions make each entry, so a worker finds exactly what it would
have written itself; where their format is not the one expected (a new version), this stops and
leaves the workers to it, as before.
"""
from __future__ import annotations

import compileall
import hashlib
import importlib.util
import re
import sys
import types
import warnings
from pathlib import Path
from typing import Any, Iterable

import pytest

SOURCES = ("app", "ui", "tools")  # the project's modules: compiled, and their constants for hypothesis
TESTS = "tests"
PYC_FLAGS = b"\x03\x00\x00\x00"  # a checked-hash pyc (PEP 552): what pytest writes for rewritten modules


def fill(config: pytest.Config, root: Path, sources: Iterable[str] = SOURCES, tests: str = TESTS) -> None:
    """Fill the three caches for the modules under `root`; nothing when bytecode is not written."""
    if sys.dont_write_bytecode:
        return
    for name in (*sources, tests):
        # Test modules are imported rewritten (below), never from a plain pyc.
        compileall.compile_dir(root / name, quiet=2, rx=re.compile(r"(^|/)(test_[^/]*|conftest)\.py$"))
    _rewrite_tests(config, root / tests)
    _hypothesis_constants(p for name in sources for p in sorted((root / name).rglob("*.py")))


def _rewrite_tests(config: pytest.Config, tests: Path) -> None:
    try:
        from _pytest.assertion.rewrite import (
            PYC_TAIL,
            _rewrite_test,
            _write_pyc,
            assertstate_key,
            get_cache_dir,
            try_makedirs,
        )
        from _pytest.python import path_matches_patterns
    except ImportError:  # another pytest: its workers rewrite for themselves
        return
    if assertstate_key not in config.stash:  # --assert=plain: nothing is rewritten
        return
    state, patterns = config.stash[assertstate_key], config.getini("python_files")
    for fn in sorted(tests.rglob("*.py")):
        if fn.name != "conftest.py" and not path_matches_patterns(fn, patterns):
            continue
        pyc = get_cache_dir(fn) / (fn.name[:-3] + PYC_TAIL)
        source_hash = importlib.util.source_hash(fn.read_bytes())
        if _pyc_matches(pyc, source_hash):
            continue
        if not try_makedirs(pyc.parent):
            return
        _, co = _rewrite_test(fn, config)
        if not _write_pyc(state, co, source_hash, pyc) or not _pyc_matches(pyc, source_hash):
            return  # not the format this expects: do not rewrite every file on every run


def _pyc_matches(pyc: Path, source_hash: bytes) -> bool:
    """Whether pytest's pyc is of this source (its header, as pytest's _read_pyc checks it)."""
    try:
        with open(pyc, "rb") as fp:
            head = fp.read(16)
    except OSError:
        return False
    return head == importlib.util.MAGIC_NUMBER + PYC_FLAGS + source_hash[:8]


def _hypothesis_constants(files: Iterable[Path]) -> None:
    """The constants hypothesis draws from the modules a test imported, cached by source hash in its
    storage folder: made through its own function, as a worker's first test collection would."""
    try:
        from hypothesis.configuration import storage_directory
        from hypothesis.errors import HypothesisSideeffectWarning
        from hypothesis.internal.constants_ast import constants_from_module
    except ImportError:
        return
    with warnings.catch_warnings():
        # Its storage is touched during pytest's configuration, before the session: on purpose, once.
        warnings.simplefilter("ignore", HypothesisSideeffectWarning)
        folder = storage_directory("constants").path
        _constants(folder, files, constants_from_module)


def _constants(folder: Path, files: Iterable[Path], constants_from_module: Any) -> None:
    for path in files:
        source = path.read_bytes()
        cached = folder / hashlib.sha1(source).hexdigest()[:16]
        if cached.exists() or len(source) > 512 * 1024:  # hypothesis reads no constants from such a file
            continue
        module = types.ModuleType(path.stem)
        module.__file__ = str(path)
        constants_from_module(module)
        if not cached.exists():
            return  # not where this expects hypothesis to keep them
