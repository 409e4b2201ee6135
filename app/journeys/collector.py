"""The cyclic collector's young threshold while a run goes: higher, then given back.

A run's loop makes and drops thousands of containers a second (steps, attempts, the trace encoder's
row lists), and what it keeps grows by a few objects a call at most. At the default first threshold
(700) a young collection came every few hundred calls and walked ~2,000 young objects and the
encoder's pending row lists (tens of thousands of items each): ~1.5-2 us of the loop thread's CPU a
call, measured with gc.callbacks over 3,000 sample profiles; at 20,000 none comes in such a run. The
few garbage cycles a run makes (~14 objects in 3,000 profiles) wait a little longer: memory stays flat.

Runs may overlap (the window's runs, a child run): the first to start saves the thresholds, the last
to end gives them back.
"""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator, Optional

RUN_THRESHOLD = 20_000  # young allocations between two young collections while a run goes

_lock = threading.Lock()
_runs = 0
_saved: Optional[tuple[int, int, int]] = None


@contextmanager
def fewer_young_collections(threshold: int = RUN_THRESHOLD) -> Iterator[None]:
    """While inside: the first threshold at least `threshold`; the thresholds as they were after."""
    global _runs, _saved
    with _lock:
        if _runs == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(max(threshold, _saved[0]), _saved[1], _saved[2])
        _runs += 1
    try:
        yield
    finally:
        with _lock:
            _runs -= 1
            if _runs == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None
