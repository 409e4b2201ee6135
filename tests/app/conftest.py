"""The domain's tests run with Python's own import statement (tests/helpers/imports.py)."""
from __future__ import annotations

from typing import Iterator

import pytest

from tests.helpers.imports import plain_imports


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: object) -> Iterator[None]:
    """Setup, call and teardown of each test under tests/app (a conftest's runtest hooks see only
    the tests of its folder)."""
    with plain_imports():
        yield
