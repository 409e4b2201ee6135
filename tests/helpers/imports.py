"""Python's own import statement while a test runs, not the one PySide6 puts in its place.

Once PySide6 is imported (the worker template imports it for the UI tests, so every worker has it),
each `import` statement a function runs goes through shiboken's `__feature_import__`, which calls
back into Python to look for `from __feature__ import ...` (a PySide6 switch no code here uses)
before importing: ~2 us more each. Hypothesis runs three such statements in every draw, ~7 us a draw:
~10% of a property test's CPU (5 property files of tests/app, -n 0 with PySide6 imported: 7.1 -> 6.6 s).
The domain runs without Qt where users run it (the command line, the journey run processes), so its
tests run with the import statement Python has there."""
from __future__ import annotations

import builtins
import functools
from contextlib import contextmanager
from typing import Any, Callable, Iterator, TypeVar

import pytest

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def plain_imports() -> Iterator[None]:
    """Python's import statement inside; PySide6's back after (if it was in place before)."""
    hooked = builtins.__import__
    original = getattr(builtins, "__orig_import__", hooked)  # where shiboken keeps the one it replaced
    builtins.__import__ = original
    try:
        yield
    finally:
        builtins.__import__ = hooked


def pyside_import_in_place() -> bool:
    """Whether `import` statements go through PySide6's hook now."""
    return builtins.__import__ is not getattr(builtins, "__orig_import__", builtins.__import__)


@pytest.hookimpl(wrapper=True)
def plain_while_it_runs(item: pytest.Item) -> Iterator[None]:
    """A conftest's pytest_runtest_setup, _call and _teardown: pytest asks those of the conftests of
    the test's own folders only (pytest_runtest_protocol would be asked of every conftest, for every test)."""
    with plain_imports():
        return (yield)


def drawn_with_plain_imports(test: F) -> F:
    """A property test of ui/ (hypothesis's @given, under this) run with Python's import statement.

    The UI's tests keep PySide6's hook, as the window runs with it; but where the code under test has no
    import statement to run (the payload tree's merge and patch, the action list's model and filter),
    nearly all those run are hypothesis's three a draw, and for them the hook changes nothing but their
    cost: ~2.4 us each, ~0.16 s of the payload patch's ~1.5 s (68,000 import statements in 200 examples)."""
    @functools.wraps(test)
    def plain(*args: Any, **kwargs: Any) -> Any:
        with plain_imports():
            return test(*args, **kwargs)

    return plain  # type: ignore[return-value]
