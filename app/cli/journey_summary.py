"""A run's summary and a profile's steps as text, from what app.journeys.tracereader reads back."""
from __future__ import annotations

import json
from typing import Any

BODY_SHOWN = 400  # characters of a body shown in text (the trace and --json keep it whole)


def summary_lines(summary: dict[str, Any], journey: Any, problems: list[dict[str, Any]],
                  cut: bool = False) -> list[str]:
    """The run, its outcomes, then one line per node: reached, left by each edge, call codes."""
    run = summary["run"]
    lines = [f"run {run['id']} {run['state']}: {run['rowsRead'] or 0} rows read (seed {run['seed']}, "
             f"preset {run['preset']})"]
    if cut:
        lines.append("  test mode runs at most 100 profiles: the rest of the input was not read")
    outcomes = summary["outcomes"]
    lines.append("outcomes: " + (", ".join(f"{k} {v}" for k, v in sorted(outcomes.items(), key=lambda kv: -kv[1]))
                                 or "none"))
    nodes, edges, codes, calls = summary["nodes"], summary["edges"], summary["codes"], summary["calls"]
    width = max((len(n.id) for n in journey.nodes), default=4)
    for node in journey.nodes:
        out = [f"{e['port']} -> {node_target(node, e['port'])} {e['count']}" for e in edges if e["node"] == node.id]
        ended = summary["endedAt"].get(node.id)
        if ended and node.type != "end":
            out.append(f"stopped here {ended}")
        line = f"  {node.id:<{width}}  {node.type:<9} {nodes.get(node.id, 0):>7}  " + "; ".join(out)
        if node.id in codes:
            line += "  [" + ", ".join(f"{c} x{n}" for c, n in codes[node.id].items()) + "]"
        if node.id in calls:
            c = calls[node.id]
            line += (f"  {c['attempts']} attempts, {c['retries']} retries, {c['slow']} slow, queue "
                     f"{c['meanQueueMs']} ms, network {c['meanNetworkMs']} ms, {'+'.join(c['targets'])}")
        lines.append(line.rstrip())
    for p in problems:
        who = f"{p['profileId']}: " if p["profileId"] else ""  # a rejected row's error names its row
        lines.append(f"{p['outcome']}: {who}{p['error']}")
    lines.append(f"trace: {run['path']}")
    lines.append(f"  action-studio journey trace {run['id']} --profile PROFILE_ID  (or #ROW)")
    return lines


def node_target(node: Any, port: str) -> str:
    return next((e.target for e in node.edges() if e.port == port), "?")


def profile_lines(entries: list[dict[str, Any]]) -> list[str]:
    """Every entry of one profile: its outcome and path, then each step with its values, why and calls."""
    lines = []
    for entry in entries:
        lines.append(f"profile {entry['profileId'] or '-'} (row {entry['row']}): {entry['outcome']}"
                     + (f" {entry['code']}" if entry["code"] else "")
                     + (f": {entry['error']}" if entry["error"] else ""))
        lines.append("  path: " + " -> ".join(entry["path"]))
        for step in entry.get("steps", []):
            lines += _step_lines(step)
    return lines


def _step_lines(step: dict[str, Any]) -> list[str]:
    way = f" -> {step['port']} -> {step['next']}" if step["port"] else " (stopped here)"
    lines = [f"  {step['node']}{way}  at {step['virtualAt']}" + (f"  [{step['outcome']}]" if step["outcome"] else "")]
    if step["values"] is not None:
        lines.append(f"    values: {_short(json.dumps(step['values'], ensure_ascii=False))}")
    if step["why"] is not None:
        for path in step["why"].get("paths", []):
            if "error" in path:
                lines.append(f"    {path['expression']}: {path['error']}")
                continue
            operands = "; ".join(f"{o['text']} = {json.dumps(o['value'], ensure_ascii=False)}"
                                 for c in path.get("comparisons", []) for o in c["operands"])
            lines.append(f"    {path['expression']} -> {json.dumps(path['value'])}"
                         + (f"  ({operands})" if operands else ""))
    if step["error"]:
        lines.append(f"    error: {step['error']}")
    for a in step["attempts"]:
        req, resp = a["request"], a["response"]
        status = f"{resp['status']}" if resp else (a["error"] or "no response")
        lines.append(f"    attempt {a['number']} ({a['target']}): {req['method']} {req['url']} -> {status}  queue "
                     f"{a['queueMs']:.1f} ms, network {a['networkMs']:.1f} ms{'  SLOW' if a['slow'] else ''}")
        if req["body"] is not None:
            lines.append(f"      request body: {_short(req['body'])}" + (f" ({req['note']})" if req["note"] else ""))
        if resp and resp["body"]:
            lines.append(f"      response body: {_short(resp['body'])}"
                         + (f" ({resp['note']})" if resp["note"] else ""))
    return lines


def _short(text: str) -> str:
    return text if len(text) <= BODY_SHOWN else text[:BODY_SHOWN] + f"... ({len(text):,} characters; --json shows all)"
