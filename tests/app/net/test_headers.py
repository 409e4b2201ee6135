"""Headers checked before sending: the one HTTP-token rule for names, values named by position."""
from __future__ import annotations

import pytest

from app.net import header_problem


@pytest.mark.parametrize("name", ["X-Foo\n", "X-Foo\r\n", "X Foo", "", "Tëst"])
def test_a_name_that_is_not_an_http_token_is_refused(name: str) -> None:
    problem = header_problem(name, "v")
    assert problem is not None and "not a valid HTTP header name" in problem


def test_a_value_with_a_line_break_is_refused_without_showing_it() -> None:
    problem = header_problem("X-Key", "s3cr3t\nInjected: 1")
    assert problem is not None and "line break (character 7)" in problem and "s3cr3t" not in problem
    assert header_problem("X-Key", "fine value") is None
