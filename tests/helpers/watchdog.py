"""pytest-timeout's thread method with one watchdog thread per process, not one new thread per test.

The suite times its tests with pytest-timeout's "thread" method (pyproject.toml says why: a test stuck in
Qt's C++ never returns to Python, where the signal method would raise). pytest-timeout starts a
threading.Timer for each test and cancels and joins it at the test's end: a thread made, woken and ended
for every test: with this, 2,000 empty tests on one process take 4.47 -> 3.27 s of CPU (~0.6 ms a test).
Its documented hooks pytest_timeout_set_timer and pytest_timeout_cancel_timer let a plugin time the tests
its own way: here one daemon thread sleeps until the running test's deadline and, if the test is still
running then, calls pytest-timeout's own timeout_timer as its Timer would (the captured output and every
other thread's stack on the terminal, then os._exit(1): xdist reports the worker crashed in that test).
The timeout, its markers and the signal method stay pytest-timeout's own: a marker asking for the signal
method is left to it.
"""
from __future__ import annotations

import math
import os
import threading
import time
from typing import Any, Callable, Optional

import pytest

Fire = Callable[[Any, Any], None]  # (item, settings): pytest_timeout.timeout_timer
_ARMED = pytest.StashKey[bool]()  # on an item this plugin timed


class Deadline:
    """The test being timed and when it times out: one at a time (a worker runs one test at a time); arming
    another replaces it. Times are the caller's clock's."""

    def __init__(self) -> None:
        self._armed: Optional[tuple[float, Any, Any]] = None  # (deadline, item, settings)

    def arm(self, item: Any, settings: Any, now: float) -> float:
        """Its deadline."""
        self._armed = (now + float(settings.timeout), item, settings)
        return self._armed[0]

    def disarm(self, item: Any) -> None:
        if self._armed is not None and self._armed[1] is item:
            self._armed = None

    def due(self, now: float) -> tuple[Optional[tuple[Any, Any]], float]:
        """The armed (item, settings), taken, if its deadline has passed at `now`; else None and when to
        look again (inf: nothing armed)."""
        if self._armed is None:
            return None, math.inf
        deadline, item, settings = self._armed
        if now < deadline:
            return None, deadline
        self._armed = None
        return (item, settings), math.inf


class Watchdog:
    """Calls `fire(item, settings)` from its own thread once `settings.timeout` seconds have passed since
    `arm(item, settings)`, unless `disarm(item)` came first."""

    def __init__(self, fire: Fire, clock: Callable[[], float] = time.monotonic) -> None:
        self._fire, self._clock = fire, clock
        self._forked()
        os.register_at_fork(after_in_child=self._forked)

    def _forked(self) -> None:
        """(Also a fork's child's start: it has no thread of its parent's, and starts its own if it times a test.)"""
        self._cond = threading.Condition()
        self._deadline = Deadline()
        self._wakes_at = math.inf  # when the thread looks next: only an earlier deadline needs to wake it
        self._thread: Optional[threading.Thread] = None

    def arm(self, item: Any, settings: Any) -> None:
        with self._cond:
            deadline = self._deadline.arm(item, settings, self._clock())
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="pytest_timeout watchdog", daemon=True)
                self._thread.start()
            elif deadline < self._wakes_at:  # else it wakes at an earlier test's deadline, finds this one, sleeps on
                self._cond.notify()

    def disarm(self, item: Any) -> None:
        """No wake-up: the thread finds nothing armed (or a later test) when it next looks."""
        with self._cond:
            self._deadline.disarm(item)

    def _run(self) -> None:
        while True:
            with self._cond:
                while True:
                    expired, self._wakes_at = self._deadline.due(self._clock())
                    if expired is not None:
                        break
                    self._cond.wait(None if self._wakes_at == math.inf else self._wakes_at - self._clock())
            self._fire(*expired)  # ends the process, unless a debugger is attached (then it returns)


_WATCHDOG: Optional[Watchdog] = None


def _watchdog() -> Watchdog:
    global _WATCHDOG
    if _WATCHDOG is None:
        from pytest_timeout import timeout_timer

        _WATCHDOG = Watchdog(timeout_timer)
    return _WATCHDOG


@pytest.hookimpl(optionalhook=True)
def pytest_timeout_set_timer(item: pytest.Item, settings: Any) -> Optional[bool]:
    if settings.method != "thread":
        return None  # pytest-timeout's own signal method
    _watchdog().arm(item, settings)
    item.stash[_ARMED] = True
    return True


@pytest.hookimpl(optionalhook=True)
def pytest_timeout_cancel_timer(item: pytest.Item) -> Optional[bool]:
    if not item.stash.get(_ARMED, False):
        return None  # not armed here: pytest-timeout's own (a signal timer, or none)
    del item.stash[_ARMED]
    _watchdog().disarm(item)
    return True

