"""Test-wide set-up: headless Qt, no real user folders, an in-memory keyring, shared fixtures."""
from __future__ import annotations

import gc
import itertools
import os
import shutil
from pathlib import Path
from typing import Any, Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from tests.helpers.forks import TEMPLATE  # noqa: E402
from tests.helpers.keyring_backends import MemoryKeyring  # noqa: E402

pytest_plugins = ["tests.helpers.sandbox_fixture", "tests.helpers.watchdog", "tests.helpers.reports",
                  "tests.helpers.memory_tmp", "tests.helpers.roomy_stack"]

# The process's keyring before any test sets its own: one in memory, so that no worker probes the
# system's (keyring's detection imports every backend and asks D-Bus, ~0.2 s of CPU a worker).
keyring.set_keyring(MemoryKeyring())

# No per-example deadline: how fast an example runs is the benchmarks' business, and on the 2-core
# CI machine running two workers (and other jobs) hypothesis's 200 ms fails examples that are right.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "resources" / "sample_workspace"


WORKERS_PER_CPU = 2


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` (make test): two workers for each CPU this process may run on. A test waits a good
    part of its time (a child process, a sandbox answering, the event loop of a window), and a second
    worker a core fills those waits: on 2 quiet cores 4 workers ran the suite in 73 s, 3 in 77 s, 2 in
    83 s. xdist's own count is of physical cores when psutil is installed: 1 on a 2-vCPU machine."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return int(os.environ["PYTEST_XDIST_AUTO_NUM_WORKERS"])
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return max(1, len(usable)) * WORKERS_PER_CPU


FILL_FROM_WORKERS = 3
_TEMPLATE = pytest.StashKey[Any]()  # the workers' template (tests/helpers/workers.py), or None
NO_TEMPLATE = "ACTION_STUDIO_TEST_TEMPLATE"  # =0: each worker a new Python, as xdist starts them


def pytest_configure(config: pytest.Config) -> None:
    """With 3 workers or more, the xdist controller fills the caches each worker reads before it starts
    them: on a fresh clone each worker compiled and rewrote everything for itself (tests/helpers/warm.py).
    Two workers on two cores share that work well enough: there the ~5 s made first only delay them.

    Then the workers are forked from one template that imported what they import (tests/helpers/workers.py):
    -n 4 with no test run, 13.9 -> 8.5 s of CPU; the whole suite on -n 4 (quiet, 1,946 tests), 130 -> 110 s of
    CPU, 69 -> 59 s wall. The template starts first, importing while the caches are filled, and the workers
    fork from a child of it that imported the test modules too (tests/helpers/preimport.py): a worker's
    collection 1.09 -> 0.63 s of CPU; -n 4 with no test run, 7.1 -> 6.3 s of CPU, on a fresh clone 13.1 -> 11.9 s."""
    workers = getattr(config.option, "numprocesses", None)
    if not isinstance(workers, int) or hasattr(config, "workerinput"):  # no workers, or this is one
        return
    template = None
    if workers > 0 and os.environ.get(NO_TEMPLATE, "1") != "0":
        from tests.helpers.workers import start

        # Started first: it imports (on a fresh clone, compiles) the project while the caches are filled below.
        template = config.stash[_TEMPLATE] = start(config, REPO, workers)
    if workers >= FILL_FROM_WORKERS:
        from tests.helpers.warm import SOURCES, fill

        fill(config, REPO, sources=() if template else SOURCES)  # the template compiles what it imports
    if template is not None:
        template.serve_workers(config, REPO, workers)  # with the test modules imported, from the pycs just made


def pytest_unconfigure(config: pytest.Config) -> None:
    server = config.stash.get(_TEMPLATE, None)
    if server is not None:
        server.__exit__(None, None, None)


@pytest.hookimpl(wrapper=True)
def pytest_collection(session: pytest.Session) -> Iterator[None]:
    """No collector pass while collecting: what collection makes lives as long as the session (below), and
    the collector scanned it ~150 times in each worker (gc callbacks, a worker's collection: 154 passes,
    0.09 s of CPU; with this, the one full pass below)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return (yield)
    finally:
        if enabled:
            gc.enable()


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection loaded (the app's and the tests' modules, strategies, parametrize tables) lives
    as long as the session: frozen, the collector's full passes no longer scan it, as the app freezes
    what its start-up made (ui/app.py). Measured (gc callbacks, tests/ui and tests/app/journeys on
    2 workers): 3.3 s of CPU in the collector, 2.2 s frozen.

    Measured on the whole suite (4 workers, alternated runs, user+sys of all processes) and not kept:
    the workers' thresholds raised to (10,000, 20, 50) after this freeze (their collector's passes
    ~2.5 -> ~2.0 s, but the run 81 -> 110-119 s: what lives longer between passes costs more than the
    passes saved); the heap frozen again after a test that thaws it (tests/ui/journeys/test_runbar.py):
    81 -> 111 s, 42 -> 57 s wall; the xdist controller's heap frozen (its CPU 2.5 -> 6-8 s)."""
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="session", autouse=True)
def _window_zygote_forked() -> Iterator[None]:
    """In a worker forked from the template, the window's zygote is forked from it too (tests/helpers/zygotes.py):
    a worker's first journey run from the window started a new Python importing what a run needs."""
    template = os.environ.get(TEMPLATE)
    if not template or not os.path.exists(template):
        yield
        return
    from tests.helpers.zygotes import forked_from
    from ui.journeys import zygote

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(zygote, "_start_server", forked_from(template))
        yield


_USERS = itertools.count()


def _user_folder(factory: pytest.TempPathFactory) -> Path:
    """A new folder for this test's user, numbered by a counter: pytest's mktemp lists every folder
    made so far in the session on each call (~1.5 ms a test late in a worker's run, twice with tmp_path)."""
    path = factory.getbasetemp() / "users" / str(next(_USERS))
    path.mkdir(parents=True)
    return path


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Nothing a test does touches the real user's folders, settings or keychain."""
    root = _user_folder(tmp_path_factory)
    monkeypatch.setenv("ACTION_STUDIO_HOME", str(root / "workspace"))
    monkeypatch.setenv("XDG_DATA_HOME", str(root / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(root / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(root / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(root / "state"))  # the log folder (app.logs)
    monkeypatch.delenv("ACTION_STUDIO_LOG_DIR", raising=False)
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)  # set_keyring is process-global: restore it


@pytest.fixture
def memory_keyring(_isolated: MemoryKeyring) -> MemoryKeyring:
    return _isolated


@pytest.fixture
def secrets():
    from app.secrets import MemoryBackend, SecretStore

    return SecretStore(MemoryBackend(), namespace="test")


@pytest.fixture
def sample_home(tmp_path: Path) -> Path:
    """A fresh copy of the sample workspace."""
    home = tmp_path / "sample"
    shutil.copytree(SAMPLE, home, ignore=shutil.ignore_patterns("sample-secrets.json", ".index.json"))
    return home


@pytest.fixture
def services(sample_home: Path, secrets):
    """Services on a sample workspace copy, its demo secrets seeded in memory."""
    from app.sample import seed_sample_secrets
    from app.services import Services

    svc = Services.open(sample_home, secrets)
    seed_sample_secrets(secrets)
    yield svc
    svc.close()
