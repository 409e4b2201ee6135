"""``action-studio sandbox``: run the embedded sandbox in the foreground until Ctrl+C."""

from __future__ import annotations

import argparse
import json
import sys

from app.cli.common import common_options
from app.sandbox import Sandbox, SandboxError
from app.sandbox.standalone import FAULT_HELP, IDENTITIES_HELP, add_arguments, sandbox_from_args, serve_until_signalled


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``sandbox`` subcommand."""
    parser = subparsers.add_parser(
        "sandbox",
        parents=[common_options()],
        help="run the local sandbox (token, inlet, custom-events and echo endpoints)",
        description="Serve the embedded sandbox on loopback until Ctrl+C. " + FAULT_HELP.capitalize() + ".",
        epilog=IDENTITIES_HELP,
    )
    add_arguments(parser)
    parser.set_defaults(func=run)


def _announce_json(sandbox: Sandbox) -> str:
    return json.dumps({"base_url": sandbox.base_url, "port": sandbox.port})


def run(args: argparse.Namespace) -> int:
    """Serve until SIGINT/SIGTERM; 0 on a clean stop, 1 when the sandbox cannot start."""
    try:
        sandbox = sandbox_from_args(args)
    except SandboxError as exc:
        print(f"error: --fault: {exc}", file=sys.stderr)
        return 1
    if not sandbox.config.is_loopback:
        print(f"warning: listening on {args.host}, reachable from other machines", file=sys.stderr)
    announce = _announce_json if getattr(args, "json", False) else None
    return serve_until_signalled(sandbox, announce=announce)
