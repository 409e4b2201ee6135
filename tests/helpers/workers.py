"""xdist workers forked from a warm template instead of each starting a cold interpreter.

A worker's start is mostly imports (pytest and its plugins, hypothesis, PySide6, pydantic, httpx, the
app's and the ui's modules), and its tests import most of the rest (the window's modules, aiohttp,
uvicorn...): every worker imported the same modules again. Here the controller starts one fork server
(tests/helpers/forks.py) that imports them once, and has xdist start each worker as `python -S
forks.py SOCKET -u -c BOOTSTRAP`: a small process that hands its pipes, environment and working
folder to a fork of that server and exits as the fork does. The worker is the process execnet would
have started (the same bootstrap on the same pipes), its modules already imported.

Never imported plain in the template: the tests' own modules (the test files and conftests are loaded
from pytest's rewritten pycs, as pytest would load them: tests/helpers/preimport.py; the conftests'
plugins pytest imports itself), the app's `__main__`, anything that starts a thread or a QApplication
(the fork server refuses to serve when an import started a thread).
The pytest plugins' own modules are imported plain, where a worker would have rewritten their asserts:
pytest's warning about that is filtered by name (only those plugins' internal asserts say less).
"""
from __future__ import annotations

import os
import re
import shlex
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import Optional

import pytest

from tests.helpers.forks import TEMPLATE, ForkServer
from tests.helpers.preimport import LISTING, listing, publish

FORKS = Path(__file__).with_name("forks.py")
SOURCES = ("app", "ui", "tools")  # every module of the project's packages, as a worker's tests import them
NOT_IMPORTED = ("__main__",)  # `python -m app` runs the command line when imported
# What a journey run imports where it runs (aiohttp, uvicorn's server, httpx's transports): the zygote's list.
RUN_IMPORTS = ("app.journeys.zygote:PRELOAD", "app.journeys.zygote:RUN_IMPORTS")
# After the imports: hypothesis's constants of every module imported, which each worker's collection
# otherwise reads for itself (~0.2 s of CPU a worker); the same function, called once. Then what the
# window's zygote makes as it starts (the expression parser, the TLS context): a worker inherits them, and
# so does the zygote a worker forks from here (tests/helpers/zygotes.py).
WARM_CALLS = ("tests.helpers.workers:hypothesis_constants", "app.journeys.zygote:warm")
TEST_MODULES = "tests.helpers.preimport:preload"  # what the workers' own template imports (Template.serve_workers)
TOP_IMPORT = re.compile(r"^(?:from\s+(\w[\w.]*)\s+import|import\s+(\w[\w.]*))", re.MULTILINE)  # not relative


class Template:
    """The warm parents, on two levels. `clean` imported the project and the plugins: a test's own warm
    parents (a ForkServer in a worker) and the window's zygote fork from it, as they would from a new Python.
    The workers fork from a child of it that also imported the test modules and conftests (`serve_workers`:
    tests/helpers/preimport.py), whose imports change what a process holds (the root conftest sets the
    process's keyring: a test's child process must find its own)."""

    def __init__(self, env: dict[str, str], root: Path) -> None:
        self._env, self._stack = env, ExitStack()
        self.clean = self._stack.enter_context(ForkServer(env, (*preload(root), *WARM_CALLS)))

    def serve_workers(self, config: pytest.Config, root: Path, count: int) -> None:
        """xdist told to start its `count` workers as forks of a child of `clean` holding the test modules
        pytest would import from their rewritten pycs now (or of `clean` itself where none can be)."""
        modules = listing(config, root / "tests")
        server = self.clean
        if modules["modules"]:
            folder = Path(self._stack.enter_context(tempfile.TemporaryDirectory(prefix="preimport")))
            publish(folder / "modules.json", modules)
            env = {**self._env, LISTING: str(folder / "modules.json")}
            server = self._stack.enter_context(ForkServer(env, (TEST_MODULES,), template=self.clean.path))
        python = shlex.join([sys.executable, "-S", str(FORKS), server.path])
        filters = (f"-W {shlex.quote(_imported_already(name))}" for name in plugin_modules())
        addopts = " ".join([os.environ.get("PYTEST_ADDOPTS", ""), *filters]).strip()
        # In the workers, a ForkServer (a test's warm parent) is forked from the clean template (forks.TEMPLATE).
        config.option.tx = [f"popen//python={python}//env:PYTEST_ADDOPTS={addopts}//env:{TEMPLATE}={self.clean.path}"] * count

    def __exit__(self, kind: Optional[type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        self._stack.close()  # the workers' template first: the clean one waits for its children as it ends


def start(config: pytest.Config, root: Path, count: int) -> Optional[Template]:
    """The clean template for `count` popen workers, importing the project while the controller goes on
    (Template.serve_workers then tells xdist to start the workers from it); None where xdist starts its
    workers in another way, or off Linux."""
    if not sys.platform.startswith("linux") or config.getoption("tx") != ["popen"] * count:
        return None  # macOS's system frameworks (under Qt) do not survive a fork: new Pythons there
    # The project's packages from `root` (as pytest puts it first on a worker's path), wherever pytest
    # was started from: not an installed copy found through the environment's path.
    path = os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))
    return Template({**os.environ, "PYTHONPATH": path}, root)


def preload(root: Path) -> list[str]:
    """What the template imports, in order, each once."""
    from _pytest.config import default_plugins

    names = ["pytest", *(f"_pytest.{name}" for name in default_plugins), *plugin_entry_points(),
             *_project_modules(root), *imported_at_top(root / "tests")]
    for reference in RUN_IMPORTS:
        module, _, attribute = reference.partition(":")
        names += getattr(__import__(module, fromlist=[attribute]), attribute)
    return list(dict.fromkeys(names))


def _project_modules(root: Path) -> list[str]:
    names = []
    for source in SOURCES:
        for path in sorted((root / source).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] not in NOT_IMPORTED:
                names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def imported_at_top(tests: Path) -> list[str]:
    """The modules the test files and their helpers import at their top (unindented lines), but for
    the tests' own."""
    names = []
    for path in sorted(tests.rglob("*.py")):
        for match in TOP_IMPORT.finditer(path.read_text("utf-8")):
            name = match.group(1) or match.group(2)
            if name.split(".")[0] not in ("tests", "__future__"):
                names.append(name)
    return names


def _plugin_distributions() -> list:  # type: ignore[type-arg]
    from importlib.metadata import distributions

    return [dist for dist in distributions() if any(ep.group == "pytest11" for ep in dist.entry_points)]


def plugin_entry_points() -> list[str]:
    """The modules of the installed pytest plugins (pytestqt.plugin, xdist.looponfail, anyio's...)."""
    return sorted({ep.value.partition(":")[0].strip() for dist in _plugin_distributions()
                   for ep in dist.entry_points if ep.group == "pytest11"})


def plugin_modules() -> list[str]:
    """The top-level modules of the pytest plugins' distributions (hypothesis, pytestqt, xdist, anyio...):
    each worker's pytest marks them for assert rewriting as it starts."""
    from _pytest.config import _iter_rewritable_modules

    return sorted({name for dist in _plugin_distributions()
                   for name in _iter_rewritable_modules(str(file) for file in dist.files or [])})


def _imported_already(module: str) -> str:
    """A -W filter (its message matched literally, from its start) for pytest's warning that `module`
    was imported before it could be rewritten."""
    return f"ignore:Module already imported so cannot be rewritten; {module}:pytest.PytestAssertRewriteWarning"


def hypothesis_constants() -> None:
    """In the template: hypothesis's constants of the modules imported, as its pytest plugin collects
    them in each worker (the worker then reads only its test modules')."""
    import warnings

    from hypothesis.errors import HypothesisSideeffectWarning
    from hypothesis.internal.conjecture.providers import _get_local_constants

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HypothesisSideeffectWarning)  # on purpose: once, before the workers
        _get_local_constants()
