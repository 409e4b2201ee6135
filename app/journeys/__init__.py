"""Journeys: the platform's journey model and expression language, run locally (no Qt).

Modules: `model` (the journey and its nodes; `limits`: capping and throttling in the platform's
JSON; `durations`: ISO 8601 waits), `files` (journeys/<name>.json, atomic), `graph` (reachability,
cycles, order, what holds on every path), `validate` (with `checkexpr` and `findings`: errors and
warnings naming node, field and position), `profiles` (streamed CSV / JSON lines / JSON array input,
with `cells` and `jsonarray`), `traces` (the per-run SQLite trace writer; `tracerecords`: what the
runner hands it; `tracereader`: runs, states, counts by SQL), `expr` (the expression language).
"""
