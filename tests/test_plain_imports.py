"""tests/helpers/imports.py's drawn_with_plain_imports: a property test runs (its draws included) with
Python's own import statement, and PySide6's hook is back afterwards, whether the test passed or failed."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers.imports import drawn_with_plain_imports, pyside_import_in_place


def test_a_property_test_runs_with_pythons_import_and_the_hook_is_given_back() -> None:
    import PySide6.QtCore  # noqa: F401  (its import puts the hook in place, as in every worker)

    assert pyside_import_in_place()
    seen: list[bool] = []

    @st.composite
    def drawn(draw: st.DrawFn) -> int:
        seen.append(pyside_import_in_place())  # while hypothesis draws
        return draw(st.integers(0, 9))

    @drawn_with_plain_imports
    @settings(max_examples=5, database=None)
    @given(drawn())
    def passing(value: int) -> None:
        seen.append(pyside_import_in_place())  # in the test's body

    passing()
    assert seen and not any(seen)
    assert pyside_import_in_place()

    @drawn_with_plain_imports
    @settings(max_examples=5, database=None)
    @given(st.integers(0, 9))
    def failing(value: int) -> None:
        raise ValueError(value)

    with pytest.raises(ValueError):
        failing()
    assert pyside_import_in_place()
