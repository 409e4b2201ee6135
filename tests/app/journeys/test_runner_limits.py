"""Capping windows, the throttling queue, reentrance and presets on their own, with a hand-moved clock."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.journeys.capping import Capping, RateWindow
from app.journeys.clock import PRESETS, ProfileRandom, preset, profile_seed
from app.journeys.limits import CappingConfig, ThrottlingConfig
from app.journeys.model import Reentrance
from app.journeys.reentry import Reentry
from app.journeys.throttle import Queued, Throttle, Throttling
from tests.helpers.clock import HandClock as Clock


def test_a_rate_window_slides() -> None:
    clock = Clock()
    window = RateWindow(2, 1.0, clock)
    assert [window.admit(), window.admit(), window.admit()] == [True, True, False]
    clock.now += 0.999
    assert not window.admit()
    clock.now += 0.002
    assert window.admit() and window.admit() and not window.admit()


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5), st.lists(st.floats(0, 1.5), max_size=40))
def test_a_rate_window_never_admits_more_than_its_maximum_within_a_period(max_calls: int, gaps: list[float]) -> None:
    clock = Clock()
    window = RateWindow(max_calls, 1.0, clock)
    admitted = []
    for gap in gaps:
        clock.now += gap
        if window.admit():
            admitted.append(clock.now)
    assert all(later - earlier >= 1.0 for earlier, later in zip(admitted, admitted[max_calls:], strict=False))


def test_capping_picks_the_configuration_or_the_per_host_default() -> None:
    config = CappingConfig.model_validate({"url": "https://api.example.com/*", "methods": ["POST"], "services": {
        "action": {"maxHttpConnections": 4, "rating": {"maxCallsCount": 500, "periodInMs": 1000}}}})
    capping = Capping([config], Clock())
    gate = capping.gate("https://api.example.com/v1/x", "POST", "api.example.com")
    assert gate is capping.gate("https://api.example.com/v2", "POST", "api.example.com")
    assert gate.window.max_calls == 500 and gate.window.period_s == 1.0 and gate.connections is not None
    other = capping.gate("https://api.example.com/v1/x", "GET", "api.example.com")
    assert other is not gate and other.window.max_calls == 300_000 and other.window.period_s == 60
    assert "300,000 calls per minute to api.example.com" in other.refusal
    assert capping.gate("https://other.example.com/", "POST", "other.example.com") is not other  # per host


def test_the_throttle_releases_calls_in_order_at_its_rate() -> None:
    clock = Clock()
    throttle = Throttle(200, clock)
    assert [throttle.slot() for _ in range(3)] == pytest.approx([100.0, 100.005, 100.01])
    clock.now = 101.0  # idle: the next call goes at once
    assert throttle.slot() == 101.0 and throttle.admitted == 4
    config = ThrottlingConfig.model_validate({"urlPattern": "https://api.example.com/*", "methods": ["POST"],
                                              "maxThroughput": 200})
    throttling = Throttling([config])
    assert throttling.queue("https://api.example.com/a", "POST") is throttling.queue("https://api.example.com/b", "POST")
    assert throttling.queue("https://api.example.com/a", "GET") is None


def test_queued_calls_wake_in_the_order_they_asked() -> None:
    async def scenario() -> list[int]:
        throttle, woke = Throttle(1000), []

        async def call(n: int) -> None:
            await throttle.wait()
            woke.append(n)
        await asyncio.gather(*(call(n) for n in range(20)))
        return woke
    assert asyncio.run(scenario()) == list(range(20))


class HeldSleep:
    """A throttle's sleep that returns only when the test lets it: a timer overdue on a busy loop."""

    def __init__(self) -> None:
        self.asked: list[float] = []
        self.go = asyncio.Event()

    async def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)
        await self.go.wait()


def test_a_later_call_whose_slot_is_due_does_not_overtake_an_earlier_one_still_asleep() -> None:
    async def scenario() -> tuple[list[tuple[str, Queued]], list[float]]:
        clock, sleep, left = Clock(), HeldSleep(), []
        throttle = Throttle(200, clock, sleep)

        async def call(name: str) -> None:
            left.append((name, await throttle.wait()))
        first = asyncio.ensure_future(call("first"))
        await asyncio.sleep(0)
        clock.now = 100.001
        second = asyncio.ensure_future(call("second"))  # its slot is at 100.005: it sleeps
        await asyncio.sleep(0)
        clock.now = 100.020  # the loop was busy: the second's timer is overdue, the third's slot is now
        third = asyncio.ensure_future(call("third"))
        for _ in range(5):
            await asyncio.sleep(0)
        assert [name for name, _ in left] == ["first"]  # the third waits behind the second
        sleep.go.set()
        await asyncio.gather(first, second, third)
        return left, sleep.asked
    left, asked = asyncio.run(scenario())
    assert [(name, q.arrived, q.released) for name, q in left] == [("first", 1, 1), ("second", 2, 2), ("third", 3, 3)]
    assert asked == [pytest.approx(0.004)] and left[0][1].seconds == 0 and left[2][1].seconds == 0


def test_a_cancelled_queued_call_lets_the_next_one_go_after_the_ones_ahead() -> None:
    async def scenario() -> list[tuple[str, int, int]]:
        clock, sleep, left = Clock(), HeldSleep(), []
        throttle = Throttle(200, clock, sleep)

        async def call(name: str) -> None:
            q = await throttle.wait()
            left.append((name, q.arrived, q.released))
        tasks = [asyncio.ensure_future(call(name)) for name in ("a", "b", "c", "d")]
        await asyncio.sleep(0)
        tasks[2].cancel()  # "c" leaves the queue while "b" still sleeps
        await asyncio.sleep(0)
        assert [name for name, *_ in left] == ["a"]
        sleep.go.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        return left
    assert asyncio.run(scenario()) == [("a", 1, 1), ("b", 2, 2), ("d", 4, 3)]


def test_reentrance_in_virtual_and_real_time() -> None:
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    virtual = Reentry(Reentrance(), start, real=False)
    assert virtual.refuse("a") is None and virtual.refuse("b") is None
    assert "within the reentrance wait period (PT5M, 5 min)" in virtual.refuse("a")
    real = Reentry(Reentrance(wait_period="PT0.001S"), start, real=True)
    assert real.refuse("a") is None
    closed = Reentry(Reentrance(allowed=False), start, real=False)
    assert closed.refuse("a") is None and "does not allow reentrance" in closed.refuse("a")


def test_presets_and_the_seeded_generators() -> None:
    assert set(PRESETS) == {"fast", "test-mode", "real-time"}
    mode = preset("test-mode")
    assert mode.split_top and not mode.profile_cap and mode.max_profiles == 100 and mode.wait.total_seconds() == 10
    with pytest.raises(ValueError, match="unknown preset 'slow'; use one of fast, test-mode, real-time"):
        preset("slow")
    a, b = ProfileRandom(profile_seed(7, 3)), ProfileRandom(profile_seed(7, 3))
    assert [a.random(), a.getrandbits(64)] == [b.random(), b.getrandbits(64)]
    assert ProfileRandom(profile_seed(7, 4)).random() != ProfileRandom(profile_seed(7, 3)).random()
