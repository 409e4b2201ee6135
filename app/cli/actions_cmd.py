"""Commands on actions: check-name, action list/show/import/export/validate/delete, payload, schema."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import ValidationError

from app.cli import interop_cmd, limits_cmd
from app.cli.common import CliError, emit, read_input, services_of
from app.interop.files import sniff
from app.model import Action, JsonError, Payload, error_lines, infer_payload, parse_json
from app.model.rules import name_problem
from app.secrets import SecretError, SecretStore
from app.store import ConflictError, StoreError
from app.transfer import (
    BUNDLE_FORMAT,
    ImportProblem,
    export_bundle,
    externalize_secrets,
    import_auth,
    import_items,
    masked_dict,
    read_bundle,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from app.cli.main import add_parser

    p = add_parser(subparsers, "check-name", help="check an action name against the platform's rules")
    p.add_argument("name")
    p.set_defaults(func=run_check_name)

    action = add_parser(subparsers, "action", help="list, show, import, export, validate or delete actions")
    verbs = action.add_subparsers(dest="verb", metavar="VERB", required=True)
    add_parser(verbs, "list", help="list the workspace's actions").set_defaults(func=run_list)
    p = add_parser(verbs, "show", help="print one action (secrets masked)")
    p.add_argument("name")
    p.set_defaults(func=run_show)
    p = add_parser(verbs, "import", help="import actions from an export, an action file or a list, a Postman "
                   "collection, an OpenAPI operation or a curl command")
    p.add_argument("file", help="the file, or - for standard input")
    p.add_argument("--rename", action="store_true", help="give clashing names a free suffix instead of refusing")
    interop_cmd.add_import_options(p)
    p.set_defaults(func=run_import)
    p = add_parser(verbs, "export", help="export actions as JSON (secrets shown as ********)")
    p.add_argument("names", nargs="*", help="action names (default with --all: every action)")
    p.add_argument("--all", action="store_true", help="export every action")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    interop_cmd.add_export_options(p)
    p.set_defaults(func=run_export)
    p = add_parser(verbs, "validate", help="check an action file or export without importing it")
    p.add_argument("file")
    p.set_defaults(func=run_validate)
    p = add_parser(verbs, "import-auth", help="set an action's authentication from a customAuthorization JSON file")
    p.add_argument("name")
    p.add_argument("file", help="JSON file, or - for standard input")
    p.set_defaults(func=run_import_auth)
    p = add_parser(verbs, "delete", help="delete an action")
    p.add_argument("name")
    p.set_defaults(func=run_delete)
    limits_cmd.register_verb(verbs)

    payload = add_parser(subparsers, "payload", help="inspect payload examples")
    pverbs = payload.add_subparsers(dest="verb", metavar="VERB", required=True)
    p = add_parser(pverbs, "fields", help="one line per field: path, type, mode")
    p.add_argument("file", help="a JSON example, or an action file (its request payload)")
    p.add_argument("--response", action="store_true", help="with an action file: the response payload")
    p.set_defaults(func=run_payload_fields)

    p = add_parser(subparsers, "schema", help="print the JSON Schema of the native action format")
    p.add_argument("--bundle", action="store_true", help="the schema of an export bundle")
    p.set_defaults(func=run_schema)


def run_check_name(args: argparse.Namespace) -> int:
    problem = name_problem(args.name)
    if not problem:
        try:
            services = services_of(args)
            clash = services.workspace.find_name(args.name)
        except OSError:
            clash = None
        if clash:
            problem = f"an action named {clash!r} already exists in the workspace"
    emit(args, {"name": args.name, "valid": problem is None, "reason": problem},
         "ok" if problem is None else f"invalid: {problem}")
    return 0 if problem is None else 1


def run_list(args: argparse.Namespace) -> int:
    ws = services_of(args).workspace
    summaries = ws.summaries()
    used = ws.used_in()
    rows = [dict(s.__dict__, usedIn=len(used.get(s.name, []))) for s in summaries]
    width = max([len(r["name"]) for r in rows] + [4])
    lines = [f"{r['name']:<{width}}  {r['method']:<4}  {r['auth']:<19}  used in {r['usedIn']}  {r['description']}"
             for r in rows]
    emit(args, rows, "\n".join(lines) if lines else "no actions")
    _report_problems(ws.problems)
    return 0


def run_show(args: argparse.Namespace) -> int:
    ws = services_of(args).workspace
    try:
        action = ws.load(args.name)
    except StoreError as exc:
        raise CliError(str(exc)) from None
    data = masked_dict(action)
    data["usedIn"] = ws.used_in().get(action.name, [])
    print(json.dumps(data, indent=2, ensure_ascii=False))
    return 0


def run_import(args: argparse.Namespace) -> int:
    text = read_input(args.file)
    if (args.source or sniff(text)) != "native":
        return interop_cmd.run_import_from(args, text)
    try:
        items = read_bundle(text, where=args.file)
    except (ImportProblem, JsonError, ValueError) as exc:
        raise CliError(str(exc)) from None
    services = services_of(args)
    try:
        saved = import_items(services.workspace, services.secrets, items, rename=args.rename)
    except ConflictError as exc:
        raise CliError(f"{exc} (use --rename to import under free names)") from None
    except (StoreError, SecretError, OSError) as exc:
        raise CliError(f"{exc}; nothing was imported") from None
    done = [{"name": s.action.name, "missingSecrets": s.missing_secrets} for s in saved]
    for item in saved:
        _warn_session_only(services.secrets, item.action)
    lines = [f"imported {d['name']}"
             + (f" (enter secrets: {', '.join(d['missingSecrets'])})" if d["missingSecrets"] else "") for d in done]
    emit(args, done, "\n".join(lines))
    return 0


def run_export(args: argparse.Namespace) -> int:
    ws = services_of(args).workspace
    if args.output is not None and not args.output.strip():
        raise CliError("-o needs a file name")
    names = ws.names() if args.all else args.names
    if not names:
        raise CliError("name the actions to export, or use --all")
    try:
        actions = [ws.load(n) for n in names]
    except StoreError as exc:
        raise CliError(str(exc)) from None
    text = export_bundle(actions) if args.target == "native" else interop_cmd.run_export_to(args, actions)
    if args.output:
        try:
            Path(args.output).write_text(text, "utf-8")
        except OSError as exc:
            raise CliError(f"-o {args.output}: {exc.strerror}") from None
        print(f"exported {len(actions)} action{'s' if len(actions) != 1 else ''} to {args.output}")
    else:
        print(text, end="")
    return 0


def run_validate(args: argparse.Namespace) -> int:
    text = read_input(args.file)
    try:
        items = read_bundle(text, where=args.file)
    except (ImportProblem, JsonError, ValueError) as exc:
        raise CliError(str(exc), data={"valid": False, "errors": [str(exc)]}) from None
    warnings = [f"{i.action.name}: {w}" for i in items for w in i.action.endpoint.warnings()]
    emit(args, {"valid": True, "actions": [i.action.name for i in items], "warnings": warnings},
         "\n".join([f"valid: {', '.join(i.action.name for i in items)}"] + [f"warning: {w}" for w in warnings]))
    return 0


def run_import_auth(args: argparse.Namespace) -> int:
    services = services_of(args)
    ws = services.workspace
    text = read_input(args.file)

    def change(action: Action) -> Action:
        auth = import_auth(text, action.auth, where=args.file)
        return externalize_secrets(action.model_copy(update={"auth": auth}), services.secrets)

    try:
        import_auth(text, ws.load(args.name).auth, where=args.file)  # bad input refused before the lock is taken
        updated = ws.update(args.name, change)  # read and write in one locked step
    except (StoreError, ImportProblem, JsonError) as exc:
        raise CliError(str(exc)) from None
    _warn_session_only(services.secrets, updated)
    missing = [ref.secret for ref in updated.secret_refs() if ref.secret.startswith("missing/")]
    note = f" (enter the secret{'s' if len(missing) > 1 else ''} it masks in the window)" if missing else ""
    emit(args, {"name": updated.name, "missingSecrets": missing}, f"authentication of {updated.name} updated{note}")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    services = services_of(args)
    ws = services.workspace
    try:
        action = ws.delete(args.name)  # refused (InUseError) while journeys call it
    except StoreError as exc:
        raise CliError(str(exc)) from None
    for ref in action.secret_refs():
        services.secrets.delete(ref)
    emit(args, {"deleted": action.name}, f"deleted {action.name}")
    return 0


def run_payload_fields(args: argparse.Namespace) -> int:
    text = read_input(args.file)
    try:
        data = parse_json(text, args.file)
        payload = _payload_from(data, text, args)
    except (JsonError, ValueError) as exc:
        raise CliError(str(exc)) from None
    rows = [{"path": p, "type": f.type, "mode": f.mode, "label": f.label, "optional": f.optional}
            for p, f in payload.walk()]
    emit(args, rows, "\n".join(f"{r['path']}\t{r['type']}\t{r['mode']}" for r in rows))
    return 0


def _payload_from(data: object, text: str, args: argparse.Namespace) -> Payload:
    if isinstance(data, dict) and "endpoint" in data and "name" in data:
        try:
            action = Action.model_validate(data)
        except ValidationError as exc:
            raise ValueError(f"{args.file}: " + "; ".join(error_lines(exc))) from None
        payload = action.response if args.response else action.request
        if payload is None:
            raise ValueError(f"{args.file}: the action has no {'response' if args.response else 'request'} payload")
        return payload
    return infer_payload(text, args.file)


def run_schema(args: argparse.Namespace) -> int:
    schema = Action.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Action Studio action"
    if args.bundle:
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Action Studio export",
            "type": "object", "required": ["format", "actions"],
            "properties": {"format": {"const": BUNDLE_FORMAT}, "exported": {"type": "string", "format": "date-time"},
                           "actions": {"type": "array", "items": {"$ref": "#/$defs/Action"}}},
            "$defs": {**schema.pop("$defs", {}), "Action": {k: v for k, v in schema.items() if not k.startswith("$")}},
        }
    print(json.dumps(schema, indent=2))
    return 0


def _warn_session_only(secrets: SecretStore, action: Action) -> None:
    """A secret put in a session-only store is gone when the command ends: say so."""
    if not secrets.session_only:
        return
    kept = [ref for ref in action.secret_refs() if secrets.get(ref) is not None]
    if kept:
        print(f"warning: secrets are session-only (--session-secrets or ACTION_STUDIO_SECRETS=session): "
              f"the {len(kept)} secret{'s' if len(kept) > 1 else ''} of {action.name} "
              "will be forgotten when this command ends; import it with a keyring to keep them", file=sys.stderr)


def _report_problems(problems: list[str]) -> None:
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
