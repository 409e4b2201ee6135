"""Replay: a stored run's rows, seed and virtual start through the current journey, each call answered
from the recording; what the recording lacks is reported (`notRecorded`), never sent."""
from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any, Optional

import pytest

from app.journeys.diff import diff_runs
from app.journeys.replay import NOT_RECORDED, ReplayError, ReplaySetup
from app.journeys.tappedsource import TappedSource
from app.journeys.targets import Target
from tests.app.journeys import runkit
from tests.app.journeys.runkit import END, EVENT, FAILED, journey, notify

# The echo answers with the request's path: the first condition reads the response, the second the
# event, the split draws from the seeded generator. A replay must give all three the same values.
CHECK_RESPONSE = {"id": "echoed", "type": "condition", "paths": [
    {"label": "echoed", "expression": "@action{notifyWebhook.method} == \"POST\"", "next": "check"}],
    "otherCases": "failed"}
SPLIT = {"id": "split", "type": "split", "branches": [{"label": "A", "percent": 50, "next": "done"},
                                                      {"label": "B", "percent": 50, "next": "other"}]}
OTHER = {"id": "other", "type": "end"}


def check(threshold: int, big: str = "split") -> dict[str, Any]:
    return {"id": "check", "type": "condition", "paths": [
        {"label": "big", "expression": f"@event{{purchase.value}} > {threshold}", "next": big}], "otherCases": "done"}


def shop(threshold: int = 5, *extra: dict[str, Any], big: str = "split") -> Any:
    return journey(EVENT, notify(next_="echoed"), CHECK_RESPONSE, check(threshold, big), SPLIT, END, OTHER, FAILED,
                   *extra, name="shop")


@pytest.fixture
def profiles(tmp_path: Path) -> Path:
    return runkit.rows(tmp_path / "profiles.jsonl", [
        {"profileId": f"p{i}", "event.customerId": f"c-{i}", "event.value": i} for i in range(1, 41)])


@pytest.fixture
def replay(services: Any, resolver: Any, retry_clock: Any):
    """replay(journey, recorded RunResult, profiles, only=None, default=None) -> runkit.Ran; the
    replayed retries wait on `retry_clock` as the recorded run's did."""
    home = services.workspace.home

    def go(j: Any, recorded: Any, path: Path, only: Optional[str] = None,
           default: Optional[Target] = None) -> runkit.Ran:
        setup = ReplaySetup.open(home, recorded.run_id, j)
        try:
            runner = runkit.make_run(home, services, resolver, j, preset=setup.preset, seed=setup.seed,
                                     concurrency=4, targets=setup.targets(j, default), start=setup.start,
                                     notes=setup.notes(), retry_clock=retry_clock)
            with TappedSource.tap(str(path), j.entry) as source:
                source.only = only
                return runkit.read_back(runner.run(source))
        finally:
            setup.close()
    return go


def paths(ran: runkit.Ran) -> dict[str, list[str]]:
    return {pid: [e["path"] for e in entries][0] for pid, entries in ran.profiles.items()}


def test_an_unchanged_journey_replays_the_same_paths_and_counts(run_journey: Any, replay: Any, sandbox: Any,
                                                                 profiles: Path) -> None:
    recorded = run_journey(shop(), profiles, seed=11, concurrency=8)
    hits = sandbox.counters()["echo"]
    assert hits == 40
    again = replay(shop(), recorded.result, profiles)
    assert sandbox.counters()["echo"] == hits  # answered from the recording: nothing reached the sandbox
    for key in ("outcomes", "nodes", "edges", "endedAt", "codes"):
        assert again.summary[key] == recorded.summary[key], key
    assert paths(again) == paths(recorded)
    assert {"split", "other"} <= set(recorded.summary["nodes"])  # the split took both branches
    assert again.summary["run"]["seed"] == 11 and again.summary["run"]["settings"]["replayOf"] == recorded.result.run_id
    assert set(again.summary["run"]["targets"].values()) == {f"replay:{recorded.result.run_id}"}
    first, replayed = recorded.profiles["p7"][0], again.profiles["p7"][0]
    assert replayed["enteredAt"] == first["enteredAt"]  # the same virtual clock
    (attempt,) = runkit.Ran.attempts(again, "p7", "notify")
    assert attempt["target"] == "replay" and json.loads(attempt["response"]["body"])["method"] == "POST"
    assert diff_runs(services_home(recorded), recorded.result.run_id, again.result.run_id).changed_count == 0


def services_home(ran: runkit.Ran) -> Path:
    return ran.result.path.parent.parent


def test_an_edited_condition_moves_exactly_the_profiles_it_should(run_journey: Any, replay: Any,
                                                                  profiles: Path) -> None:
    recorded = run_journey(shop(5), profiles, seed=3)
    edited = replay(shop(20), recorded.result, profiles)
    diff = diff_runs(services_home(recorded), recorded.result.run_id, edited.result.run_id)
    changed = list(diff.changed_profiles())
    assert sorted(p.profile_id for p in changed) == sorted(f"p{i}" for i in range(6, 21))  # 5 < value <= 20
    assert {p.diverges_at for p in changed} == {"check"} and diff.changed_count == 15
    assert {p.path_b[-1] for p in changed} == {"done"}
    deltas = {d.key: d.delta for d in diff.node_deltas}
    assert deltas["check"] == 0 and deltas["split"] == -15
    edges = {(e.node, e.port): (e.target, e.delta) for e in diff.edge_deltas}
    assert edges[("check", "otherCases")] == ("done", 15) and edges[("check", "paths[0]")] == ("split", -15)
    page = list(diff.changed_profiles(offset=10, limit=3))
    assert [p.row for p in page] == [p.row for p in changed[10:13]]
    assert {r.node for r in diff.latency} == {"notify"} and diff.latency[0].p95_a is not None


def test_a_call_missing_from_the_recording_is_reported_not_sent(run_journey: Any, replay: Any, sandbox: Any,
                                                                 profiles: Path) -> None:
    recorded = run_journey(shop(30), profiles, seed=5)
    added = dict(notify(next_="split", error="failed"), id="again")  # a node the recording never called
    before = sandbox.counters()
    edited = replay(shop(30, added, big="again"), recorded.result, profiles)
    assert sandbox.counters() == before  # the real loopback server saw no request
    big = [f"p{i}" for i in range(31, 41)]
    for pid in big:
        (entry,) = edited.profiles[pid]
        assert entry["outcome"] == "error" and entry["code"] == NOT_RECORDED
        assert "not recorded" in entry["error"] and "has no call of node again" in entry["error"]
        (step,) = edited.steps(pid, "again")
        assert step["outcome"] == NOT_RECORDED and step["port"] is None  # the error path is not taken
    assert edited.summary["outcomes"] == {"finished": 30, "error": 10}
    assert edited.summary["codes"]["again"] == {NOT_RECORDED: 10}


def test_recorded_retries_replay_as_retries(run_journey: Any, replay: Any, tmp_path: Path) -> None:
    mock = tmp_path / "mock.json"
    mock.write_text(json.dumps([{"status": 503}, {"status": 200, "body": {"method": "POST"}}]))
    rows = runkit.rows(tmp_path / "two.jsonl", runkit.purchases(2))
    recorded = run_journey(shop(), rows, seed=1, targets={"notify": Target.parse("mock:mock.json", tmp_path)})
    again = replay(shop(), recorded.result, rows)
    assert [(a["target"], a["status"]) for a in again.attempts("p1", "notify")] == [("replay", 503), ("replay", 200)]
    assert paths(again) == paths(recorded)


def test_one_profile_replays_from_its_trace(run_journey: Any, replay: Any, profiles: Path) -> None:
    recorded = run_journey(shop(), profiles, seed=9)
    one = replay(shop(), recorded.result, profiles, only="p12")
    assert list(one.profiles) == ["p12"] and one.summary["run"]["rowsRead"] == 1
    assert one.profiles["p12"][0]["path"] == recorded.profiles["p12"][0]["path"]
    assert one.profiles["p12"][0]["row"] == 12


def test_a_replay_for_real_sends_the_same_rows_with_the_same_seed(run_journey: Any, replay: Any, sandbox: Any,
                                                                   profiles: Path) -> None:
    recorded = run_journey(shop(), profiles, seed=21)
    before = sandbox.counters()["echo"]
    real = replay(shop(), recorded.result, profiles, default=Target("sandbox"))
    assert sandbox.counters()["echo"] == before + 40
    assert paths(real) == paths(recorded) and real.summary["run"]["targets"] == {"notify": "sandbox"}


def test_a_run_of_another_journey_or_no_run_cannot_be_replayed(run_journey: Any, services: Any,
                                                                profiles: Path) -> None:
    recorded = run_journey(shop(), profiles, seed=1)
    home = services.workspace.home
    other = journey(EVENT, notify(), END, FAILED, name="other")
    with pytest.raises(ReplayError, match=r"is a run of journey 'shop', not 'other'"):
        ReplaySetup.open(home, recorded.result.run_id, other)
    with pytest.raises(ReplayError, match=r"no run 'nope'"):
        ReplaySetup.open(home, "nope", shop())


def test_recorded_failures_replay_as_they_happened(run_journey: Any, replay: Any, services: Any,
                                                   tmp_path: Path) -> None:
    from app.journeys.actionplan import Resolvers
    from app.services import SANDBOX_URL_VAR

    with socket.socket() as bound:  # bound, never listening: every connection to it is refused
        bound.bind(("127.0.0.1", 0))
        refused = services.resolver(overrides={SANDBOX_URL_VAR: f"http://127.0.0.1:{bound.getsockname()[1]}"})
        rows = runkit.rows(tmp_path / "one.jsonl", runkit.purchases(1))
        recorded = run_journey(shop(), rows, seed=1, resolvers=Resolvers(refused))
    again = replay(shop(), recorded.result, rows)
    before = [(a["number"], a["outcome"], a["status"]) for a in recorded.attempts("p1", "notify")]
    assert len(before) > 1 and before[0][1] == "internalError"  # refused, retried
    assert [(a["number"], a["outcome"], a["status"]) for a in again.attempts("p1", "notify")] == before
    assert paths(again) == paths(recorded) == {"p1": ["in", "notify", "failed"]}
    mock = tmp_path / "slow.json"
    mock.write_text(json.dumps([{"status": 200, "delay_ms": 5000}]))
    slow = dict(shop().dump(), timeoutSeconds=1)
    recorded = run_journey(journey(*slow["nodes"], name="shop", timeoutSeconds=1), rows, seed=1,
                           targets={"notify": Target.parse("mock:slow.json", tmp_path)})
    again = replay(journey(*slow["nodes"], name="shop", timeoutSeconds=1), recorded.result, rows)
    assert [a["outcome"] for a in recorded.attempts("p1", "notify")] == ["timedout"]
    assert [a["outcome"] for a in again.attempts("p1", "notify")] == ["timedout"]
    assert again.steps("p1", "notify")[0]["outcome"] == "timedout" and paths(again) == paths(recorded)
