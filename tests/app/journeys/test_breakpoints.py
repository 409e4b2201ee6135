"""Breakpoints against the real sandbox: a conditional one pauses only the profiles it matches while
the others go on; Step runs exactly one node; Resume finishes; a stop with paused profiles ends them
cancelled; a condition that does not parse is refused with its position."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

from app.journeys.breakpoints import Breakpoint, Breakpoints, Paused
from app.journeys.expr import ExprError
from app.journeys.profiles import ProfileSource
from app.journeys.runner import RunResult
from tests.app.journeys.runkit import END, EVENT, Ran, journey, make_run, notify, purchases, read_back, rows

NOT_OK = '@action{notifyWebhook.jo_status_code} != "http_200"'
WAIT_S = 60  # a failsafe for a stuck run, never a measure


class Background:
    """A run in its own thread (as the window runs it), with its breakpoints and progress."""

    def __init__(self, home: Path, services: Any, resolver: Any, j: Any, items: list[dict[str, Any]],
                 breaks: Breakpoints, **options: Any) -> None:
        self.changed = threading.Condition()
        self.outcomes: dict[str, int] = {}
        breaks.on_change = self._poke
        self.breaks, self.cancel = breaks, threading.Event()
        self.runner = make_run(home, services, resolver, j, progress=self._progress, cancel=self.cancel,
                               breakpoints=breaks, **options)
        self.path = rows(home / "bp-profiles.jsonl", items)
        self.result: Optional[RunResult] = None
        self.thread = threading.Thread(target=self._go, daemon=True)
        self.thread.start()

    def _go(self) -> None:
        with ProfileSource.open(self.path, self.runner.journey.entry) as source:
            self.result = self.runner.run(source)
        self._poke()

    def _poke(self) -> None:
        with self.changed:
            self.changed.notify_all()

    def _progress(self, progress: Any) -> None:
        self.outcomes = dict(progress.outcomes)
        self._poke()

    def until(self, what: Callable[[], Any]) -> Any:
        with self.changed:
            assert self.changed.wait_for(what, WAIT_S), f"the run never got there: {self.outcomes}"
        return what()

    def paused(self, count: int) -> list[Paused]:
        return self.until(lambda: len(self.breaks.paused()) == count and self.breaks.paused())

    def finish(self) -> Ran:
        self.thread.join(WAIT_S)
        assert self.result is not None
        return read_back(self.result)


@pytest.fixture
def background(services: Any, resolver: Any) -> Callable[..., Background]:
    def start(j: Any, items: list[dict[str, Any]], breaks: Breakpoints, **options: Any) -> Background:
        return Background(services.workspace.home, services, resolver, j, items, breaks, **options)
    return start


def test_a_conditional_breakpoint_pauses_only_the_matching_profile_while_the_others_finish(
        sandbox: Any, background: Callable[..., Background]) -> None:
    sandbox.set_fault("echo", status=500, times=4)  # the first profile's call and its 3 retries
    breaks = Breakpoints()
    breaks.set(Breakpoint("done", condition=NOT_OK))
    run = background(journey(EVENT, notify(error="done"), END), purchases(6), breaks, concurrency=1)
    (paused,) = run.paused(1)
    assert (paused.profile_id, paused.node, paused.edge) == ("p1", "done", ("notify", "timeoutOrError"))
    assert paused.why == f"breakpoint on node done when {NOT_OK}"
    assert [s.node for s in paused.steps] == ["in", "notify"]
    # the one worker was held by p1: the others went on all the same, and ended
    run.until(lambda: run.outcomes.get("finished") == 5)
    assert [p.profile_id for p in breaks.paused()] == ["p1"]
    paused.resume()
    ran = run.finish()
    assert ran.result.state == "completed" and ran.summary["outcomes"] == {"finished": 6}
    assert ran.profiles["p1"][0]["path"] == ["in", "notify", "done"]


def test_step_runs_exactly_one_node_and_resume_finishes(sandbox: Any, background: Callable[..., Background]) -> None:
    breaks = Breakpoints()
    breaks.set(Breakpoint("in", port="next"))  # on the edge into the call
    run = background(journey(EVENT, notify(), END, {"id": "failed", "type": "end"}), purchases(2), breaks,
                     concurrency=1)
    first, second = run.paused(2)
    assert (first.node, first.edge, len(first.steps)) == ("notify", ("in", "next"), 1)
    first.step()
    run.until(lambda: any(p.why == "stepped one node" for p in breaks.paused()))
    stepped = next(p for p in breaks.paused() if p.why == "stepped one node")
    assert (stepped.profile_id, stepped.node, [s.node for s in stepped.steps]) == ("p1", "done", ["in", "notify"])
    assert stepped.steps[-1].outcome == "http_200"  # the call ran, and only it
    breaks.clear("in", "next")
    breaks.resume_all()
    ran = run.finish()
    assert ran.summary["outcomes"] == {"finished": 2} and not breaks.paused() and not breaks.active


def test_a_stop_with_paused_profiles_ends_them_cancelled(sandbox: Any, background: Callable[..., Background]) -> None:
    breaks = Breakpoints()
    breaks.set(Breakpoint("notify"))
    run = background(journey(EVENT, notify(), END, {"id": "failed", "type": "end"}), purchases(3), breaks,
                     concurrency=1)
    run.paused(3)
    run.cancel.set()
    ran = run.finish()
    assert ran.result.state == "cancelled" and ran.summary["outcomes"] == {"cancelled": 3}
    assert ran.profiles["p2"][0]["path"] == ["in"] and breaks.paused() == []


def test_a_condition_is_checked_when_set_and_one_that_fails_there_never_pauses(
        sandbox: Any, background: Callable[..., Background]) -> None:
    breaks = Breakpoints()
    with pytest.raises(ExprError) as bad:
        breaks.set(Breakpoint("notify", condition="@event{purchase.value} >"))
    assert "column 25: the expression ends too early" in str(bad.value) and breaks.points() == []
    breaks.set(Breakpoint("notify", condition='toInteger("x") > 1'))
    run = background(journey(EVENT, notify(), END, {"id": "failed", "type": "end"}), purchases(2), breaks)
    ran = run.finish()
    assert ran.summary["outcomes"] == {"finished": 2}
    assert "node notify when" in breaks.errors[("notify", None)]


def test_a_condition_set_while_the_run_goes_reads_the_responses_it_names(
        sandbox: Any, background: Callable[..., Background]) -> None:
    breaks = Breakpoints()
    breaks.set(Breakpoint("notify"))  # holds p1 before its call
    run = background(journey(EVENT, notify(), END, {"id": "failed", "type": "end"}), purchases(1), breaks)
    (held,) = run.paused(1)
    # nothing read notifyWebhook's response when the run started: from now on the run parses it
    breaks.set(Breakpoint("done", condition='@action{notifyWebhook.jo_status_code} == "http_200"'))
    breaks.clear("notify")
    held.resume()
    run.until(lambda: [p.node for p in breaks.paused()] == ["done"])
    breaks.resume_all()
    assert run.finish().summary["outcomes"] == {"finished": 1}
