"""Running the sandbox in the foreground until Ctrl+C or SIGTERM (CLI and ``python -m``)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, TextIO

from app.sandbox.config import (
    DEFAULT_AIRSHIP_TOKEN,
    DEFAULT_APP_KEY,
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxConfig,
)
from app.sandbox.errors import SandboxError
from app.sandbox.faults import FaultSpec
from app.sandbox.server import Sandbox

FAULT_HELP = (
    "inject a fault, ENDPOINT:key=value,... e.g. custom_events:status=503,times=2 or "
    "inlet:latency_ms=200 or echo:drop (repeatable; keys: latency_ms status times rate "
    "retry_after drop hang)"
)

IDENTITIES_HELP = (
    "Demo identities, so the vendors' own clients work unchanged when pointed at the sandbox. "
    f"Token endpoint (POST /ims/token/v3): client {DEFAULT_CLIENT_ID} / {DEFAULT_CLIENT_SECRET}, "
    "authenticated either in the form body (client_secret_post, as the vendor's cURL command) or "
    "with HTTP Basic (client_secret_basic, RFC 6749 2.3.1), not both at once; a refused Basic client "
    "gets 401, a refused body client 400 invalid_client. Custom events (POST /api/custom-events): "
    "any well-formed app key (X-UA-Appkey: 22 characters of letters, digits, '_' and '-', e.g. "
    f"{DEFAULT_APP_KEY}) with the bearer token {DEFAULT_AIRSHIP_TOKEN} or an issued token; once apps "
    "are declared (the Python API), only those. Inlets (POST /collection/ID): any id until inlets "
    "are declared."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options shared by ``action-studio sandbox`` and ``python -m app.sandbox``."""
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; others warn)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: a free port)")
    parser.add_argument("--token-ttl", type=int, default=86399, help="expires_in of issued tokens, seconds")
    parser.add_argument("--seed", type=int, default=0, help="seed for rate-based faults")
    parser.add_argument("--fault", action="append", default=[], metavar="SPEC", help=FAULT_HELP)


def parse_fault(text: str) -> FaultSpec:
    """``ENDPOINT:key=value,flag`` as a :class:`FaultSpec`; raises SandboxError when invalid."""
    endpoint, _, rest = text.partition(":")
    values: dict[str, Any] = {"endpoint": endpoint.strip()}
    for item in filter(None, (part.strip() for part in rest.split(","))):
        key, has_value, raw = item.partition("=")
        values[key.strip()] = _value(raw.strip()) if has_value else True
    return FaultSpec.from_json(values)


def _value(raw: str) -> Any:
    lowered = raw.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for kind in (int, float):
        try:
            return kind(raw)
        except ValueError:
            pass
    return raw


def sandbox_from_args(args: argparse.Namespace) -> Sandbox:
    """A configured (not yet started) sandbox; raises SandboxError on a bad fault spec."""
    faults = [parse_fault(text) for text in args.fault]
    sandbox = Sandbox(SandboxConfig(host=args.host, port=args.port, token_ttl=args.token_ttl, seed=args.seed))
    for spec in faults:
        sandbox.state.faults.set(spec)
    return sandbox


def serve_until_signalled(sandbox: Sandbox, out: TextIO = sys.stdout,
                          announce: Callable[[Sandbox], str] | None = None) -> int:
    """Start, print the base URL, wait for SIGINT/SIGTERM, stop; returns the exit code."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        sandbox.start()
        print(announce(sandbox) if announce else f"Sandbox running at {sandbox.base_url}", file=out, flush=True)
        # wait() with a timeout keeps the main thread responsive to signals on every platform.
        while not stop.wait(0.5):
            pass
    except SandboxError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        sandbox.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
