"""The diagram's per-node counts: reshaped from the trace and from the live progress, never counted twice."""
from __future__ import annotations

from typing import Any

from app.journeys.counts import RunCounts
from app.journeys.files import load_journey
from app.journeys.progress import RunProgress
from app.journeys.tracereader import TraceReader
from tests.app.journeys.runkit import END, EVENT, FAILED, SampleRun, journey, notify, purchases


def test_trace_and_final_progress_give_the_same_counts_as_the_trace_reader(sample_run: SampleRun) -> None:
    ran, progress = sample_run.ran, sample_run.progress  # the sample's run, seed 11, and what it reported
    sample = load_journey(sample_run.home, "sampleJourney")
    with TraceReader(ran.result.path) as reader:
        counts = RunCounts.from_trace(reader)
        nodes, edges, codes, stopped = reader.node_counts(), reader.edge_counts(), reader.codes(), reader.stopped()
    assert counts.final and counts.edges == edges
    assert {n: c.entered for n, c in counts.nodes.items()} == nodes
    assert {n: c.codes for n, c in counts.nodes.items() if c.codes} == codes
    assert all(c.in_node == 0 for c in counts.nodes.values())
    write = counts.nodes["writeEvent"]
    assert write.entered == write.exited == 288 and write.retries == 0
    assert 0 <= write.p50_ms <= write.p95_ms
    assert counts.nodes["done"].stopped == stopped["done"] == {"finished": 288}
    assert counts.nodes["done"].exited == 0
    live = RunCounts.from_progress(progress[-1], sample)
    assert live.final and live.edges == counts.edges
    assert {n: (c.entered, c.exited, c.stopped, c.codes) for n, c in live.nodes.items()} == \
           {n: (c.entered, c.exited, c.stopped, c.codes) for n, c in counts.nodes.items()}
    assert live.nodes["writeEvent"].p50_ms is None  # latency comes from the trace only


def test_a_failing_call_without_an_error_path_counts_as_an_error_at_its_node(sandbox: Any, run_journey: Any) -> None:
    sandbox.set_fault("echo", status=404)  # not retried
    ran = run_journey(journey(EVENT, notify(error=None), END, FAILED), purchases(3), concurrency=1)
    with TraceReader(ran.result.path) as reader:
        counts = RunCounts.from_trace(reader)
    node = counts.nodes["notify"]
    assert (node.entered, node.exited, node.error, node.timed_out) == (3, 0, 3, 0)
    assert node.codes == {"http_404": 3} and "done" not in counts.nodes


def test_retries_and_live_profiles_inside_a_node() -> None:
    j = journey(EVENT, notify(), END, FAILED)
    # Five profiles left the entry, three are done with the call: two are inside it.
    progress = RunProgress(5, 3, {"finished": 3}, {"in": 5, "notify": 3, "done": 3}, {("in", "next"): 5,
                           ("notify", "next"): 3}, {"notify": {"http_200": 3}}, 1.0,
                           stopped={"done": {"finished": 3}})
    counts = RunCounts.from_progress(progress, j)
    assert (counts.nodes["notify"].entered, counts.nodes["notify"].in_node, counts.nodes["notify"].exited) == (5, 2, 3)
    assert counts.nodes["in"].in_node == 0 and counts.busiest_edge == 5 and not counts.final
