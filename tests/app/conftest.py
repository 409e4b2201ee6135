"""The domain's tests run with Python's own import statement (tests/helpers/imports.py)."""
from __future__ import annotations

from tests.helpers.imports import plain_while_it_runs

pytest_runtest_setup = pytest_runtest_call = pytest_runtest_teardown = plain_while_it_runs
