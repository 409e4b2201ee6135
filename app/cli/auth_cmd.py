"""`auth test NAME` (run the token call, show request/response/token masked) and `auth from-curl`."""
from __future__ import annotations

import argparse
import contextlib
import json
import sys
from typing import Any, Iterator, Optional

from app.cli.common import CliError, add_call_options, emit, parse_vars, read_input, services_of


def register(subparsers: argparse._SubParsersAction) -> None:
    from app.cli.main import add_parser

    auth = add_parser(subparsers, "auth", help="test an action's authentication, import a token cURL")
    verbs = auth.add_subparsers(dest="verb", metavar="VERB", required=True)
    p = add_parser(verbs, "test", help="run the authentication of an action (the token call for custom)")
    p.add_argument("name", help="action name")
    p.add_argument("--timeout", type=float, metavar="S",
                   help="token call timeout in seconds (default: the action's timeout)")
    add_call_options(p)
    p.set_defaults(func=run_test)
    p = add_parser(verbs, "from-curl", help="turn a token cURL command into a customAuthorization")
    p.add_argument("curl", help="the curl command (quote it), or - to read it from standard input")
    p.add_argument("--into", metavar="NAME",
                   help="store it as the authentication of action NAME (created if missing); "
                        "secrets go to the keyring")
    p.set_defaults(func=run_from_curl)


@contextlib.contextmanager
def _sandbox(enabled: bool) -> Iterator[Optional[str]]:
    if not enabled:
        yield None
        return
    from app.sandbox import Sandbox, SandboxConfig

    with Sandbox(SandboxConfig(port=0)) as sandbox:
        yield sandbox.base_url


def run_test(args: argparse.Namespace) -> int:
    return _guarded(_test, args)


def run_from_curl(args: argparse.Namespace) -> int:
    return _guarded(_from_curl, args)


def _guarded(func: Any, args: argparse.Namespace) -> int:
    """Known problems as 'error: ...' (exit 1); anything else too, never a traceback."""
    from app.auth import AuthError, CurlError
    from app.secrets import SecretError
    from app.store import StoreError

    try:
        return int(func(args))
    except CliError:
        raise
    except (AuthError, CurlError, SecretError, StoreError, ValueError, OSError) as exc:
        raise CliError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - the command line promises no traceback
        raise CliError(f"unexpected {type(exc).__name__}: {exc}") from None


def _test(args: argparse.Namespace) -> int:
    from app.auth import AuthEngine

    overrides = parse_vars(args.var)
    services = services_of(args)
    action = services.workspace.load(args.name)
    with _sandbox(args.sandbox) as url:
        if url:
            overrides.setdefault("baseUrl", url)
            overrides.setdefault("sandbox.url", url)
        resolver = services.resolver(args.env, overrides)
        engine = AuthEngine(services.secrets, timeout=args.timeout or action.timeout_seconds, net=services.net())
        result = engine.test(action.auth, resolver)
    data = result.to_dict()
    data["action"] = action.name
    emit(args, data, _describe(action.name, result))
    if not result.ok and not args.json:
        print(f"error: {action.name}: {result.reason}", file=sys.stderr)
    return 0 if result.ok else 1


def _describe(name: str, result: Any) -> str:
    lines = [f"{name}: {result.mode} authentication " + ("ok" if result.ok else "FAILED")]
    if result.request:
        req = result.request
        lines.append(f"> {req.method} {req.url}")
        lines += [f"> {k}: {v}" for k, v in req.headers.items()]
        if req.body:
            lines.append(f"> {req.body}")
    if result.response:
        resp = result.response
        lines.append(f"< {resp.status}")
        lines += [f"< {k}: {v}" for k, v in resp.headers.items()]
        if resp.body:
            lines.append(f"< {resp.body[:2000]}")
    if result.ok and result.token_preview:
        lines.append(f"token: {result.token_preview}, expires {result.expires_at:%Y-%m-%d %H:%M:%S} UTC "
                     f"(in {result.expires_in_s:g} s)")
    for where, values in result.applied.items():
        lines += [f"applied {where[:-1]}: {k}: {v}" for k, v in values.items()]
    lines.append(f"time: {result.elapsed_ms:.0f} ms")
    return "\n".join(lines)


def _from_curl(args: argparse.Namespace) -> int:
    from app.auth import parse_curl
    from app.model import Action

    text = read_input("-") if args.curl == "-" else args.curl
    imported = parse_curl(text)
    data: dict[str, Any] = imported.to_dict()
    stored = None
    if args.into:
        services = services_of(args)
        workspace = services.workspace
        existing = workspace.find_name(args.into)
        auth = imported.with_secrets_stored(services.secrets)
        if existing:
            action = workspace.load(existing)
            previous = action.name
        else:
            action, previous = Action(name=args.into), None
        action = action.model_copy(update={"auth": auth})
        stored = workspace.save(Action.model_validate(action.model_dump()), previous_name=previous).name
        data["stored"] = {"action": stored, "created": existing is None}
    emit(args, data, json.dumps(imported.auth.dump(), indent=2, ensure_ascii=False))
    if not args.json:
        for name in sorted(imported.secrets):
            where = "stored in the keyring" if stored else "use --into NAME to store it in the keyring"
            print(f"secret: {name} shown as ******** ({where})", file=sys.stderr)
        for item in imported.ignored:
            print(f"ignored: {item}", file=sys.stderr)
        for warning in imported.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if stored:
            print(f"stored as the authentication of action {stored}", file=sys.stderr)
    return 0
