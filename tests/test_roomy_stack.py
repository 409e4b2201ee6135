"""tests.helpers.roomy_stack: a test's calls run on a frame-stack chunk with room, mapped once a test."""
from __future__ import annotations

import resource
import sys
import threading
from typing import Callable

from tests.helpers.roomy_stack import SLOTS, in_a_roomy_chunk

FRAME = 100  # slots each frame of the chain below reserves
DEPTH = 40  # 4,000 slots: more than a 16 KiB chunk (2,048) holds, well within the roomy chunk's room
TURNS = 600


def _chain(depth: int) -> int:
    return 0 if depth == 0 else 1 + _chain(depth - 1)


_chain.__code__ = _chain.__code__.replace(co_stacksize=FRAME)


def _faults_over(turns: int, call: Callable[[], object]) -> int:
    """Page faults of this thread over `turns` calls."""
    before = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
    for _ in range(turns):
        call()
    return resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - before


def test_a_test_runs_inside_the_roomy_frame() -> None:
    frame = sys._getframe()
    codes = []
    while frame is not None:
        codes.append(frame.f_code)
        frame = frame.f_back
    assert in_a_roomy_chunk.__code__ in codes
    assert in_a_roomy_chunk.__code__.co_stacksize == SLOTS


def test_calls_deeper_than_a_small_chunk_map_no_new_pages() -> None:
    """Each turn below crosses the edge of a 16 KiB chunk wherever the test starts in one: without the
    roomy chunk every turn maps a fresh chunk and faults its first page in (>= 1 fault a turn)."""
    _chain(DEPTH)  # its pages touched once
    assert _faults_over(TURNS, lambda: _chain(DEPTH)) < TURNS // 3


def test_without_the_roomy_chunk_each_turn_faults() -> None:
    """The measure above can fail: a new thread's frames start in a 16 KiB chunk of their own, as a test's
    did, and each turn of the same chain there maps, faults in and drops a chunk."""
    faults: list[int] = []
    thread = threading.Thread(target=lambda: faults.append(_faults_over(TURNS, lambda: _chain(DEPTH))))
    thread.start()
    thread.join()
    assert faults[0] >= TURNS
