"""JSON schemas of the other tools formats the app reads (package data)."""
