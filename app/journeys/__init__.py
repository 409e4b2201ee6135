"""Journeys: the platform's journey model and expression language, run locally (no Qt).

Modules: `model` (the journey and its nodes; `limits`: capping and throttling in the platform's
JSON; `durations`: ISO 8601 waits), `files` (journeys/<name>.json, atomic), `graph` (reachability,
cycles, order, what holds on every path), `validate` (with `checkexpr` and `findings`: errors and
warnings naming node, field and position), `profiles` (streamed CSV / JSON lines / JSON array input,
with `cells` and `jsonarray`), `traces` (the per-run SQLite trace writer; `tracerecords`: what the
runner hands it; `tracereader`: runs, states, counts by SQL), `expr` (the expression language).
The runner: `runner` (JourneyRun: workers over the streamed rows, cancel, the trace), `runstate`
(what the profiles share), `steps` (a profile's way, a handler per node type) and `actionstep`
(an action node's call), `actionplan` (targets, requests and credentials prepared once, real hosts),
`targets` (sandbox, env, mock, dry), `capping` and `throttle` (the platform's limits at run time),
`clock` (presets, virtual time, seeded draws), `reentry`, `progress` (live counts for the CLI/window).
"""
