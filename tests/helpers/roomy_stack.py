"""Each test runs on a roomy stretch of Python's frame stack, not astride the edge of a small one.

CPython 3.11 keeps its frames in chunks of 16 KiB, each mapped with mmap when a call does not fit in
the current one and unmapped as soon as the frame that opened it returns. A test in a worker starts
~60 frames deep (execnet, xdist, pytest, pluggy): the edge of the first chunk falls inside the tests'
own calls, so a call made in a loop across it maps a fresh chunk, faults its pages in and unmaps it
on every turn. Counted over the suite: ~75,000 mmap/munmap pairs, ~1 s of the workers' ~7.4 s of
system time (the faults, and the TLB flush each munmap sends to the process's other threads).

Here each test's protocol (set-up, call, tear-down, as pytest's own runs it) is called from a frame
that asks for ~58 KiB of stack it never uses: it opens a chunk of 128 KiB, and the test's frames fill
the ~70 KiB after it. That chunk is mapped once a test, and the calls of any test less than
~9,000 slots deep (hundreds of frames) never reach its edge.

Registered by the root conftest (pytest_plugins).
"""
from __future__ import annotations

from typing import Callable, Optional, TypeVar

import pytest
from _pytest.runner import pytest_runtest_protocol as protocol

T = TypeVar("T")

CHUNK = 128 << 10  # the chunk the roomy frame opens: CPython doubles 16 KiB until the frame fits
OVERHEAD = 1000  # slots CPython adds to a frame's size when it sizes a new chunk (MINIMUM_OVERHEAD)
SLOTS = CHUNK // 2 // 8 - OVERHEAD + 64  # just past half the chunk: it cannot open a 64 KiB one


def in_a_roomy_chunk(function: Callable[..., T], *args: object) -> T:
    """`function(*args)`, called from a frame whose reserved stack opens a chunk of CHUNK bytes."""
    return function(*args)


# Only the reserved size changes (a frame is its locals, then room for its evaluation stack): the
# extra room is never written, so its pages are never touched.
in_a_roomy_chunk.__code__ = in_a_roomy_chunk.__code__.replace(co_stacksize=SLOTS)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: Optional[pytest.Item]) -> bool:
    """pytest's own protocol, whose hook this answers first (the others implementing it are wrappers)."""
    return in_a_roomy_chunk(protocol, item, nextitem)
