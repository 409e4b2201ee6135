"""A hop's deadline (app.calls.deadlines): no timer while the deadline is far, its timer set by the watchdog
at the very deadline once near, a TimeoutError there as asyncio.timeout gives; a cancel from outside stays one."""
from __future__ import annotations

import asyncio

import pytest

from app.calls import deadlines
from app.calls.deadlines import Deadlines


def test_a_hop_gets_a_timer_only_once_its_deadline_is_near(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deadlines, "ARM_AHEAD", 0.1)

    async def go() -> None:
        loop = asyncio.get_running_loop()
        watch = Deadlines(loop)
        with watch.hop(30.0) as quick:  # a hop that ends long before its deadline never makes a timer
            pass
        assert not quick.timed and not quick.expired and not watch._hops
        with pytest.raises(TimeoutError):
            before = loop.time()
            slow = watch.hop(0.3)
            after = loop.time()
            with slow:
                assert not slow.timed  # far: left to the watchdog
                await asyncio.sleep(30)
        assert slow.expired and before + 0.3 <= slow.when <= after + 0.3  # the very deadline
        with pytest.raises(TimeoutError):
            with watch.hop(0.05) as near:
                assert near.timed  # near already: its timer at once
                await asyncio.sleep(30)
        assert near.expired
        watch.close()
    asyncio.run(go())


def test_a_hop_times_out_as_asyncio_timeout_does() -> None:
    """The same TimeoutError (its cause the cancel it made), after its time, as asyncio.timeout(seconds)."""
    async def go() -> list[tuple[type, type, float]]:
        loop, out = asyncio.get_running_loop(), []
        watch = Deadlines(loop)
        for ours in (True, False):
            start = loop.time()
            try:
                if ours:
                    with watch.hop(0.05):
                        await asyncio.sleep(30)
                else:
                    async with asyncio.timeout(0.05):
                        await asyncio.sleep(30)
            except TimeoutError as exc:
                out.append((type(exc), type(exc.__cause__), loop.time() - start))
        watch.close()
        return out

    ours, theirs = asyncio.run(go())
    assert ours[:2] == theirs[:2] == (TimeoutError, asyncio.CancelledError)
    assert ours[2] >= 0.05 and theirs[2] >= 0.05


def test_a_cancel_from_outside_stays_a_cancel() -> None:
    async def go() -> None:
        watch = Deadlines(asyncio.get_running_loop())
        entered = asyncio.Event()

        async def hop(seconds: float) -> None:
            with watch.hop(seconds):
                entered.set()
                await asyncio.sleep(30)
        for seconds in (30.0, 0.5):  # without a timer, and with one
            entered.clear()
            task = asyncio.ensure_future(hop(seconds))
            await entered.wait()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        assert not watch._hops
        watch.close()
    asyncio.run(go())


def test_a_hop_outside_a_task_is_refused() -> None:
    """As asyncio's Timeout: there is no task to cancel (here a loop's callback)."""
    async def go() -> BaseException:
        loop = asyncio.get_running_loop()
        failed: asyncio.Future[BaseException] = loop.create_future()

        def callback() -> None:
            try:
                with Deadlines(loop).hop(1.0):
                    pass
            except RuntimeError as exc:
                failed.set_result(exc)
        loop.call_soon(callback)
        return await failed
    assert "inside a task" in str(asyncio.run(go()))


def test_a_sender_hop_past_the_watchdogs_reach_ends_at_its_deadline(monkeypatch: pytest.MonkeyPatch,
                                                                     slow_body_get) -> None:
    """Headers at once, then a byte every 0.2 s (22 s in all): a 0.6 s deadline, armed by the watchdog
    (0.1 s ahead) rather than on entry, ends the attempt there."""
    monkeypatch.setattr(deadlines, "ARM_AHEAD", 0.1)
    error, requests = slow_body_get(0.6)
    assert isinstance(error, TimeoutError)
    assert requests == 1
