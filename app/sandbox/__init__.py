"""Embedded sandbox: a real loopback HTTP server emulating the seeds' endpoints.

It serves the OAuth token endpoint, the streaming inlet, the custom-events API and a generic
echo sink, with a request log, per-endpoint counters and seeded fault injection. Tests,
benchmarks, the CLI and the GUI all start it through :class:`Sandbox`.
"""

from app.sandbox.config import ENDPOINTS, SandboxConfig
from app.sandbox.errors import SandboxError
from app.sandbox.faults import FaultSpec
from app.sandbox.server import Sandbox

__all__ = ["ENDPOINTS", "FaultSpec", "Sandbox", "SandboxConfig", "SandboxError"]
