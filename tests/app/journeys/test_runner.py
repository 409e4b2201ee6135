"""The runner against the real sandbox: branches, retries, error paths, timeouts, counts that add up."""
from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest

from app.journeys.files import load_journey
from app.journeys.runner import typed_ahead
from tests.app.journeys.runkit import END, EVENT, FAILED, SampleRun, journey, notify, purchases
from tests.helpers.clock import HandClock

SAMPLE_PROFILES = Path("profiles") / "purchases.csv"


def _expected_vips(path: Path, rejected: set[int]) -> int:
    """Profiles over 100 among the rows that enter (first entry of each id, good rows only)."""
    seen, vips = set(), 0
    with path.open() as f:
        for n, row in enumerate(csv.DictReader(f), 1):
            if n in rejected or row["profileId"] in seen:
                continue
            seen.add(row["profileId"])
            vips += float(row["event.value"]) > 100
    return vips


def test_the_sample_journey_takes_its_branches_and_the_counts_add_up(sample_run: SampleRun) -> None:
    home, ran, progress = sample_run.home, sample_run.ran, sample_run.progress  # seed 11, against the sandbox
    sample = load_journey(home, "sampleJourney")
    result, summary = ran.result, ran.summary
    assert result.state == "completed" and result.seed == 11
    assert summary["run"]["rowsRead"] == result.rows_read == sum(summary["outcomes"].values()) == 303
    rejected = {e["row"] for entries in ran.profiles.values() for e in entries if e["outcome"] == "rejected"}
    assert summary["outcomes"] == {"finished": 288, "rejected": 12, "discarded": 3}
    vips = _expected_vips(home / SAMPLE_PROFILES, rejected)
    assert len(rejected) == 12
    assert summary["nodes"]["vipEvent"] == vips and summary["nodes"]["writeEvent"] == 288
    assert {(e["node"], e["port"]): e["count"] for e in summary["edges"]}[("checkValue", "otherCases")] == 288 - vips
    assert summary["codes"] == {"writeEvent": {"http_200": 288}, "vipEvent": {"http_200": vips}}
    assert sample_run.tokens_issued == 1  # one token for the whole run
    final = progress[-1]
    assert final.final and final.outcomes == summary["outcomes"] and final.nodes == summary["nodes"]
    # The live counts (one count per step, added up per node, edge and code) agree with the trace's.
    assert final.edges == {(e["node"], e["port"]): e["count"] for e in summary["edges"]}
    assert final.codes == summary["codes"] and final.done == result.rows_read
    (vip,) = ran.steps("p-000006", "checkValue")
    path = vip["why"]["paths"][0]
    assert vip["why"]["taken"] == "paths[0]" and path["result"] is True
    assert path["comparisons"][0]["operands"][0] == {"text": "@event{purchase.value}", "value": 182.07,
                                                     "type": "decimal"}
    write = ran.steps("p-000006", "writeEvent")[0]
    assert write["values"]["body.xdmEntity._yourOrg.nodeId"] == "writeEvent"
    assert write["values"]["body.xdmEntity._yourOrg.journeyVersionId"] == sample.version_id
    assert ["Authorization", "********"] in write["attempts"][0]["request"]["headers"]
    token = sample_run.token  # the run's Authorization header
    trace = result.path.read_bytes()  # no secret, no token in the file
    assert token.split()[1].encode() not in trace and b"sandbox-airship-token" not in trace
    # The client secret 5678 as it would be written (a JSON or form value, Basic credentials), not any
    # four digits: the sandbox's answers hold a random 1000-9999 and millisecond times (a suite run failed so)
    assert b'"5678"' not in trace and b"MTIzNDo1Njc4" not in trace and not re.search(rb"=5678(?![0-9])", trace)
    discarded = next(v[-1] for v in ran.profiles.values() if v[-1]["outcome"] == "discarded")
    assert "within the reentrance wait period" in discarded["error"] and discarded["path"] == []


def test_a_503_then_200_is_retried_and_a_429_waits_its_retry_after(sandbox: Any, run_journey: Any) -> None:
    sandbox.set_fault("echo", status=503, times=1)
    ran = run_journey(journey(EVENT, notify(), END, FAILED), purchases(1), concurrency=1)
    attempts = ran.attempts("p1", "notify")
    assert [a["status"] for a in attempts] == [503, 200] and {a["target"] for a in attempts} == {"sandbox"}
    assert ran.profiles["p1"][0]["path"] == ["in", "notify", "done"]
    sandbox.set_fault("echo", status=429, times=1, retry_after=0)
    ran = run_journey(journey(EVENT, notify(), END, FAILED), purchases(1), concurrency=1)
    assert [a["outcome"] for a in ran.attempts("p1", "notify")] == ["http_429", "http_200"]


def test_an_error_takes_the_error_path_or_ends_the_profile_in_error(sandbox: Any, run_journey: Any) -> None:
    sandbox.set_fault("echo", status=500)
    ran = run_journey(journey(EVENT, notify(), END, FAILED), purchases(2))
    assert ran.summary["outcomes"] == {"finished": 2} and ran.summary["endedAt"] == {"failed": 2}
    assert len(ran.attempts("p1", "notify")) == 4  # the call and its 3 retries
    ran = run_journey(journey(EVENT, notify(error=None), END), purchases(2))
    assert ran.summary["outcomes"] == {"error": 2}
    (entry,) = ran.profiles["p2"]
    assert entry["code"] == "http_500" and "node 'notify'" in entry["error"] and entry["path"] == ["in", "notify"]


def test_a_hung_call_times_out_and_a_dropped_one_is_retried(sandbox: Any, run_journey: Any) -> None:
    sandbox.set_fault("echo", hang=True)
    # p1's call has a timeoutOrError path, p2's none: both hang at once, in one run (one 1 s timeout).
    route = {"id": "route", "type": "condition", "otherCases": "bare",
             "paths": [{"label": "big", "expression": "@event{purchase.value} > 5", "next": "notify"}]}
    bare = dict(notify(error=None), id="bare")
    rows = [{"profileId": "p1", "event.customerId": "c-1", "event.value": 10},
            {"profileId": "p2", "event.customerId": "c-2", "event.value": 1}]
    ran = run_journey(journey(dict(EVENT, next="route"), route, notify(), bare, END, FAILED, timeoutSeconds=1), rows)
    (attempt,) = ran.attempts("p1", "notify")  # a timed-out call is never retried
    assert attempt["outcome"] == "timedout" and attempt["response"] is None
    assert ran.steps("p1", "notify")[0]["port"] == "timeoutOrError"
    assert ran.profiles["p2"][0]["outcome"] == "timedOut" and ran.profiles["p2"][0]["code"] == "timedout"
    sandbox.clear_faults()
    sandbox.set_fault("echo", drop=True, times=1)
    ran = run_journey(journey(EVENT, notify(), END, FAILED), purchases(1))
    assert [a["status"] for a in ran.attempts("p1", "notify")] == [None, 200]


def test_capping_refuses_calls_over_the_cap_and_each_retry_takes_a_slot(sandbox: Any, run_journey: Any) -> None:
    cap = {"url": f"{sandbox.base_url}/echo/*", "methods": ["POST"],
           "services": {"action": {"maxHttpConnections": 1, "rating": {"maxCallsCount": 2, "periodInMs": 60000}}}}
    sandbox.set_fault("echo", status=503, times=1)
    # The cap's minute stands still: a loaded machine taking a minute over three calls admits no more.
    ran = run_journey(journey(EVENT, notify(), END, FAILED, capping=[cap]), purchases(3), concurrency=1,
                      cap_clock=HandClock())
    assert [a["status"] for a in ran.attempts("p1", "notify")] == [503, 200]  # two slots
    assert ran.attempts("p2", "notify") == [] and ran.steps("p2", "notify")[0]["outcome"] == "capped"
    refused = ran.steps("p3", "notify")[0]
    assert refused["port"] == "timeoutOrError" and "capping[0]" in refused["error"]
    assert "2 calls per 60000 ms, at most 1 connection at once" in refused["error"]
    assert ran.summary["codes"]["notify"] == {"http_200": 1, "capped": 2}
    assert sandbox.counters()["echo"] == 2


def test_the_caps_window_slides_on_the_runs_cap_clock(sandbox: Any, run_journey: Any) -> None:
    """A minute passes between two calls on the cap's clock: each is admitted (the window slid)."""
    cap = {"url": f"{sandbox.base_url}/echo/*", "methods": ["POST"],
           "services": {"action": {"rating": {"maxCallsCount": 2, "periodInMs": 60000}}}}
    clock = HandClock()

    def a_minute_a_call() -> float:
        clock.now += 60.001
        return clock()

    ran = run_journey(journey(EVENT, notify(), END, FAILED, capping=[cap]), purchases(3), concurrency=1,
                      cap_clock=a_minute_a_call)
    assert ran.summary["codes"]["notify"] == {"http_200": 3}
    held = run_journey(journey(EVENT, notify(), END, FAILED, capping=[cap]), purchases(3), concurrency=1,
                       cap_clock=clock)  # the clock stands still: two calls in the minute
    assert held.summary["codes"]["notify"] == {"http_200": 2, "capped": 1}


def test_throttling_queues_calls_in_order_with_the_queue_time_apart(sandbox: Any, run_journey: Any) -> None:
    throttle = {"urlPattern": f"{sandbox.base_url}/echo/*", "methods": ["POST"], "maxThroughput": 200}
    ran = run_journey(journey(EVENT, notify(), END, FAILED, throttling=throttle), purchases(8), concurrency=8)
    assert ran.summary["outcomes"] == {"finished": 8}
    assert len(sandbox.requests("/echo/notify")) == 8
    # FIFO: the queue releases the calls in the order the profiles reached it. The trace counts
    # both orders (not times: which profile arrives first, and when, depends on the machine's load).
    places = [ran.steps(f"p{i}", "notify")[0]["why"]["queue"] for i in range(1, 9)]
    by_arrival = sorted(places, key=lambda q: q["arrived"])
    assert [q["arrived"] for q in by_arrival] == list(range(1, 9))
    assert [q["released"] for q in by_arrival] == list(range(1, 9)), places
    last = ran.attempts("p8", "notify")[0]
    assert last["queueMs"] > 0 and ran.summary["calls"]["notify"]["meanQueueMs"] > 0


def test_rows_typed_ahead_come_in_order_and_a_failing_read_fails_after_the_rows_before_it() -> None:
    def broken() -> Any:
        yield from ("a", "b", "c")
        raise OSError("the disk went away")

    assert list(typed_ahead(iter("abcde"), 2)) == list("abcde")
    got = []
    with pytest.raises(OSError, match="the disk went away"):
        for row in typed_ahead(broken(), 32):
            got.append(row)
    assert got == ["a", "b", "c"]
