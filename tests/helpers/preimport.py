"""The test modules and conftests imported once, in the workers' template, as pytest's import hook loads them.

Each xdist worker imported every test module for itself as it collected (~0.3 s of its ~1.1 s of collection
CPU, and ~0.04 s more for hypothesis's constants of those modules): four workers, four times. Here the
controller lists them (`listing`) once pytest's rewritten pyc of each is made (tests/helpers/warm.py), and
the workers' template (tests/helpers/workers.py: a fork of the clean one) executes those pycs (`preload`): the code pytest itself would load,
asserts rewritten, each module under the name pytest imports it by. A worker's collection then finds each
in sys.modules, as pytest's import does for a module imported already (`import_path`, mode prepend).

Left to the workers, as before: a module whose rewritten pyc is missing or out of date (pytest writes and
reads it there), one whose import fails, skips or warns (the worker reports it as pytest does: a warning is
an error there), one that imports a module the conftests name in `pytest_plugins` (pytest must import those itself to rewrite them: it warns
about one imported already), and everything when asserts are not rewritten or modules are imported in
another mode (`--assert=plain`, `--import-mode=importlib`).
"""
from __future__ import annotations

import ast
import importlib
import importlib.util
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any, Optional

import pytest

LISTING = "ACTION_STUDIO_TEST_PREIMPORT"  # in the workers' template's environment: the list's file


def listing(config: pytest.Config, tests: Path) -> dict[str, Any]:
    """What the template imports: [name, source, rewritten pyc] of every conftest (outermost first) and
    test module under `tests`, and the modules the conftests name in `pytest_plugins`."""
    try:
        from _pytest.assertion import AssertionState
        from _pytest.assertion.rewrite import PYC_TAIL, assertstate_key, get_cache_dir
        from _pytest.pathlib import resolve_pkg_root_and_module_name
        from _pytest.python import path_matches_patterns
    except ImportError:  # another pytest: its workers import for themselves
        return {"modules": [], "plugins": []}
    state: Optional[AssertionState] = config.stash.get(assertstate_key, None)
    if state is None or state.mode != "rewrite" or config.getoption("importmode") != "prepend":
        return {"modules": [], "plugins": []}
    patterns = config.getini("python_files")
    conftests = sorted(tests.rglob("conftest.py"), key=lambda path: (len(path.parts), path))
    modules = [*conftests, *(path for path in sorted(tests.rglob("*.py"))
                             if path.name != "conftest.py" and path_matches_patterns(path, patterns))]
    namespaces = bool(config.getini("consider_namespace_packages"))
    entries = []
    for path in modules:
        _, name = resolve_pkg_root_and_module_name(path, consider_namespace_packages=namespaces)
        entries.append([name, str(path), str(get_cache_dir(path) / (path.name[:-3] + PYC_TAIL))])
    return {"modules": entries, "plugins": sorted({name for path in conftests for name in plugins_of(path)})}


def plugins_of(conftest: Path) -> list[str]:
    """The modules a conftest names in `pytest_plugins` (a literal string, list or tuple)."""
    for node in ast.parse(conftest.read_bytes()).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "pytest_plugins" for t in node.targets):
            value = ast.literal_eval(node.value)
            return [value] if isinstance(value, str) else list(value)
    return []


def publish(path: Path, entries: dict[str, Any]) -> None:
    path.write_text(json.dumps(entries), "utf-8")


def preload() -> None:
    """In the workers' template: every listed module that can be imported as a worker would import it."""
    where = os.environ.get(LISTING)
    if not where:
        return
    entries = json.loads(Path(where).read_text("utf-8"))
    plugins = frozenset(entries["plugins"])
    for name, source, pyc in entries["modules"]:
        import_rewritten(name, Path(source), Path(pyc), plugins)
    from tests.helpers.workers import hypothesis_constants

    hypothesis_constants()  # those of the modules just imported, as each worker's collection read them


def import_rewritten(name: str, source: Path, pyc: Path, plugins: frozenset[str] = frozenset()) -> bool:
    """`source` imported as `name` from pytest's rewritten `pyc`; False (and none of the suite's modules it
    imported left in sys.modules) where a worker must import it itself."""
    from _pytest.assertion.rewrite import _read_pyc

    code = _read_pyc(source, pyc)
    if code is None or name in sys.modules:
        return False
    before = set(sys.modules)
    parent, _, child = name.rpartition(".")
    try:
        package = importlib.import_module(parent) if parent else None
        spec = importlib.util.spec_from_file_location(name, source)
        assert spec is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            exec(code, module.__dict__)  # as pytest's AssertionRewritingHook.exec_module runs it
    except KeyboardInterrupt:
        raise
    except BaseException:  # an error or a skip at import: the worker's collection reports it
        _forget(before, name.split(".")[0])
        return False
    # A warning at import is the worker's to report (an error there: filterwarnings); a plugin imported
    # plain, pytest's to import itself (rewritten).
    if warned or plugins & set(sys.modules):
        _forget(before, name.split(".")[0])
        return False
    if package is not None:
        setattr(package, child, module)
    return True


def _forget(before: set[str], package: str) -> None:
    """The test suite's modules (those of `package`) imported since `before`: a worker imports them again,
    from the start. Other packages stay, imported as a worker would have them."""
    for name in set(sys.modules) - before:
        if name.split(".")[0] == package:
            del sys.modules[name]
