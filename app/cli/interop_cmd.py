"""`action import --from postman|openapi|curl` and `action export --to postman|curl|httpx`:
the other tools' formats on the command line (app/interop does the work)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from app.cli.common import CliError, emit, services_of
from app.interop.report import InteropError, keep_variables
from app.store import ConflictError, StoreError


def add_import_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="source", choices=("native", "postman", "postman-environment", "openapi",
                                                          "curl"),
                        help="the file's format (default: recognised from its content)")
    parser.add_argument("--operation", metavar="ID",
                        help="with an OpenAPI document: the operation (operationId, or 'METHOD /path')")


def add_export_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--to", dest="target", choices=("native", "postman", "curl", "httpx"), default="native",
                        help="the format (default: our own export)")
    parser.add_argument("--environments", action="store_true",
                        help="with --to postman and -o FILE: also write each environment beside it as "
                             "NAME.postman_environment.json (secrets as empty secret values)")


def run_import_from(args: argparse.Namespace, text: str) -> int:
    """Save the file's actions (`text`, any format) all or nothing; print what was not mapped."""
    from app.interop import files, openapi
    from app.transfer import import_items

    try:
        report = files.read(text, args.file, args.source, args.operation)
    except InteropError as exc:
        data: dict[str, Any] = {}
        if isinstance(exc, openapi.OperationError) and args.operation is None:
            data["operations"] = [o.to_dict() for o in exc.operations]
        raise CliError(str(exc), data=data) from None
    if not report.items and not report.variables:
        raise CliError(f"{args.file}: nothing could be imported", data={"report": report.to_dict()})
    services = services_of(args)
    try:
        saved = import_items(services.workspace, services.secrets, report.items, rename=args.rename) \
            if report.items else []
    except ConflictError as exc:
        raise CliError(f"{exc} (use --rename to import under free names)") from None
    except (StoreError, OSError) as exc:
        raise CliError(f"{exc}; nothing was imported") from None
    kept = keep_variables(services, [report])
    from app.cli.actions_cmd import _warn_session_only  # the one warning, shared with the native import

    for item in saved:
        _warn_session_only(services.secrets, item.action)
    done = [{"name": s.action.name, "missingSecrets": s.missing_secrets} for s in saved]
    lines = [f"imported {d['name']}" + (f" (enter secrets: {', '.join(d['missingSecrets'])})"
                                         if d["missingSecrets"] else "") for d in done]
    lines += kept + [f"note: {line}" for line in report.lines()]
    emit(args, {"imported": done, "environment": kept, "report": report.to_dict()}, "\n".join(lines))
    return 0


def run_export_to(args: argparse.Namespace, actions: list[Any]) -> str:
    """The text of the export in the chosen format (environments written beside when asked)."""
    from app.interop import postman, snippets

    if args.target == "postman":
        if args.environments:
            _write_environments(args)
        return json.dumps(postman.collection(actions), indent=2, ensure_ascii=False) + "\n"
    if args.environments:
        raise CliError("--environments goes with --to postman")
    return "\n".join(snippets.action_snippet(a, args.target) for a in actions)


def _write_environments(args: argparse.Namespace) -> None:
    from app import atomic
    from app.interop import postman

    if not args.output:
        raise CliError("--environments needs -o FILE (the environments are written beside it)")
    folder = Path(args.output).parent
    for env in services_of(args).environments().environments:
        target = folder / f"{env.name}.postman_environment.json"
        try:
            atomic.write_bytes(target, (json.dumps(postman.environment(env), indent=2, ensure_ascii=False)
                                        + "\n").encode("utf-8"))
        except OSError as exc:
            raise CliError(f"{target}: {exc.strerror}") from None
        print(f"wrote environment {env.name} to {target}")
