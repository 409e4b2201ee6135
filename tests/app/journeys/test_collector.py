"""The collector's young threshold is raised while a run goes and given back after, runs overlapping or not."""
from __future__ import annotations

import gc
from typing import Any, Iterator

import pytest

from app.journeys.collector import RUN_THRESHOLD, fewer_young_collections
from tests.app.journeys.runkit import END, EVENT, FAILED, journey, notify, purchases


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    """The thresholds as the test found them, set back whatever it did (a failing test included)."""
    found = gc.get_threshold()
    yield found
    gc.set_threshold(*found)


def test_a_run_collects_young_objects_less_often_and_gives_the_threshold_back(
        run_journey: Any, thresholds: tuple[int, int, int]) -> None:
    seen: list[tuple[int, int, int]] = []
    ran = run_journey(journey(EVENT, notify(), END, FAILED), purchases(3),
                      progress=lambda p: None if p.final else seen.append(gc.get_threshold()))
    assert ran.summary["outcomes"] == {"finished": 3}
    assert seen and all(t == (RUN_THRESHOLD, *thresholds[1:]) for t in seen)
    assert gc.get_threshold() == thresholds


def test_overlapping_runs_give_back_the_thresholds_the_first_found(thresholds: tuple[int, int, int]) -> None:
    gc.set_threshold(700, 9, 8)
    first, second = fewer_young_collections(), fewer_young_collections()
    first.__enter__()
    assert gc.get_threshold() == (RUN_THRESHOLD, 9, 8)
    second.__enter__()
    first.__exit__(None, None, None)  # the first ends while the second goes on: still raised
    assert gc.get_threshold() == (RUN_THRESHOLD, 9, 8)
    second.__exit__(None, None, None)
    assert gc.get_threshold() == (700, 9, 8)


def test_a_failing_run_gives_the_threshold_back_and_a_higher_one_is_kept(thresholds: tuple[int, int, int]) -> None:
    gc.set_threshold(700, 10, 10)
    with pytest.raises(RuntimeError), fewer_young_collections():
        raise RuntimeError("the run failed")
    assert gc.get_threshold() == (700, 10, 10)
    gc.set_threshold(RUN_THRESHOLD * 2, 10, 10)  # someone wants fewer still: not lowered
    with fewer_young_collections():
        assert gc.get_threshold() == (RUN_THRESHOLD * 2, 10, 10)
    assert gc.get_threshold() == (RUN_THRESHOLD * 2, 10, 10)
