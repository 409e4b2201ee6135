"""cURL in and out of a custom authentication: a pasted curl command read into a `CustomAuth`
(with the note to show about it), and the token request copied to the clipboard as curl.

The dialog that asks for the command is `curldialog`; this module only reads and writes commands.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

import shiboken6
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from app.model.auth import CustomAuth
from app.model.base import SecretRef
from app.services import Services
from ui import workers
from ui.auth.pending import PendingSecrets, masked_text, overlay_resolver


@dataclass
class Imported:
    """A curl command read: the auth (None when it could not be used) and the note to show."""

    auth: Optional[CustomAuth]
    note: str
    kind: str = ""  # the note's meaning: "", "warning" or "error"


def read_command(text: str, pending: PendingSecrets) -> Imported:
    """The custom authentication in a curl command; its secrets become pending secrets."""
    from app.auth import CurlError, parse_curl

    try:
        imported = parse_curl(text)
    except CurlError as exc:
        return Imported(None, f"The curl command could not be used: {exc}", "error")
    auth = imported.with_secrets_stored(_PendingPut(pending))
    notes = [f"Not imported: {', '.join(imported.ignored)}"] if imported.ignored else []
    notes += imported.warnings
    secret_names = ", ".join(sorted(imported.secrets))
    if secret_names:
        notes.insert(0, f"Imported; {secret_names} will be stored in the keyring when you save.")
    return Imported(auth, "\n".join(notes) or "Imported.", "warning" if imported.ignored or imported.warnings else "")


def copy_as_curl(services: Services, auth: CustomAuth, pending: dict[str, str], owner: QWidget,
                 show_note: Callable[..., None]) -> None:
    """Build the token request's curl command in a worker and put it, secrets masked, on the clipboard.

    `show_note(text, kind)` reports the outcome; nothing is reported once `owner` is gone.
    """
    def copied(answer: tuple[str, set[str]]) -> None:
        text, secrets = answer
        QGuiApplication.clipboard().setText(masked_text(text, secrets))
        show_note("Copied the token request as curl (secrets masked).")

    def failed(exc: BaseException) -> None:
        show_note(f"Could not build the curl command: {exc}", "error")

    workers.run_in_background(_curl_text, services, auth, pending,
                              on_done=_guarded(owner, copied), on_error=_guarded(owner, failed))


def _guarded(owner: QWidget, slot: Any) -> Any:
    """A callback that does nothing once `owner` is gone (the worker may outlive it)."""
    def call(*args: Any) -> None:
        if shiboken6.isValid(owner):
            slot(*args)
    return call


def _curl_text(services: Services, auth: CustomAuth, pending: dict[str, str]) -> tuple[str, set[str]]:
    """Worker side (no widgets): the curl command and every secret value to mask in it."""
    from app.auth import to_curl

    resolver = overlay_resolver(services, pending)
    return to_curl(auth, resolver), set(resolver.secret_values) | set(pending.values())


class _PendingPut:
    """Stands in for the SecretStore in CurlImport.with_secrets_stored: nothing is written yet."""

    def __init__(self, pending: PendingSecrets) -> None:
        self._pending = pending

    def put(self, value: str, hint: str = "", ref: Optional[SecretRef] = None) -> SecretRef:
        return self._pending.typed(value, f"auth/{hint}")
