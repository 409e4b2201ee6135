"""A stored run exported: JSON lines traces, a per-profile CSV, a log shaped like the platform's
test-mode log ("Show log"), and any recorded call as a cURL command.

    with TraceReader.open(home, "last") as reader:
        written = export_run(reader, "platform-log", out, profile=None)   # profiles written

Everything is read from the run's trace a page of profiles at a time and written as it goes, so a
100,000-profile run exports in flat memory. The trace holds no secret (app.journeys.traces); every
record is masked again here (values under secret-named keys, at any depth) before it is written.
Field names of the platform log follow /work/shared/reference/journeys.md: `_Id`, `currentstep`
(its `phase`: running, finished, error, timed out), `extraInfo`, `fetchErrors`, `externalKeys`,
`enrichedData`, `transitionHistory`, `actionsHistory`, `actionExecutionErrors`; what is ours
beyond them sits under `actionStudio`.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, TextIO

from app.atomic import streamed_text
from app.auth.curl import curl_command
from app.journeys.exportformats import FORMATS
from app.journeys.model import ActionNode, Journey
from app.journeys.runstate import instance_uid
from app.journeys.tracereader import TraceReader
from app.jsontext import compact_encoder, orjson_text
from app.masking import mask_json

CSV_COLUMNS = ("profileId", "row", "outcome", "code", "lastNode", "path", "enteredAt", "endedAt", "durationMs",
               "statusCodes", "attempts", "error")
PHASES = {"finished": "finished", "error": "error", "timedOut": "timed out", "cancelled": "running"}
NOT_ENTERED = ("rejected", "discarded")  # rows that never became a journey instance


class ExportError(Exception):
    """The export cannot be made as asked (the message says why)."""


def export_run(reader: TraceReader, fmt: str, out: TextIO, profile: Optional[str] = None,
               node: Optional[str] = None) -> int:
    """Write the run (or one profile's entries) to `out` in `fmt`; returns the entries written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    if fmt == "curl":
        if profile is None:
            raise ExportError("a cURL export is of one profile's calls: give the profile (--profile ID)")
        return write_curl(reader, out, profile, node)
    if node is not None:
        raise ExportError("a node (--node) only chooses calls of a cURL export")
    entries = _entries(reader, profile)
    if fmt == "jsonl":
        return write_jsonl(entries, out)
    if fmt == "csv":
        return write_csv(entries, out)
    return write_platform_log(reader, entries, out, single=profile is not None)


def export_file(run: Path, fmt: str, path: Path, profile: Optional[str] = None, node: Optional[str] = None) -> int:
    """A run file exported to `path`, written as it goes and put in place once complete."""
    with TraceReader(run) as reader, streamed_text(path) as out:
        return export_run(reader, fmt, out, profile, node)


def _entries(reader: TraceReader, profile: Optional[str]) -> Iterator[dict[str, Any]]:
    if profile is None:
        return reader.entries()
    found = reader.profile(profile)
    if not found:
        raise ExportError(f"no profile {profile!r} in run {reader.info().id}")
    return iter(found)


# json.dumps(value, ensure_ascii=False, default=str), its encoder made once (app.jsontext).
_jsonl_text = compact_encoder(default=str, separators=(", ", ": "))


def write_jsonl(entries: Iterable[dict[str, Any]], out: TextIO) -> int:
    """One entry a line: the profile's outcome, path and every step with its calls."""
    n = 0
    for entry in entries:
        out.write(_jsonl_text(mask_json(entry)))
        out.write("\n")  # (not added to a text of a response body or more: a copy of it)
        n += 1
    return n


def write_csv(entries: Iterable[dict[str, Any]], out: TextIO) -> int:
    """One row a profile entry (columns: CSV_COLUMNS); the path's nodes joined by `>`."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    n = 0
    for e in entries:
        n += 1
        steps = e["steps"]
        codes = ";".join(f"{s['node']}={s['outcome']}" for s in steps if s["outcome"])
        writer.writerow([_cell(e["profileId"]), e["row"], e["outcome"], e["code"] or "",
                         _cell(e["path"][-1] if e["path"] else ""), _cell(">".join(e["path"])),
                         e["enteredAt"] or "", e["endedAt"] or "",
                         "" if e["wallMs"] is None else round(e["wallMs"], 3), _cell(codes),
                         sum(len(s["attempts"]) for s in steps), _cell(e["error"] or "")])
    return n


def _cell(text: Any) -> Any:
    """A text cell a spreadsheet would take for a formula (=, +, -, @) is prefixed with a quote."""
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text if text is not None else ""


def write_platform_log(reader: TraceReader, entries: Iterable[dict[str, Any]], out: TextIO,
                       single: bool = False) -> int:
    """The run as the platform's test-mode log: the instance count, then one object per instance."""
    info, journey = reader.info(), reader.journey()
    outcomes = reader.outcomes()
    count = None if single else sum(n for o, n in outcomes.items() if o not in NOT_ENTERED)
    instances = (e for e in entries if e["outcome"] not in NOT_ENTERED)
    props = journey.properties()
    head = {**props, "journeyName": journey.name}
    out.write("{\n" + "\n".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()))
    body = "\n" if count is None else f'\n  "instanceCount": {count},\n'
    out.write(body + '  "instances": [')
    n = 0
    nodes = journey.by_id()  # once, not per instance
    for n, entry in enumerate(instances, 1):
        record = mask_json(instance(journey, info.seed or 0, entry, nodes))
        text = orjson_text(record, indent=True).replace("\n", "\n    ")
        out.write(("," if n > 1 else "") + "\n    " + text)
    if count is None:
        out.write(f'\n  ],\n  "instanceCount": {n},')
    else:
        out.write("\n  ],")
    ours = {"run": info.id, "state": info.state, "preset": info.preset, "seed": info.seed,
            "startedAt": info.started_at, "endedAt": info.ended_at,
            "notEntered": {o: outcomes.get(o, 0) for o in NOT_ENTERED}}
    out.write('\n  "actionStudio": ' + json.dumps(ours, ensure_ascii=False) + "\n}\n")
    return n


def instance(journey: Journey, seed: int, entry: dict[str, Any],
             nodes: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """One profile's journey instance as the platform's log shows it (`nodes`: journey.by_id(), from a
    caller writing many)."""
    nodes = journey.by_id() if nodes is None else nodes
    steps = entry["steps"]
    last = nodes.get(entry["path"][-1]) if entry["path"] else None
    current: dict[str, Any] = {"phase": PHASES.get(entry["outcome"], "error"),
                               "nodeId": last.id if last else None, "nodeName": _name(last),
                               "nodeType": last.type if last else None, "time": entry["endedAt"]}
    record: dict[str, Any] = {
        "_Id": instance_uid(journey.version_id, seed, entry["row"]),
        "currentstep": current,
        "extraInfo": {"journeyVersionUID": journey.version_id, "enteredAt": entry["enteredAt"],
                      "endedAt": entry["endedAt"]},
        "fetchErrors": [],  # a local run reads no external data source
        "externalKeys": {"profileId": entry["profileId"]},
        "enrichedData": {},
        "transitionHistory": [_transition(nodes.get(s["node"]), s) for s in steps],
        "actionExecutionErrors": [],
    }
    history, errors = [], record["actionExecutionErrors"]
    for s in steps:
        node = nodes.get(s["node"])
        if not isinstance(node, ActionNode) or not s["attempts"]:
            continue
        last_try = s["attempts"][-1]
        response = _payload(last_try["response"]["body"]) if last_try["response"] else None
        history.append({"nodeId": node.id, "actionName": node.action, "time": s["virtualAt"],
                        "statusCode": s["outcome"], "payload": response})
        if s["outcome"] and not str(s["outcome"]).startswith("http_2"):
            errors.append({"nodeId": node.id, "actionName": node.action, "errorCode": s["outcome"],
                           "errorResponse": response, "error": s["error"]})
    if history:
        record["actionsHistory"] = history
    record["actionStudio"] = {"row": entry["row"], "outcome": entry["outcome"], "code": entry["code"],
                              "error": entry["error"], "path": entry["path"], "wallMs": entry["wallMs"]}
    return record


def _transition(node: Any, step: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {"nodeId": step["node"], "nodeName": _name(node), "nodeType": node.type if node else None,
                            "time": step["virtualAt"], "transition": step["port"], "next": step["next"]}
    values = step["values"] or {}
    if node is not None and node.type == "event" and "event" in values:
        item["event"] = values["event"]
    return item


def _name(node: Any) -> Optional[str]:
    return (node.label or node.id) if node is not None else None


def _payload(body: Optional[str]) -> Any:
    """A response body as JSON when it is JSON, else its text."""
    if body is None or body == "":
        return None
    try:
        return json.loads(body)
    except ValueError:
        return body


def write_curl(reader: TraceReader, out: TextIO, profile: str, node: Optional[str] = None) -> int:
    """Each recorded call attempt of the profile (of one node) as a cURL command, secrets masked."""
    entries = reader.profile(profile)
    if not entries:
        raise ExportError(f"no profile {profile!r} in run {reader.info().id}")
    if node is not None and reader.journey().node(node) is None:
        calls = ", ".join(n.id for n in reader.journey().action_nodes())
        raise ExportError(f"no node {node!r} in the run's journey; its action nodes: {calls or 'none'}")
    n = 0
    for entry in entries:
        for step in entry["steps"]:
            if node is not None and step["node"] != node:
                continue
            for a in step["attempts"]:
                req = a["request"]
                n += 1
                out.write(f"# profile {profile} (row {entry['row']}), node {step['node']}, attempt {a['number']}: "
                          f"{a['outcome'] or 'not sent'} ({a['target']})\n")
                out.write(curl_command(req["method"], req["url"], [tuple(h) for h in req["headers"]], req["body"])
                          + "\n\n")
    if not n:
        where = f" at node {node!r}" if node is not None else ""
        raise ExportError(f"profile {profile!r} made no call{where} in run {reader.info().id}")
    return n
