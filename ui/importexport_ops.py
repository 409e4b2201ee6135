"""The work behind File > Import from / Export as, run in workers (plain functions: no Qt).

Reading a file and sniffing its format, saving what it holds (all or nothing, clashing names
renamed, plain secrets to the keyring), writing an export: each returns plain data for the GUI.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    from app.services import Services


@dataclass
class Prepared:
    """A file read and sniffed; an OpenAPI document's operations when there is a choice to make."""

    path: Path
    text: str
    fmt: str
    operations: list[Any] = field(default_factory=list)
    operation: Optional[str] = None  # chosen by the user


@dataclass
class Done:
    saved: list[Any] = field(default_factory=list)
    reports: list[Any] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)  # collection variables added to an environment


def prepare(paths: list[Path], fmt: Optional[str]) -> list[Prepared]:
    """Read every file (UTF-8) and find its format; list an OpenAPI document's operations."""
    from app.interop import files, openapi

    out = []
    for path in paths:
        try:
            text = Path(path).read_text("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"{Path(path).name}: cannot be read ({exc})") from None
        kind = fmt or files.sniff(text)
        ops = openapi.operations(openapi.load(text, Path(path).name)) if kind == "openapi" else []
        out.append(Prepared(Path(path), text, kind, ops))
    return out


def import_prepared(services: Services, prepared: list[Prepared]) -> Done:
    """Read every file's actions (all must read), then save them in one locked step."""
    from app.interop import files
    from app.interop.report import InteropError, keep_variables
    from app.transfer import import_items

    done = Done()
    items = []
    for each in prepared:
        try:
            report = files.read(each.text, each.path.name, each.fmt, each.operation)
        except InteropError as exc:
            raise ValueError(str(exc)) from None
        done.reports.append(report)
        items += report.items
    if not items and not any(r.variables for r in done.reports):
        raise ValueError("nothing could be imported: " + "; ".join(line for r in done.reports for line in r.lines()))
    saved_items = import_items(services.workspace, services.secrets, items, rename=True) if items else []
    done.kept = keep_variables(services, done.reports)
    for saved in saved_items:
        done.saved.append(saved.action)
        if saved.action.name != saved.name_in_file:
            done.renamed.append((saved.name_in_file, saved.action.name))
        if saved.missing_secrets:
            done.missing[saved.action.name] = list(saved.missing_secrets)
    return done


def export_as(services: Services, names: Optional[list[str]], fmt: str,
              target: Path) -> tuple[int, list[str], list[str]]:
    """Write the actions (all when None) as a Postman collection (and the environments beside it,
    secrets empty; a file already there is left alone) or as curl / httpx snippets; returns the
    count, the environment files written and those left alone."""
    from app import atomic
    from app.interop import postman, snippets

    ws = services.workspace
    actions = [ws.load(n) for n in (names if names is not None else ws.names())]
    written: list[str] = []
    kept: list[str] = []
    if fmt == "postman":
        text = json.dumps(postman.collection(actions), indent=2, ensure_ascii=False) + "\n"
        for env in services.environments().environments:
            beside = Path(target).parent / f"{env.name}.postman_environment.json"
            if beside.exists():  # the user chose the collection's file only: never replace another
                kept.append(beside.name)
                continue
            atomic.write_bytes(beside, (json.dumps(postman.environment(env), indent=2) + "\n").encode("utf-8"))
            written.append(beside.name)
    else:
        text = "\n".join(snippets.action_snippet(a, fmt) for a in actions)
    atomic.write_bytes(Path(target), text.encode("utf-8"))
    return len(actions), written, kept
