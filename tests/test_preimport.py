"""The test modules the workers' template imports once (tests/helpers/preimport.py): loaded as pytest's own
import hook loads them (asserts rewritten), or left to the workers where that cannot be done."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterator

import pytest

from tests.helpers.forks import TEMPLATE
from tests.helpers.preimport import import_rewritten, listing, plugins_of


@pytest.fixture
def package(tmp_path: Path, pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A test package `preimported` under tmp_path (importable), its modules forgotten afterwards."""
    folder = tmp_path / "preimported"
    (folder / "inner").mkdir(parents=True)
    for init in (folder / "__init__.py", folder / "inner" / "__init__.py"):
        init.write_text("")
    (folder / "conftest.py").write_text("pytest_plugins = ['preimported.plugin']\n")
    (folder / "inner" / "conftest.py").write_text("")
    (folder / "plugin.py").write_text("VALUE = 1\n")
    (folder / "test_asserts.py").write_text("def check():\n    seen = [1, 2]\n    assert seen == [1, 3]\n")
    (folder / "inner" / "test_plugin.py").write_text("from preimported import plugin\n")
    (folder / "inner" / "test_broken.py").write_text("import preimported.plugin\nraise RuntimeError('broken')\n")
    (folder / "inner" / "test_warns.py").write_text("import warnings\nwarnings.warn('old', DeprecationWarning)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as `make test` runs the suite
    from tests.helpers.warm import fill

    fill(pytestconfig, tmp_path, sources=(), tests="preimported")  # pytest's rewritten pycs, as the controller makes them
    yield folder
    for name in [name for name in sys.modules if name.split(".")[0] == "preimported"]:
        del sys.modules[name]


def _entries(pytestconfig: pytest.Config, folder: Path) -> dict[str, tuple[Path, Path]]:
    found = listing(pytestconfig, folder)
    return {name: (Path(source), Path(pyc)) for name, source, pyc in found["modules"]}


def test_the_list_holds_the_conftests_outermost_first_then_the_test_modules(pytestconfig: pytest.Config,
                                                                           package: Path) -> None:
    found = listing(pytestconfig, package)
    assert [name for name, _, _ in found["modules"]] == [
        "preimported.conftest", "preimported.inner.conftest", "preimported.inner.test_broken",
        "preimported.inner.test_plugin", "preimported.inner.test_warns", "preimported.test_asserts"]
    assert found["plugins"] == ["preimported.plugin"]
    assert plugins_of(package / "inner" / "conftest.py") == []


def test_a_test_module_is_loaded_with_its_asserts_rewritten(pytestconfig: pytest.Config, package: Path) -> None:
    source, pyc = _entries(pytestconfig, package)["preimported.test_asserts"]
    assert import_rewritten("preimported.test_asserts", source, pyc)
    module = sys.modules["preimported.test_asserts"]
    assert module.__file__ == str(source)  # what pytest's import_path checks before it uses the module
    assert sys.modules["preimported"].test_asserts is module
    with pytest.raises(AssertionError) as failed:
        module.check()
    assert "assert [1, 2] == [1, 3]" in str(failed.value)  # pytest's explanation, not a bare AssertionError


def test_a_module_importing_a_plugin_failing_or_warning_is_left_to_the_workers(pytestconfig: pytest.Config,
                                                                               package: Path) -> None:
    entries, plugins = _entries(pytestconfig, package), frozenset(["preimported.plugin"])
    for name in ("preimported.inner.test_plugin", "preimported.inner.test_broken", "preimported.inner.test_warns"):
        assert not import_rewritten(name, *entries[name], plugins), name
    # pytest imports the plugin itself (rewritten), and the failing or warning module again, to report it.
    assert not {"preimported.plugin", "preimported.inner.test_plugin", "preimported.inner.test_broken",
                "preimported.inner.test_warns"} & set(sys.modules)
    assert import_rewritten("preimported.inner.conftest", *entries["preimported.inner.conftest"], plugins)


def test_a_module_changed_since_its_pyc_was_made_is_left_to_the_workers(pytestconfig: pytest.Config,
                                                                          package: Path) -> None:
    source, pyc = _entries(pytestconfig, package)["preimported.test_asserts"]
    source.write_text("def check():\n    assert True\n")
    assert not import_rewritten("preimported.test_asserts", source, pyc)
    assert "preimported.test_asserts" not in sys.modules


def test_in_a_worker_this_module_came_from_the_template() -> None:
    """Imported by the template, not by this worker's pytest: its loader is the one preimport gave it."""
    from _pytest.assertion.rewrite import AssertionRewritingHook

    from tests.conftest import FILL_FROM_WORKERS

    loader = sys.modules[__name__].__loader__
    # With that many workers the controller made this module's rewritten pyc before the template read it.
    if os.environ.get(TEMPLATE) and int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0")) >= FILL_FROM_WORKERS:
        assert not isinstance(loader, AssertionRewritingHook), loader
    elif not os.environ.get(TEMPLATE):  # one process (-n 0), or workers started as xdist starts them
        assert isinstance(loader, AssertionRewritingHook), loader


def test_a_tests_own_warm_parent_forks_from_the_template_without_the_test_modules() -> None:
    """The workers fork from a template that imported the test modules (the root conftest sets the process's
    keyring as it is imported); a test's child processes fork from the one before it, as from a new Python."""
    from tests.helpers.forks import ForkServer

    with ForkServer({**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}, ("json",)) as server:
        child = server.start("import sys; print(sorted(n for n in sys.modules if n.startswith('tests.') and 'test_' in n))")
        out, err = child.communicate()
    assert (child.returncode, out) == (0, "[]\n"), err
