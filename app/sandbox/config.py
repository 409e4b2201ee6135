"""Configuration of the embedded sandbox and the defaults the sample workspace relies on."""

from __future__ import annotations

from dataclasses import dataclass

# Endpoint names used by counters, the request log and fault injection.
ENDPOINTS: tuple[str, ...] = ("token", "inlet", "custom_events", "echo")

# The seed's OAuth credentials, so the sample workspace authenticates out of the box.
DEFAULT_CLIENT_ID = "1234"
DEFAULT_CLIENT_SECRET = "5678"
# 22 characters of [A-Za-z0-9_-], like the vendor's keys: its official clients refuse any other.
DEFAULT_APP_KEY = "SandboxDemoAppKey00001"
DEFAULT_AIRSHIP_TOKEN = "sandbox-airship-token"
# The app key of sample workspaces installed before the 22-character one: still accepted.
LEGACY_APP_KEY = "sandbox-app-key"

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass
class SandboxConfig:
    """How to run a sandbox.

    ``port=0`` picks a free port. ``token_ttl`` is the ``expires_in`` of issued tokens, in
    seconds. ``seed`` makes rate-based fault injection repeatable.
    """

    host: str = "127.0.0.1"
    port: int = 0
    token_ttl: int = 86399
    seed: int = 0
    log_size: int = 2000
    log_body_limit: int = 64 * 1024
    # Hung requests wait this long unless the client leaves or the sandbox stops first.
    hang_seconds: float = 300.0

    @property
    def is_loopback(self) -> bool:
        """True when the server is reachable from this machine only."""
        return self.host in LOOPBACK_HOSTS
