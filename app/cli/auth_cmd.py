"""`auth test NAME` (run the token call, show request/response/token masked) and `auth from-curl`.

`auth test` exits 0 when the authentication works, 3 when the token endpoint answered an error or
could not be reached, 1 when nothing could be sent (a missing secret or variable, bad input).
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from app.cli.calling import add_call_options, call_resolver, parse_vars
from app.cli.common import EXIT_CALL_FAILED, CliError, check_timeout, emit, read_input, services_of

if TYPE_CHECKING:
    from app.auth.result import AuthTestResult
    from app.model import Action


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from app.cli.main import add_parser

    auth = add_parser(subparsers, "auth", help="test an action's authentication, import a token cURL")
    verbs = auth.add_subparsers(dest="verb", metavar="VERB", required=True)
    p = add_parser(verbs, "test", help="run the authentication of an action (the token call for custom)")
    p.add_argument("name", help="action name")
    p.add_argument("--timeout", type=float, metavar="S",
                   help="token call timeout, 1-30 s (default: the action's timeout)")
    add_call_options(p)
    p.set_defaults(func=run_test)
    p = add_parser(verbs, "from-curl", help="turn a token cURL command into a customAuthorization")
    p.add_argument("curl", help="the curl command (quote it), or - to read it from standard input")
    p.add_argument("--into", metavar="NAME",
                   help="store it as the authentication of action NAME (created if missing); "
                        "secrets go to the keyring")
    p.add_argument("--host-variable", action="store_true",
                   help="write a known vendor host as its environment variable (https://ims-na1.adobelogin.com "
                        "as {{imsUrl}}), so the environment, and --sandbox, choose the host")
    p.set_defaults(func=run_from_curl)


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

    check_timeout(args.timeout)
    parse_vars(args.var)  # options first: a bad one is said before the workspace is read
    services = services_of(args)
    try:
        action = services.workspace.load(args.name)
        if args.sandbox:
            _warn_vendor_host(action)
        timeout = args.timeout if args.timeout is not None else action.timeout_seconds
        with call_resolver(args, services) as resolver:
            engine = AuthEngine(services.secrets, timeout=timeout, net=services.net())
            result = engine.test(action.auth, resolver)
    finally:
        services.close()
    data = result.to_dict()
    data["action"] = action.name
    emit(args, data, _describe(action.name, result))
    if result.ok:
        return 0
    if not args.json:
        print(f"error: {action.name}: {result.reason}", file=sys.stderr)
    return EXIT_CALL_FAILED if result.request is not None else 1  # no request: nothing was sent


def _warn_vendor_host(action: Action) -> None:
    """--sandbox replaces variables, not a host written out: say so before the call fails."""
    from app.auth.vendors import vendor_host

    found = vendor_host(getattr(action.auth, "endpoint", ""))
    if found:
        print(f"warning: the token endpoint names the vendor's host {found.origin}, which --sandbox cannot "
              f"replace: write it as {found.placeholder} (auth from-curl --host-variable does) so that "
              "the environment chooses the host", file=sys.stderr)


def _describe(name: str, result: AuthTestResult) -> str:
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
    from app.auth import host_offer, parse_curl, use_host_variable

    _check_into(args.into)
    text = read_input("-") if args.curl == "-" else args.curl
    offer = host_offer(text)
    if args.host_variable:
        text, offer = use_host_variable(text)
    imported = parse_curl(text)
    data: dict[str, Any] = imported.to_dict()
    stored = _store_into(args, imported) if args.into is not None else None
    if stored:
        data["stored"] = stored
    emit(args, data, json.dumps(imported.auth.dump(), indent=2, ensure_ascii=False))
    if not args.json:
        _notes(imported, stored, offer, args.host_variable)
    return 0


def _check_into(name: Any) -> None:
    """--into is checked before anything is stored: a refused name leaves no secret behind."""
    from app.model.rules import name_problem

    if name is None:
        return
    if not name.strip():
        raise CliError("--into needs an action name")
    problem = name_problem(name)
    if problem:
        raise CliError(f"--into {name!r}: {problem}")


def _store_into(args: argparse.Namespace, imported: Any) -> dict[str, Any]:
    """Save the auth into the action (created if missing); its secrets go to the keyring, and
    come out again if the save fails."""
    from app.model import Action, SecretRef

    services = services_of(args)
    workspace = services.workspace
    existing = workspace.find_name(args.into)
    action = workspace.load(existing) if existing else Action(name=args.into)
    Action.model_validate(action.model_copy(update={"auth": imported.auth}).model_dump())  # before any put
    auth = imported.with_secrets_stored(services.secrets)
    new_refs = [v for v in [*auth.headers.values(), *(auth.body.body_params.values() if auth.body else [])]
                if isinstance(v, SecretRef)]
    updated = Action.model_validate(action.model_copy(update={"auth": auth}).model_dump())
    try:
        name = workspace.save(updated, previous_name=existing).name
    except BaseException:
        for ref in new_refs:
            services.secrets.delete(ref)
        raise
    if new_refs and services.secrets.session_only:
        print("warning: secrets are session-only (--session-secrets or ACTION_STUDIO_SECRETS=session): "
              f"{', '.join(sorted(imported.secrets))} of {name} is forgotten when this command ends; "
              "run it with a keyring to keep it", file=sys.stderr)
    return {"action": name, "created": existing is None}


def _notes(imported: Any, stored: Any, offer: Any, replaced: bool) -> None:
    for name in sorted(imported.secrets):
        where = "stored in the keyring" if stored else "use --into NAME to store it in the keyring"
        print(f"secret: {name} shown as ******** ({where})", file=sys.stderr)
    for item in imported.ignored:
        print(f"ignored: {item}", file=sys.stderr)
    for warning in imported.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if offer and replaced:
        print(f"note: {offer.origin} is written as {offer.placeholder}: each environment sets it "
              "(the sample's sandbox environment and --sandbox point it at the sandbox)", file=sys.stderr)
    elif offer:
        print(f"note: {offer.origin} is the vendor's own host, so only the real service answers (--sandbox "
              f"cannot replace it): --host-variable writes it as {offer.placeholder} instead", file=sys.stderr)
    if stored:
        print(f"stored as the authentication of action {stored['action']}", file=sys.stderr)
