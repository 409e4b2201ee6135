"""The pane's save, off the UI thread: secrets to the keyring, then the file, checked against the
stamp it had when loaded; a file changed or deleted meanwhile comes back as a `Conflict`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from app.model import Action, SecretRef
from app.store import ConflictError
from ui.conflict import Conflict, read_conflict

if TYPE_CHECKING:
    from app.services import Services


@dataclass(frozen=True)
class Written:
    action: Action
    stamp: Optional[str]  # the file's stamp right after the write, for the next save's check


def write(services: Services, action: Action, previous: Optional[str], secrets: dict[str, str],
          expected: Any) -> "Written | Conflict":
    """Worker: secrets first (a file never points at a secret not stored), then the file.

    expected: the stamp loaded (or None for a new action, UNCHECKED to overwrite); "exists" (the
    name is taken) is raised as the refusal it is, "changed"/"deleted" return both sides to choose.
    """
    for key, value in secrets.items():
        services.secrets.put(value, ref=SecretRef(secret=key))
    ws = services.workspace
    try:
        with ws.locked():  # the stamp read is the one of this write, not of a later one
            saved = ws.save(action, previous_name=previous, expected=expected)
            return Written(saved, ws.stamp(saved.name))
    except ConflictError as exc:
        if exc.kind == "exists":
            raise
        return read_conflict(ws, exc, action)
