"""Exceptions raised by the sandbox's Python API."""

from __future__ import annotations


class SandboxError(RuntimeError):
    """The sandbox could not start, stop, or accept a setting."""
