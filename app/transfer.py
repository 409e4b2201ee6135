"""Export and import of actions in the native JSON format; secrets never leave the keyring."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable

from pydantic import ValidationError

from app.masking import is_secret_key
from app.model import MASK, Action, CustomAuth, SecretRef, error_lines, parse_json
from app.model.base import only_placeholder
from app.secrets import SecretStore
from app.store import Workspace

BUNDLE_FORMAT = "action-studio/export@1"


class ImportProblem(ValueError):
    """An import was refused; the message says what and where (file, item, field)."""


@dataclass
class Imported:
    action: Action
    missing_secrets: list[str] = field(default_factory=list)  # field paths the user must fill in


# -- export ------------------------------------------------------------------------------------
def masked_dict(action: Action) -> dict[str, Any]:
    """The action as JSON with every secret shown as ******** (the seed's convention)."""
    data = action.dump()
    return _mask(data)


def _mask(node: Any) -> Any:
    if isinstance(node, dict):
        if set(node) == {"secret"}:
            return MASK
        return {k: _mask(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_mask(v) for v in node]
    return node


def export_bundle(actions: Iterable[Action]) -> str:
    bundle = {
        "format": BUNDLE_FORMAT,
        "exported": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "actions": [masked_dict(a) for a in actions],
    }
    return json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"


# -- import ------------------------------------------------------------------------------------
def read_bundle(text: str, where: str = "import") -> list[Imported]:
    """Parse an export (bundle, one action, or a list of actions); masked secrets come in empty."""
    data = parse_json(text, where)
    items = _items(data, where)
    out = []
    for i, item in enumerate(items):
        place = f"{where}: actions[{i}]" if len(items) > 1 else where
        if not isinstance(item, dict):
            raise ImportProblem(f"{place}: expected an action object, got {type(item).__name__}")
        missing: list[str] = []
        item = _unmask(item, "", missing)
        try:
            action = Action.model_validate(item)
        except ValidationError as exc:
            raise ImportProblem(f"{place} ({item.get('name', '?')}): " + "; ".join(error_lines(exc))) from None
        out.append(Imported(action, missing))
    return out


@dataclass
class Saved:
    action: Action  # as saved: a fresh id, the name it got
    name_in_file: str
    missing_secrets: list[str] = field(default_factory=list)


def import_items(workspace: Workspace, store: SecretStore, items: list[Imported], rename: bool = False) -> list[Saved]:
    """Save imported actions all or nothing: plain secrets go to the keyring first (one that fails
    stores nothing and takes back what it stored), then every file in one journaled, locked step.
    Without rename a name already taken refuses the whole import (ConflictError naming them)."""
    prepared: list[Action] = []
    try:
        for item in items:
            # A fresh id: an import is a new action, even when it came from this workspace.
            prepared.append(externalize_secrets(item.action.model_copy(update={"id": uuid.uuid4().hex}), store))
        saved = workspace.create_many(prepared, rename=rename)
    except BaseException:
        _take_back(store, items, prepared)
        raise
    return [Saved(a, i.action.name, i.missing_secrets) for a, i in zip(saved, items, strict=True)]


def _take_back(store: SecretStore, items: list[Imported], prepared: list[Action]) -> None:
    for item, action in zip(items, prepared, strict=False):  # prepared stops where the import failed
        kept = {ref.secret for ref in item.action.secret_refs()}
        for ref in action.secret_refs():
            if ref.secret not in kept:
                store.delete(ref)


def _items(data: Any, where: str) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and "actions" in data:
        fmt = data.get("format")
        if fmt not in (None, BUNDLE_FORMAT):
            raise ImportProblem(f"{where}: unknown format {fmt!r} (expected {BUNDLE_FORMAT})")
        if not isinstance(data["actions"], list):
            raise ImportProblem(f"{where}: 'actions' must be a list")
        return data["actions"]
    if isinstance(data, dict) and data.get("type") == "customAuthorization":
        raise ImportProblem(f"{where}: this is an authentication document, not an action; "
                            "import it into an action's authentication")
    if isinstance(data, dict):
        return [data]
    raise ImportProblem(f"{where}: expected an action, a list of actions or an export bundle")


def _unmask(node: Any, path: str, missing: list[str]) -> Any:
    """Replace ******** by a fresh, empty secret reference and remember where it was."""
    if isinstance(node, dict):
        return {k: _unmask(v, f"{path}.{k}" if path else k, missing) for k, v in node.items()}
    if isinstance(node, list):
        return [_unmask(v, f"{path}[{i}]", missing) for i, v in enumerate(node)]
    if node == MASK:
        missing.append(path)
        return {"secret": f"missing/{path}"}
    return node


def import_auth(text: str, current: Any = None, where: str = "authentication") -> CustomAuth:
    """A bare customAuthorization document; masked values keep the current auth's secrets."""
    data = parse_json(text, where)
    if not isinstance(data, dict) or data.get("type") != "customAuthorization":
        raise ImportProblem(f'{where}: expected a JSON object with "type": "customAuthorization"')
    old = current.dump() if isinstance(current, CustomAuth) else {}
    data = _keep_secrets(data, old)
    try:
        return CustomAuth.model_validate(data)
    except ValidationError as exc:
        raise ImportProblem(f"{where}: " + "; ".join(error_lines(exc))) from None


def _keep_secrets(new: Any, old: Any) -> Any:
    if isinstance(new, dict):
        return {k: _keep_secrets(v, old.get(k) if isinstance(old, dict) else None) for k, v in new.items()}
    if new == MASK:
        return old if isinstance(old, dict) and "secret" in old else {"secret": "missing/auth"}
    return new


# -- keeping secrets out of files ------------------------------------------------------------
def externalize_secrets(action: Action, store: SecretStore) -> Action:
    """Move plain secret values (by their names: client_secret, password, Authorization...) to the keyring."""
    data = action.model_copy(deep=True)
    auth = data.auth
    hint = f"{action.id}"
    if auth.type == "basic" and isinstance(auth.password, str) and auth.password:
        auth.password = store.put(auth.password, f"{hint}/password")
    elif auth.type == "apiKey" and isinstance(auth.value, str) and _is_literal(auth.value):
        auth.value = store.put(auth.value, f"{hint}/apikey")
    elif auth.type == "customAuthorization":
        auth.headers = _secure_map(auth.headers, store, f"{hint}/auth-header")
        if auth.body is not None:
            auth.body.body_params = _secure_map(auth.body.body_params, store, f"{hint}/auth-body")
    for param in [*data.endpoint.headers, *data.endpoint.query]:
        if isinstance(param.value, str) and is_secret_key(param.name) and _is_literal(param.value):
            param.value = store.put(param.value, f"{hint}/{param.name}")
    return data


def _secure_map(values: dict[str, Any], store: SecretStore, hint: str) -> dict[str, Any]:
    out = {}
    for key, value in values.items():
        if isinstance(value, str) and is_secret_key(key) and _is_literal(value):
            value = store.put(value, f"{hint}/{key}")
        out[key] = value
    return out


def _is_literal(value: str) -> bool:
    """A non-empty value that is not just a {{variable}} (those resolve from the environment)."""
    return bool(value) and value != MASK and not only_placeholder(value)


def missing_secrets(action: Action, store: SecretStore) -> list[str]:
    """Secret references with no value in the keyring (e.g. after an import)."""
    return [ref.secret for ref in action.secret_refs() if store.get(ref) is None]


def is_missing(ref: SecretRef) -> bool:
    return ref.secret.startswith("missing/")
