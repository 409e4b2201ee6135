"""The journey view's pieces, as self-contained widgets the window hosts: the diagram (layout drawn
with live counts), its items and keyboard moves; the run bar (profiles file and preview, preset,
targets, seed, Run / Stop, progress, past runs), the profile table over a run's trace, and one
profile's trace (steps, values, why, each call's request and response)."""
