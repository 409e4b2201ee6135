"""The cyclic collector runs on the UI thread only while the window runs (ui/gcguard.py): a worker thread
that allocates past the collector's threshold never collects, the UI thread's timer does."""
from __future__ import annotations

import gc
import threading
from typing import Any, Iterator

import pytest

from ui.gcguard import UiThreadCollector, collect_due

SMALL = (1_000, 10, 10)  # thresholds a few thousand cycles pass at once


class _Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The thread of each collection that starts from here on."""
    seen: list[int] = []

    def record(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            seen.append(threading.get_ident())

    gc.callbacks.append(record)
    thresholds = gc.get_threshold()
    try:
        yield seen
    finally:
        gc.callbacks.remove(record)
        gc.set_threshold(*thresholds)


def _allocate_in_a_worker(count: int = 20_000) -> int:
    def work() -> None:
        kept = [_Cycle() for _ in range(count)]  # tracked containers: the count passes the threshold
        del kept

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    return worker.ident or 0


def test_a_worker_allocating_never_collects_the_ui_thread_does(qtbot: Any, collections: list[int]) -> None:
    main = threading.get_ident()
    # Control: CPython's own collector, at these thresholds, collects in the worker that allocates.
    gc.enable()
    gc.set_threshold(*SMALL)
    worker = _allocate_in_a_worker()
    assert worker in collections
    collections.clear()

    collector = UiThreadCollector(thresholds=SMALL, interval_ms=10).start()
    try:
        assert not gc.isenabled()
        worker = _allocate_in_a_worker()
        assert worker not in collections
        qtbot.waitUntil(lambda: main in collections, timeout=5000)  # the timer, on the UI thread
        assert set(collections) == {main}
    finally:
        collector.stop()
    gc.disable()  # as this test's fixture (tests/ui/conftest.py) left it: it turns it back on itself


def test_what_is_due_is_what_cpython_would_collect(collections: list[int]) -> None:
    gc.collect()
    collections.clear()
    assert collect_due((10_000_000, 10, 10)) == -1 and collections == []  # nothing due: nothing run
    kept = [_Cycle() for _ in range(2_000)]
    assert collect_due((1_000, 1_000_000, 1_000_000)) == 0  # the youngest generation only
    assert collections == [threading.get_ident()]
    del kept


def test_the_window_collects_on_its_ui_thread(qapp: Any) -> None:
    from ui.app import collect_on_ui_thread

    collector = collect_on_ui_thread(qapp)
    try:
        assert not gc.isenabled() and collector.parent() is qapp  # type: ignore[attr-defined]
    finally:
        collector.stop()  # type: ignore[attr-defined]
        gc.disable()  # as this test's fixture left it
