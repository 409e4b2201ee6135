"""The bulk path: JSON lines and CSV input with bad lines, concurrency, one token, cancel, cap."""
from __future__ import annotations

import json
import threading
import time

import pytest

from app.calls.batch import BatchItem, format_of, read_batch, run_batch
from app.calls.build import prepare
from app.calls.history import History
from app.calls.send import HostCap
from app.calls.values import example_values
from tests.helpers.clock import HandClock, SkippingClock


@pytest.fixture
def webhook(services, resolver):
    action = services.workspace.load("notifyWebhook")
    return action, prepare(action, resolver)


def test_jsonl_with_bad_lines_reports_line_numbers(webhook) -> None:
    _, prepared = webhook
    text = '{"customerId": "a"}\n\n{"customerId": 3}\nnot json\n[1]\n{"Customer id": "b", "$path": "x"}\n{"nope": 1}\n'
    parsed = read_batch(prepared, text)
    assert [(i.line, i.values, i.path_suffix) for i in parsed.items] == \
        [(1, {"customerId": "a"}, ""), (6, {"customerId": "b"}, "x")]
    assert [b.line for b in parsed.bad] == [3, 4, 5, 7]
    assert "expected a string" in parsed.bad[0].reason and "not valid JSON" in parsed.bad[1].reason
    assert "unknown value 'nope'" in parsed.bad[3].reason


def test_jsonl_nested_objects_fill_field_paths(services, resolver) -> None:
    action = services.workspace.load("airshipCustomEvent")
    line = {"user": {"named_user_id": "u1"}, "body": {"name": "opened", "value": 2, "transaction": "t"}}
    parsed = read_batch(prepare(action, resolver), json.dumps(line))
    assert parsed.items[0].values == {"user.named_user_id": "u1", "body.name": "opened", "body.value": 2,
                                      "body.transaction": "t"}


def test_csv_by_label_with_types_and_bad_rows(services, resolver) -> None:
    action = services.workspace.load("airshipCustomEvent")
    text = ("Named user,Event name,Value,Transaction id\n"
            "u1,opened,2.5,t1\n"
            "u2,closed,lots,t2\n"
            "u3,viewed\n"
            "u4,,1,t4\n")
    parsed = read_batch(prepare(action, resolver), text, "csv")
    assert parsed.items[0].values["body.value"] == 2.5 and parsed.items[0].line == 2
    assert [(b.line, b.reason.split(":")[0]) for b in parsed.bad] == \
        [(3, "Value"), (4, "expected 4 cells, found 2"), (5, "missing value for")]
    assert format_of("events.CSV") == "csv" and format_of("-") == "jsonl"


def test_a_few_hundred_lines_with_bad_ones(services, resolver, sandbox, tmp_path) -> None:
    action = services.workspace.load("writeJourneyEvent")
    prepared = prepare(action, resolver)
    base = example_values(action)
    lines = []
    for i in range(300):
        if i % 50 == 7:
            lines.append("{broken")
        elif i % 50 == 9:
            lines.append(json.dumps(base | {"body.xdmEntity.timestamp": "yesterday"}))
        else:
            lines.append(json.dumps(base | {"body.xdmEntity._yourOrg.customer_Id": f"c{i}"}))
    parsed = read_batch(prepared, "\n".join(lines))
    assert len(parsed.bad) == 12 and parsed.bad[0].line == 8 and parsed.bad[1].line == 10
    seen = []
    with History(tmp_path / "h.sqlite3") as history:
        summary = run_batch(action, parsed.items, engine=services.auth, resolver=resolver, prepared=prepared,
                            concurrency=8, history=history, bad=parsed.bad,
                            progress=lambda done, total, s: seen.append((done, total)))
        assert history.count() == 288 and history.rows(limit=1)[0].source == "batch"
    assert summary.sent == summary.ok == 288 and not summary.failed and len(summary.bad) == 12
    assert seen[-1] == (288, 288)
    assert sandbox.counters()["token"] == 1 and sandbox.counters()["inlet"] == 288
    assert "288 ok" in summary.line() and "12 bad lines skipped" in summary.line()


def test_failures_are_counted_by_code(services, resolver, sandbox) -> None:
    action = services.workspace.load("airshipCustomEvent")
    prepared = prepare(action, resolver)
    base = example_values(action)
    items = [BatchItem(i + 1, prepared.check(base | {"body.name": "Bad" if i % 4 == 0 else "good"}))
             for i in range(40)]
    clock = SkippingClock()
    summary = run_batch(action, items, engine=services.auth, resolver=resolver, prepared=prepared, timeout=5,
                        clock=clock)
    assert summary.ok == 30 and summary.failed == {"http_400": 10}
    assert sorted(clock.waits) == [0.1] * 10 + [0.2] * 10 + [0.4] * 10  # each 400 retried 3 times
    assert summary.failures[0][0] % 4 == 1 and "uppercase" in summary.failures[0][1]


def test_expired_token_mid_batch_is_refetched_once(services, resolver, sandbox) -> None:
    action = services.workspace.load("writeJourneyEvent")
    prepared = prepare(action, resolver)
    items = [BatchItem(i, prepared.check(example_values(action))) for i in range(60)]
    assert run_batch(action, items[:5], engine=services.auth, resolver=resolver, prepared=prepared).ok == 5
    sandbox.expire_tokens()
    summary = run_batch(action, items, engine=services.auth, resolver=resolver, prepared=prepared, concurrency=16)
    assert summary.ok == 60
    assert sandbox.counters()["token"] == 2


@pytest.mark.parametrize("transport", ["aiohttp", "httpx"])
def test_both_transports_time_out_and_fail_the_same_way(webhook, services, resolver, sandbox, transport) -> None:
    action, prepared = webhook
    items = [BatchItem(i, {"customerId": f"c{i}"}) for i in range(4)]
    sandbox.set_fault("echo", hang=True)  # never answers: how long the timeout is does not matter
    summary = run_batch(action, items, engine=services.auth, resolver=resolver, prepared=prepared,
                        timeout=0.3, transport=transport)
    assert summary.failed == {"timedout": 4}
    sandbox.set_fault("echo", drop=True)
    clock = SkippingClock()  # each call's 3 retries after their backoffs (0.7 s) cost no waiting
    summary = run_batch(action, items, engine=services.auth, resolver=resolver, prepared=prepared,
                        timeout=2, transport=transport, clock=clock)
    assert summary.failed == {"internalError": 4} and sorted(clock.waits) == [0.1] * 4 + [0.2] * 4 + [0.4] * 4


def test_cancel_stops_the_batch(webhook, services, resolver, sandbox) -> None:
    action, prepared = webhook
    sandbox.set_fault("echo", latency_ms=10)
    items = [BatchItem(i, {"customerId": f"c{i}"}) for i in range(500)]
    cancel = threading.Event()

    def progress(done: int, total: int, summary) -> None:
        if done >= 20:
            cancel.set()

    summary = run_batch(action, items, engine=services.auth, resolver=resolver, prepared=prepared,
                        concurrency=4, cancel=cancel, progress=progress)
    assert summary.cancelled and 20 <= summary.sent < 100
    assert "cancelled" in summary.line()


def test_capped_calls_are_refused(webhook, services, resolver, sandbox) -> None:
    action, prepared = webhook
    items = [BatchItem(i, {"customerId": f"capped-{i}"}) for i in range(10)]
    summary = run_batch(action, items, engine=services.auth, resolver=resolver, prepared=prepared,
                        concurrency=2, cap=HostCap(per_minute=6, clock=HandClock()))
    # The clock stands still: on a real one a run stretched past a minute by a loaded machine
    # (a stalled process) rightly admits the 7th call once the 1st has left the window.
    assert summary.ok == 6 and summary.failed == {"capped": 4}
    # What reached the sandbox is counted by this test's own ids, not by the endpoint's counter: a
    # call of the cancelled batch before it, already on the wire when that batch stopped, may reach
    # the shared sandbox after its reset (it did once, at a load of 10). A request is logged once
    # answered: the last may be logged just after its client has read the answer.
    reached = _wait_for(lambda: [r for r in sandbox.requests("/echo") if "capped-" in r["body"]], 6)
    assert len(reached) == 6


def test_the_per_host_cap_admits_no_more_than_its_maximum_per_minute_even_from_threads() -> None:
    clock = HandClock()
    cap = HostCap(per_minute=6, clock=clock)
    admitted: list[bool] = []

    def ask() -> None:
        for _ in range(50):
            admitted.append(cap.admit("example.com"))
    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert admitted.count(True) == 6 and cap.admit("other.example.com")  # per host
    clock.now += 59.999
    assert not cap.admit("example.com")
    clock.now += 0.001  # the first six leave the window together
    assert [cap.admit("example.com") for _ in range(7)] == [True] * 6 + [False]


@pytest.fixture
def local_server():
    """A plain HTTP server: POST .../notify answers 307 to /moved, which echoes path and body
    (gzipped when the path ends in /gz); yields its base URL."""
    import gzip
    import http.server

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.path.endswith("/notify"):
                self.send_response(307)
                self.send_header("Location", "/moved")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            out = json.dumps({"path": self.path, "body": json.loads(body)}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            if self.path.endswith("/gz"):
                out = gzip.compress(out)
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()  # shutdown() waits a poll
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_the_bulk_path_follows_redirects(webhook, services, local_server) -> None:
    """The aiohttp sender follows a 307 itself, with the body, and the final answer is recorded."""
    from app.services import SANDBOX_URL_VAR

    resolver = services.resolver(overrides={SANDBOX_URL_VAR: local_server})
    results = []
    summary = run_batch(webhook[0], [BatchItem(1, {"customerId": "c1"})], engine=services.auth, resolver=resolver,
                        timeout=5, on_result=lambda item, result: results.append(result))
    assert summary.ok == 1
    assert results[0].data == {"path": "/moved", "body": {**results[0].data["body"], "customerId": "c1"}}


def test_the_aiohttp_sender_follows_redirects_itself_and_inflates_gzip(local_server) -> None:
    import asyncio
    import time

    import httpx

    from app.calls.aiosender import AioSender

    async def post(path: str) -> list:
        url = httpx.URL(local_server + path)
        headers = [("Host", url.netloc.decode()), ("Content-Type", "application/json"), ("Content-Length", "8")]
        async with AioSender(2) as sender:
            answer = await sender.exchange("POST", url, str(url), headers, b'{"a": 1}', time.monotonic() + 10)
        return [answer.status, answer.header("content-encoding"), answer.body]

    moved = asyncio.run(post("/x/notify"))  # 307 to /moved on the same origin: the body goes along
    assert moved[0] == 200 and b'"path": "/moved"' in moved[2]
    status, encoding, body = asyncio.run(post("/x/gz"))
    assert status == 200 and encoding == "gzip" and json.loads(body) == {"path": "/x/gz", "body": {"a": 1}}


def test_a_cancelled_batch_records_the_calls_in_flight(services, tmp_path) -> None:
    """Cancelled while 3 calls wait on a server that never answers: all 3 are counted and recorded."""
    from app.services import SANDBOX_URL_VAR
    from tests.helpers.hanging_server import hanging_server

    action = services.workspace.load("notifyWebhook")
    items = [BatchItem(i, {"customerId": f"c{i}"}) for i in range(1, 11)]
    cancel = threading.Event()
    with hanging_server() as server, History(tmp_path / "h.sqlite3") as history:
        resolver = services.resolver(overrides={SANDBOX_URL_VAR: "unused", "baseUrl": server.url})
        waiter = threading.Thread(target=lambda: server.wait_for(3) and cancel.set())
        waiter.start()
        summary = run_batch(action, items, engine=services.auth, resolver=resolver, concurrency=3,
                            timeout=30, cancel=cancel, history=history)
        waiter.join()
        rows = history.rows(limit=50)
    assert summary.cancelled and summary.sent == 3 and summary.failed == {"cancelled": 3}
    assert sorted(line for line, _ in summary.failures) == [1, 2, 3]
    assert all("interrupted while in flight" in reason for _, reason in summary.failures)
    assert sorted(r.outcome for r in rows) == ["cancelled"] * 3
    assert all(r.url.endswith("/notify") and r.method == "POST" for r in rows)


def test_a_batch_line_whose_path_climbs_is_a_bad_line(webhook) -> None:
    _, prepared = webhook
    lines = '{"customerId": "a", "$path": "../../_sandbox/faults"}\n{"customerId": "b", "$path": "ok/1"}\n'
    parsed = read_batch(prepared, lines)
    assert [(i.line, i.path_suffix) for i in parsed.items] == [(2, "ok/1")]
    assert parsed.bad[0].line == 1 and "may not climb above" in parsed.bad[0].reason


def test_answers_with_the_same_headers_share_one_masked_list_and_are_recorded_as_before(
        webhook, services, resolver, tmp_path) -> None:
    """The bulk path decodes and masks a distinct set of response headers once (the sandbox's answers
    differ by their Date at most once a second): the records share that list, and the history holds
    what it held for lists of their own."""
    import copy

    from app.calls.storage import row, unpack

    action, prepared = webhook
    results = []
    items = [BatchItem(n, {"customerId": f"c{n}"}) for n in range(1, 41)]
    with History(tmp_path / "history.sqlite3") as history:
        summary = run_batch(action, items, engine=services.auth, resolver=resolver, prepared=prepared, concurrency=4,
                            history=history, on_result=lambda item, result: results.append(result))
        assert summary.ok == 40
        groups: dict[tuple[tuple[str, str], ...], list[int]] = {}
        for result in results:
            assert result.response is not None
            groups.setdefault(tuple(result.response.headers), []).append(id(result.response.headers))
        assert max(len(ids) for ids in groups.values()) > 1
        assert all(len(set(ids)) == 1 for ids in groups.values())
        stored = [history.result(n) for n in range(1, 41)]
    for result, back in zip(results, stored, strict=True):
        assert back is not None
        alone = unpack(row(copy.deepcopy(result))[9])  # every list its own, as before they were shared
        assert back.to_dict(parsed=False) == alone.to_dict(parsed=False)


def _wait_for(read, count: int, timeout_s: float = 10.0) -> list:
    """`read()` once it holds at least `count` items, or as it is at the timeout."""
    deadline = time.monotonic() + timeout_s
    found = read()
    while len(found) < count and time.monotonic() < deadline:
        time.sleep(0.01)
        found = read()
    return found
