"""Journeys: the platform's journey model and expression language, run locally (no Qt)."""
