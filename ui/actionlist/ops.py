"""Workspace operations the list triggers, run in workers (plain functions: no Qt, no widgets).

Each returns plain data for the GUI thread to show; failures raise with a readable message.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    from app.services import Services


@dataclass
class Loaded:
    services: Services
    summaries: list[Any]
    used_in: dict[str, list[str]]
    problems: list[str] = field(default_factory=list)


def quick_rows(home: Path) -> Optional[list[Any]]:
    """The list's rows from the workspace index, before the workspace (and pydantic) is loaded; None
    when the workspace must be opened first (see app.listing.quick_list)."""
    from app.listing import quick_list

    return quick_list(Path(home))


def load_workspace(home: Path, services: Optional[Services] = None, sample: bool = False) -> Loaded:
    """Open the workspace (installing the sample first when asked) and read the list."""
    problems: list[str] = []
    if services is None:
        from app.services import Services
        from app.store import Workspace

        services = Services(Workspace(home=Path(home)))
        if sample:
            from app.sample import install_sample

            problems += install_sample(Path(home), services.secrets)
        services.workspace = Workspace.open(Path(home))
    summaries = services.workspace.summaries()
    used_in = services.workspace.used_in()
    problems += services.workspace.problems
    return Loaded(services, summaries, used_in, problems)


def new_draft(services: Services, base: str = "newAction") -> Any:
    """A new action under a free name, not written: it is a draft until its first valid save."""
    from app.model import Action

    return Action(name=services.workspace.unique_name(base))


def copy_name(name: str) -> str:
    suffix = "_copy"
    return name[: 30 - len(suffix)] + suffix


def duplicate_action(services: Services, name: str) -> tuple[Any, list[str]]:
    """A copy with a new id and a free name; its secrets copied under new keyring references."""
    from app.model import Action

    ws, secrets = services.workspace, services.secrets
    source = ws.load(name)
    new_id = uuid.uuid4().hex
    data = source.dump()
    data.update(id=new_id, name=ws.unique_name(copy_name(source.name)))
    data.pop("created", None)
    data.pop("modified", None)
    missing: list[str] = []
    mapping: dict[str, str] = {}
    for ref in source.secret_refs():
        if ref.secret in mapping:
            continue
        value = secrets.get(ref) if not ref.secret.startswith("missing/") else None
        hint = ref.secret.rsplit("/", 2)[-2] if ref.secret.count("/") >= 2 else "secret"
        new_ref = secrets.new_ref(f"{new_id}/{hint}")
        if value is None:
            missing.append(ref.secret)
        else:
            secrets.put(value, ref=new_ref)
        mapping[ref.secret] = new_ref.secret
    copy = Action.model_validate(_replace_refs(data, mapping))
    return ws.create_unique(copy), missing  # the free name is chosen and taken in one locked step


def _replace_refs(node: Any, mapping: dict[str, str]) -> Any:
    if isinstance(node, dict):
        if set(node) == {"secret"} and node["secret"] in mapping:
            return {"secret": mapping[node["secret"]]}
        return {k: _replace_refs(v, mapping) for k, v in node.items()}
    if isinstance(node, list):
        return [_replace_refs(v, mapping) for v in node]
    return node


def delete_action(services: Services, name: str) -> Any:
    """Remove the file; the keyring entries stay until quit, so undo can bring it back whole."""
    return services.workspace.delete(name)


def restore_action(services: Services, action: Any) -> Any:
    """Undo a delete: write the kept action back (refused if its name was taken meanwhile)."""
    return services.workspace.save(action, expected=None)


def forget_secrets(services: Services, actions: list[Any]) -> None:
    """At quit: remove the keyring entries of actions deleted (and not restored) this session."""
    for action in actions:
        for ref in action.secret_refs():
            if not ref.secret.startswith(("missing/", "sample/")):
                services.secrets.delete(ref)


@dataclass
class ImportReport:
    saved: list[Any] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (name in the file, name given)
    missing: dict[str, list[str]] = field(default_factory=dict)  # action name -> fields to fill in


def import_files(services: Services, paths: list[Path]) -> ImportReport:
    """Read bundles / actions; clashing names get a free one; plain secrets move to the keyring.
    All or nothing: every file parses, then app.transfer.import_items saves them in one locked step."""
    from app.transfer import import_items, read_bundle

    report = ImportReport()
    items = []
    for path in paths:
        try:
            text = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"{Path(path).name}: cannot be read ({exc})") from None
        items += read_bundle(text, Path(path).name)  # all files parse before anything is written
    for saved in import_items(services.workspace, services.secrets, items, rename=True):
        report.saved.append(saved.action)
        if saved.action.name != saved.name_in_file:
            report.renamed.append((saved.name_in_file, saved.action.name))
        if saved.missing_secrets:
            report.missing[saved.action.name] = list(saved.missing_secrets)
    return report


def export_actions(services: Services, names: Optional[list[str]], target: Path) -> int:
    """Write a bundle of the named actions (all when None), secrets masked; returns the count."""
    from app import atomic
    from app.transfer import export_bundle

    ws = services.workspace
    actions = [ws.load(n) for n in (names if names is not None else ws.names())]
    atomic.write_bytes(Path(target), export_bundle(actions).encode("utf-8"))
    return len(actions)
