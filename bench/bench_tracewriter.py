"""Benchmark of the journey trace writer alone (issue 14's runner ratio), not a test.

The sample journey's profiles as the runner records them (an entry event, the writeJourneyEvent call,
the VIP condition and, for a third of them, the airshipCustomEvent call; texts of the sizes a real run
stores), encoded into rows as the run's loop does (not timed here), then written by the trace writer's
thread in batches of 500 profiles, as at full speed. Reported per call: the writer thread's CPU (the
whole process's CPU over the writing, less the main thread's: nothing else runs) and the bytes handed
to the kernel (/proc/self/io, where there is one). In a real run the writer's CPU per call is higher
(its rows are colder, and it shares the cores with the loop and the sandbox), but its changes show here
without the run's noise.

    python bench/bench_tracewriter.py [--profiles 4000] [--rounds 5] [--reads 10000]

--reads N: also what reading such a run back costs (N profiles written once; each read path's CPU, median
of 5): opening it, every count, one profile, an entry, the table's filters, replay's lookups, an export.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

from common import report  # noqa: E402

from app.journeys.model import Journey  # noqa: E402
from app.journeys.replay import Recording  # noqa: E402
from app.journeys.tracereader import TraceReader  # noqa: E402
from app.journeys.tracerows import RowEncoder, Rows  # noqa: E402
from app.journeys.traces import AttemptTrace, ProfileTrace, StepTrace, TraceWriter  # noqa: E402
from app.journeys.tracetable import ProfileFilter, TraceTable  # noqa: E402
from app.masking import Masker  # noqa: E402
from app.model import Action  # noqa: E402

AT = datetime(2026, 12, 1, 3, 0, tzinfo=timezone.utc)
BATCH = 500  # profiles a batch: the writer's at full speed (TraceWriter.batch)
URL = "http://127.0.0.1:8000/collection/sample-inlet?syncValidation=false"
JOURNEY = Journey.model_validate({"name": "writer", "nodes": [
    {"id": "purchase", "type": "event", "event": "purchase", "next": "writeEvent"},
    {"id": "writeEvent", "type": "action", "action": "writeJourneyEvent", "next": "done"},
    {"id": "done", "type": "end"}]})
REQUEST_HEADERS = [("Content-Type", "application/json"), ("x-api-key", "********"), ("Authorization", "********")]


def _answer(n: int) -> tuple[list[tuple[str, str]], str]:
    headers = [("date", f"Tue, 01 Dec 2026 03:00:{n // 3000 % 60:02d} GMT"), ("content-length", "126"),
               ("content-type", "application/json")]
    body = f'{{"inletId":"sample-inlet","xactionId":"1796092698776:{n}:1","receivedTimeMs":1796092698776,' \
           '"syncValidation":{"skipped":true}}'
    return headers, body


def profile(n: int) -> ProfileTrace:
    """Profile `n` as the sample journey's run records it (sizes as measured on a real run)."""
    customer, value = f"ada.liskov.{n}", round(20 + n * 7.31 % 150, 2)
    event = {"event": {"customerId": customer, "value": value, "transaction": f"8c3d5f16-9293-4e8f-888b-{n:012d}",
                       "timestamp": "2026-11-28T03:44:12Z", "interactionId": "your.store/us/en_us/pd/shoe/pid-11046546",
                       "properties": {"description": "Sneaker purchase", "brand": "Victory Sneakers",
                                      "colors": ["red", "blue"], "items": [
                                          {"text": "New Line Sneakers", "price": "$ 79.95"},
                                          {"text": "Old Line Sneakers", "price": "$ 79.95"}],
                                      "name": "Hugh Manbeing", "userLocation": {"state": "CO", "zip": "80202"}},
                       "sessionId": f"22404b07-3f8f-4e42-a4ff-{n:012d}"}}
    mapped = {"body.xdmEntity._yourOrg.journeyVersionId": "sample00000000000000000journey1v1",
              "body.xdmEntity._yourOrg.nodeId": "writeEvent", "body.xdmEntity._yourOrg.customer_Id": customer,
              "body.xdmEntity.eventType": "journey.step", "body.xdmEntity.timestamp": "2026-11-28T03:44:12Z"}
    body = ('{"header":{"schemaRef":{"id":"https://ns.adobe.com/_yourOrg/schemas/journeyEvents","contentType":'
            '"application/vnd.adobe.xed-full+json;version=1.0"},"imsOrgId":"SAMPLE_ORG@AdobeOrg","datasetId":'
            '"sampleJourneyEventsDataset","source":{"name":"Custom Journey Events"}},"body":{"xdmMeta":{"schemaRef":'
            '{"id":"https://ns.adobe.com/_yourOrg/schemas/journeyEvents","contentType":"application/vnd.adobe.xed-full'
            '+json;version=1.0"}},"xdmEntity":{"_id":"test1","_yourOrg":{"journeyVersionId":"sample00000000000000000'
            f'journey1v1","nodeId":"writeEvent","customer_Id":"{customer}"}},"eventMergeId":"","eventType":'
            '"journey.step","producedBy":"self","timestamp":"2026-11-28T03:44:12Z"}}}')
    headers, answer = _answer(n)
    vip = value > 100
    why = {"taken": "paths[0]" if vip else "otherCases", "paths": [{
        "label": "VIP (over 100)", "expression": "@event{purchase.value} > 100", "result": vip, "value": vip,
        "comparisons": [{"text": "@event{purchase.value} > 100", "result": vip, "operands": [
            {"text": "@event{purchase.value}", "value": value, "type": "decimal"},
            {"text": "100", "value": 100, "type": "integer"}]}]}]}

    def call(node: str, values: dict[str, object]) -> StepTrace:
        attempt = AttemptTrace(1, "sandbox", "POST", URL, REQUEST_HEADERS, body, 200, headers, answer,
                               outcome="http_200", network_ms=4.2 + n % 7, wall_at=1796092698.6 + n / 1000)
        return StepTrace(node, "next", "checkValue" if node == "writeEvent" else "done", AT, 1796092698.6 + n / 1000,
                         5.1, values=values, outcome="http_200", attempts=[attempt])

    steps = [StepTrace("purchase", "next", "writeEvent", AT, 1796092698.5 + n / 1000, 0.002, values=event),
             call("writeEvent", mapped),
             StepTrace("checkValue", "paths[0]" if vip else "otherCases", "vipEvent" if vip else "done", AT,
                       1796092698.7 + n / 1000, 0.08, why=why)]
    if vip:
        steps.append(call("vipEvent", {"user.named_user_id": customer, "body.name": "vip_purchase",
                                       "body.value": value}))
    steps.append(StepTrace("done", virtual_at=AT, wall_at=1796092698.8 + n / 1000))
    return ProfileTrace(n, f"p-{n:06d}", "finished", steps, entered_at=AT, ended_at=AT, wall_ms=190.0 + n % 50)


def _written() -> int:
    try:
        counters = dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())
    except OSError:
        return 0
    return int(counters["wchar"])


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def one_round(profiles: list[ProfileTrace], calls: int, folder: Path) -> tuple[float, float, float]:
    """(the writer thread's CPU, the encoder's CPU, bytes written), each a call."""
    trace = TraceWriter.create(folder, JOURNEY, [Action(name="writeJourneyEvent")], seed=1, preset="fast",
                               targets={"writeEvent": "sandbox"})
    trace.batch = trace.encode_batch = BATCH  # a batch written as soon as it is queued
    cpu, main, written = _cpu(), time.thread_time(), _written()
    for at in range(0, len(profiles), BATCH):
        for p in profiles[at:at + BATCH]:
            trace.add(p)  # encoded on this thread, as on the run's loop, then queued for the writer
        while trace.written < min(at + BATCH, len(profiles)):  # one batch a transaction, as at full speed
            time.sleep(0.001)
    trace.finish()  # the end of the run
    encoded = time.thread_time() - main
    writer = (_cpu() - cpu) - encoded  # nothing but this thread and the writer's runs
    written = _written() - written
    trace.path.unlink()
    return writer / calls, encoded / calls, written / calls


def _median_cpu(read: Callable[[], object], times: int = 5) -> float:
    spent = []
    for _ in range(times):
        at = time.process_time()
        read()
        spent.append(time.process_time() - at)
    return statistics.median(spent)


def read_paths(count: int, folder: Path) -> None:
    """Each read path's CPU on a run of `count` sample-shaped profiles (what a change of the run file's
    rows or indexes moves on the reading side)."""
    trace = TraceWriter.create(folder, JOURNEY, [Action(name="writeJourneyEvent")], seed=1, preset="fast",
                               targets={"writeEvent": "sandbox"})
    for n in range(1, count + 1):
        trace.add(profile(n))
    trace.finish()
    path, middle = trace.path, count // 2
    vip = ProfileFilter(node="vipEvent")
    others = ProfileFilter(edge=("checkValue", "otherCases"))
    called = ProfileFilter(status="http_200", status_node="vipEvent")

    def reader(read: Callable[[TraceReader], object]) -> Callable[[], object]:
        def opened() -> object:
            with TraceReader(path) as run:
                return read(run)
        return opened

    def table(read: Callable[[TraceTable], object]) -> Callable[[], object]:
        def opened() -> object:
            with TraceTable(path) as rows:
                return read(rows)
        return opened

    def replay() -> object:
        recording = Recording(path)
        try:
            return [recording.attempts(n, f"p-{n:06d}", "writeEvent") for n in range(1, 201)]
        finally:
            recording.close()

    paths: list[tuple[str, Callable[[], object]]] = [
        ("open and info", reader(lambda r: r.info())), ("every count (summary)", reader(lambda r: r.summary())),
        ("latencies", reader(lambda r: r.latencies())),
        ("one profile by id", reader(lambda r: r.profile(f"p-{middle:06d}"))),
        ("one profile by row", reader(lambda r: r.profile(f"#{middle}"))),
        ("an entry", reader(lambda r: r.entry(middle))),
        ("the table's count and first page", table(lambda t: (t.count(), t.page()))),
        ("the table filtered by node", table(lambda t: (t.count(vip), t.page(vip)))),
        ("the table filtered by edge", table(lambda t: (t.count(others), t.page(others)))),
        ("the table filtered by status at a node", table(lambda t: (t.count(called), t.page(called)))),
        ("replay: open and 200 lookups", replay)]
    for what, read in paths:
        report(f"reading a {count:,}-profile run: {what}, CPU", f"{_median_cpu(read) * 1e3:.2f} ms", "none", None,
               "none", None)
    export = _median_cpu(reader(lambda r: sum(1 for _ in r.entries())), 3)
    report(f"reading a {count:,}-profile run: an export (every entry), CPU", f"{export * 1e3:.0f} ms", "none", None,
           "none", None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--reads", type=int, default=0, help="also read back a run of this many profiles")
    args = parser.parse_args()
    profiles = [profile(n) for n in range(1, args.profiles + 1)]
    calls = sum(len(s.attempts) for p in profiles for s in p.steps)
    RowEncoder(Masker()).encode(profiles[:200], Rows())  # warm: the first round is not the encoder's first run
    with tempfile.TemporaryDirectory(prefix="bench-tracewriter-") as folder:
        rounds = [one_round(profiles, calls, Path(folder)) for _ in range(args.rounds)]
    writer, encoder, written = (statistics.median(r[i] for r in rounds) for i in range(3))
    print(f"{args.profiles} profiles, {calls} calls, {args.rounds} rounds: writer "
          + ", ".join(f"{r[0] * 1e6:.1f}" for r in rounds) + " us a call")
    report(f"journey trace writer thread alone: CPU per call ({args.profiles} sample-shaped profiles, batches of 500)",
           f"{writer * 1e6:.1f} us", f"{encoder * 1e6:.1f} us (encoding the same rows, on the run's loop)",
           None, "none (what the writer takes from the cores; a real run's is higher)", None)
    if written:
        report("journey trace writer thread alone: bytes handed to the kernel per call (the WAL, then the checkpoint)",
               f"{written:.0f} B", "none", None, "none (about twice the rows' bytes: each page is written twice)",
               None)
    if args.reads:
        with tempfile.TemporaryDirectory(prefix="bench-tracereads-") as folder:
            read_paths(args.reads, Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
