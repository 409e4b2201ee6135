"""The cyclic collector of a process that runs tests: the session's heap frozen, fewer passes over the rest.

A worker's tests allocate a lot and keep little: with CPython's thresholds (700, 10, 10) a worker ran ~2,300
young passes, ~210 middle ones and ~7 full ones over its tests (gc callbacks over a whole run, 4 workers:
~2.5 s of CPU in the collector, finalizers included). With a young threshold of 10,000 most of a test's
containers are freed by their reference count before a pass sees them (~60 young passes a worker), and a
full pass comes after 50 middle ones instead of 10: ~2.0 s. The young threshold stays below the one a
journey run raises it to (app/journeys/collector.py raises, never lowers); the window's tests collect on their
own UI-thread timer (ui/gcguard.py).

Not the xdist controller: frozen (with these thresholds or CPython's) it spent more CPU, not less
(tests/app on 4 workers, 2 runs each: 2.5 s -> 6.3-8.4 s of the controller's CPU), though its collector
passes fell from 0.035 to 0.05 s; the cause was not found.
"""
from __future__ import annotations

import gc

THRESHOLDS = (10_000, 20, 50)  # as gc.set_threshold: allocations, then younger passes per older one
_frozen_here = False  # this process froze its session's heap (a worker, or a run without workers)


def freeze_long_lived() -> None:
    """What this process holds now lives as long as its session: collected once, then never scanned again
    (gc.freeze), and the thresholds above for what the tests make after."""
    global _frozen_here
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    _frozen_here = True


def refreeze_if_thawed() -> None:
    """A test that froze and unfroze the heap for itself (gc.unfreeze thaws everything, the session's
    frozen heap too: tests/ui/journeys/test_runbar.py) left every full pass scanning the session's
    ~190,000 objects again: frozen once more. Never in the controller, where this hook runs for each
    test a worker reports."""
    if _frozen_here and gc.get_freeze_count() == 0:
        freeze_long_lived()
