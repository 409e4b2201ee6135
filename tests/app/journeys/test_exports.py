"""Exports of a stored run: JSON lines, CSV, the platform's test-mode log (validated against the
reference's shape), cURL; no secret in any of them; flat memory however many profiles."""
from __future__ import annotations

import csv
import functools
import io
import json
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from app.journeys.exports import ExportError, export_run
from app.journeys.tracereader import TraceReader
from app.journeys.traces import AttemptTrace, ProfileTrace, StepTrace, TraceWriter
from app.jsontext import orjson_text
from app.sample import SECRETS_FILE, sample_workspace
from tests.app.journeys import runkit
from tests.app.journeys.runkit import END, EVENT, FAILED, journey, notify, purchases

SCHEMA = json.loads((Path(__file__).parent / "platform_log.schema.json").read_text())


@functools.cache
def _validator() -> Any:
    """The schema checked and its validator made once (jsonschema.validate does both at every call)."""
    cls = jsonschema.validators.validator_for(SCHEMA)
    cls.check_schema(SCHEMA)
    return cls(SCHEMA)


def conforms(log: Any) -> None:
    """Raises jsonschema's ValidationError unless the log has the reference's shape."""
    _validator().validate(log)


def exported(path: Path, fmt: str, **kwargs: Any) -> str:
    out = io.StringIO()
    with TraceReader(path) as reader:
        export_run(reader, fmt, out, **kwargs)
    return out.getvalue()


def test_every_format_of_the_sample_run_holds_every_profile_and_no_secret(sample_run: runkit.SampleRun) -> None:
    path = sample_run.ran.result.path
    texts = {f: exported(path, f) for f in ("jsonl", "csv", "platform-log")}  # each checked below, then for secrets
    lines = texts["jsonl"].splitlines()
    assert len(lines) == 303  # every row read, rejected and discarded ones included
    first = next(e for e in map(json.loads, lines) if e["profileId"] == "p-000001")
    assert [s["node"] for s in first["steps"]] == first["path"]
    assert first["steps"][0]["values"]["event"]["customerId"]  # the payload that moved the profile in
    rows = list(csv.DictReader(io.StringIO(texts["csv"])))
    assert len(rows) == 303
    vip = next(r for r in rows if r["profileId"] == "p-000006")
    assert vip["path"] == "purchase>writeEvent>checkValue>vipEvent>done" and vip["lastNode"] == "done"
    assert vip["statusCodes"] == "writeEvent=http_200;vipEvent=http_200" and vip["attempts"] == "2"
    assert vip["outcome"] == "finished" and float(vip["durationMs"]) > 0
    log = json.loads(texts["platform-log"])
    conforms(log)
    assert log["instanceCount"] == len(log["instances"]) == 288
    assert log["actionStudio"]["notEntered"] == {"rejected": 12, "discarded": 3}
    curl = exported(path, "curl", profile="p-000006")
    assert curl.count("curl -X POST") == 2 and "Authorization: ********" in curl
    token = sample_run.token
    demo = json.loads((sample_workspace() / SECRETS_FILE).read_text())
    secrets = [token.split()[1], *(v for k, v in demo.items() if not k.startswith("_") and len(v) >= 6)]
    for fmt, text in [*texts.items(), ("curl", curl)]:
        for secret in secrets:
            assert secret not in text, (fmt, secret)


def test_the_platform_log_shows_phases_transitions_and_failed_calls(sandbox: Any, run_journey: Any) -> None:
    sandbox.set_fault("echo", status=500)
    ran = run_journey(journey(EVENT, notify(error=None), END), purchases(2))
    log = json.loads(exported(ran.result.path, "platform-log"))
    conforms(log)
    one = next(i for i in log["instances"] if i["externalKeys"] == {"profileId": "p1"})
    assert one["currentstep"]["phase"] == "error" and one["currentstep"]["nodeId"] == "notify"
    assert [t["nodeId"] for t in one["transitionHistory"]] == ["in", "notify"]
    assert one["transitionHistory"][0]["event"] == {"customerId": "c-1", "value": 10.0}
    (failed,) = one["actionExecutionErrors"]
    assert failed["errorCode"] == "http_500" and failed["actionName"] == "notifyWebhook"
    assert one["actionsHistory"][0]["statusCode"] == "http_500"
    sandbox.clear_faults()
    ran = run_journey(journey(EVENT, notify(), END, FAILED), purchases(1))
    (one,) = json.loads(exported(ran.result.path, "platform-log", profile="p1"))["instances"]
    assert one["currentstep"]["phase"] == "finished" and one["actionExecutionErrors"] == []


def test_exports_refuse_what_they_cannot_do_with_the_reason(sample_run: runkit.SampleRun) -> None:
    path = sample_run.ran.result.path
    with pytest.raises(ExportError, match="give the profile"):
        exported(path, "curl")
    with pytest.raises(ExportError, match="no profile 'nobody'"):
        exported(path, "jsonl", profile="nobody")
    with pytest.raises(ExportError, match="no node 'nowhere'.*writeEvent, vipEvent"):
        exported(path, "curl", profile="p-000006", node="nowhere")
    with pytest.raises(ExportError, match="made no call at node 'vipEvent'"):
        exported(path, "curl", profile="p-000001", node="vipEvent")
    with pytest.raises(ExportError, match="unknown export format 'xml'"):
        exported(path, "xml")


@pytest.mark.parametrize("value", [
    {"a": [1, 2, {"b": 3}], "c": {}, "d": [], "e": None, "f": True, "g": [[], [{}]], "h": 182.07, "i": -0.0,
     "j": 1e16, "k": 1e22, "l": 100.0, "m": -9223372036854775808, "n": 18446744073709551615},
    {"text": "é ü \u2028 \x00 \x1f \x7f \" \\ / \n \t 🙂"}, [], {}, "x", 1, None,
    {"big": 2 ** 70}, {"lone": "\ud800"}, {1: "a", None: "b"},  # orjson refuses these: json writes them
    functools.reduce(lambda inner, _: [inner], range(300), []),  # 300 levels: orjson stops at 255
], ids=["nested", "text", "empty-list", "empty-dict", "string", "number", "null", "big-int", "surrogate", "keys",
        "deep"])
def test_the_platform_log_is_indented_as_json_indents_it(value: Any) -> None:
    assert orjson_text(value, indent=True) == json.dumps(value, ensure_ascii=False, indent=2, default=str)


def test_a_float_with_an_exponent_is_the_same_value_and_nan_is_null() -> None:
    assert json.loads(orjson_text({"f": 1.5e-05})) == {"f": 1.5e-05}
    assert json.loads(orjson_text([float("nan"), float("inf")])) == [None, None]  # json would write NaN, Infinity


def _synthetic_run(home: Path, profiles: int) -> Path:
    """A trace written directly (no network): every profile one call with a 10 KB response."""
    j = journey(EVENT, notify(), END, FAILED)
    now = datetime.now(timezone.utc)
    body = json.dumps({"ok": True, "filler": "x" * 10_240})
    with TraceWriter.create(home, j, [], seed=1, preset="fast", targets={}) as writer:
        for n in range(1, profiles + 1):
            attempt = AttemptTrace(1, "mock", "POST", "http://mock/x", [("Content-Type", "application/json")],
                                   "{}", 200, [], body, outcome="http_200")
            steps = [StepTrace("in", "next", "notify", now, values={"event": {"customerId": f"c-{n}"}}),
                     StepTrace("notify", "next", "done", now, outcome="http_200", attempts=[attempt]),
                     StepTrace("done", virtual_at=now)]
            writer.add(ProfileTrace(n, f"p{n}", "finished", steps, entered_at=now, ended_at=now))
    return writer.path


def _peak(path: Path, fmt: str) -> tuple[int, int]:
    """The export's peak of traced memory, and the lines it wrote (counted as written, not kept)."""
    class Sink(io.TextIOBase):
        lines = 0

        def write(self, text: str) -> int:
            self.lines += text.count("\n")
            return len(text)

    sink = Sink()
    with TraceReader(path) as reader:
        tracemalloc.start()
        try:
            export_run(reader, fmt, sink)  # type: ignore[arg-type]
            return tracemalloc.get_traced_memory()[1], sink.lines
        finally:
            tracemalloc.stop()


def test_exports_stream_in_flat_memory(tmp_path: Path) -> None:
    path = _synthetic_run(tmp_path, 1_000)  # 10 MB of responses
    for fmt in ("jsonl", "platform-log"):
        peak, lines = _peak(path, fmt)
        assert peak < 5_000_000, fmt  # a page of profiles at a time, never the whole run
        if fmt == "jsonl":  # (the lines of the export measured: a third export cost as much again)
            assert lines == 1_000


def test_instance_ids_share_the_run_namespace_made_once() -> None:
    """The platform log's `_Id` of each instance: the run's uuid5 namespace, hashed once per journey
    version and seed (an export asked for it at every instance), then the row."""
    from app.journeys.runstate import instance_uid, run_namespace

    run_namespace.cache_clear()
    first, second = instance_uid("v1", 7, 1), instance_uid("v1", 7, 2)
    assert run_namespace.cache_info().misses == 1
    assert first[:24] == second[:24] == str(run_namespace("v1", 7))[:24] and first[24:] == f"{1:012x}"
    assert instance_uid("v1", 8, 1) != first  # another seed, another namespace
