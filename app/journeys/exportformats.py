"""The formats a stored run exports to (app.journeys.exports writes them). Apart so that the command
line's parser lists them without importing the exporters (and the trace reader, masking and cURL
behind them) for every `journey` command."""
from __future__ import annotations

FORMATS = ("jsonl", "csv", "platform-log", "curl")
