"""``python -m app.sandbox [--port N]``: run the sandbox standalone (benchmarks, debugging)."""

from __future__ import annotations

import argparse
import sys

from app.sandbox.errors import SandboxError
from app.sandbox.standalone import IDENTITIES_HELP, add_arguments, sandbox_from_args, serve_until_signalled


def main(argv: list[str] | None = None) -> int:
    """Parse options, serve until interrupted, return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m app.sandbox", description="Run the embedded sandbox.",
                                     epilog=IDENTITIES_HELP)
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        sandbox = sandbox_from_args(args)
    except SandboxError as exc:
        parser.error(str(exc))
    if not sandbox.config.is_loopback:
        print(f"warning: listening on {args.host}, reachable from other machines", file=sys.stderr)
    return serve_until_signalled(sandbox)


if __name__ == "__main__":
    sys.exit(main())
