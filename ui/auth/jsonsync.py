"""Keeps the custom authentication's JSON editor and its form showing the same document.

The JSON shows every secret as ********. A valid JSON edit is read like an import: a ******** is
put back to the form's secret at the same place, and a secret-named value typed in plain becomes a
pending secret. An import refusal is marked at the line of the key it is about.
"""
from __future__ import annotations

import json
from typing import Any, Optional

from PySide6.QtCore import QEvent, QObject, QTimer

from app.jsonpos import position_of
from app.masking import is_secret_key
from app.model.auth import CustomAuth
from app.model.base import MASK, SecretRef, only_placeholder
from app.transfer import ImportProblem, import_auth
from ui.auth.customform import CustomForm
from ui.auth.pending import PendingSecrets
from ui.jsonedit import JsonEdit, Problem


class JsonSync(QObject):
    """Renders the form into the editor, and reads the editor's valid JSON back into an auth."""

    def __init__(self, form: CustomForm, editor: JsonEdit, pending: PendingSecrets, parent: QObject) -> None:
        super().__init__(parent)
        self._form = form
        self._editor = editor
        self._pending = pending
        editor.installEventFilter(self)

    def render(self, force: bool = False) -> None:
        """Show the form's document as JSON, every secret as ********."""
        if self._editor.hasFocus() and not force:
            return  # the user is typing there: re-rendered when they leave
        masked = _masked(self._form.document())
        text = json.dumps(masked, indent=2, ensure_ascii=False) + "\n"
        if text != self._editor.toPlainText() or self._editor.problem() is not None:
            self._editor.load(text, known_result=masked)

    def read(self, data: Any, text: str) -> Optional[CustomAuth]:
        """The auth in a syntactically valid edit, or None (the refusal is marked in the editor)."""
        try:
            auth = import_auth(json.dumps(self._with_refs(data)), None)
        except ImportProblem as exc:
            self._editor.set_problem(_located(str(exc), text))
            return None
        return self._secure(auth)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._editor and event.type() == QEvent.Type.FocusOut and self._editor.problem() is None:
            QTimer.singleShot(0, self, self.render)  # mask what was typed, once focus has gone (not once deleted)
        return super().eventFilter(watched, event)

    def _with_refs(self, data: Any) -> Any:
        """The edited document with ******** put back to the form's secret at the same place."""
        if not isinstance(data, dict):
            return data
        form = self._form.document()
        out = dict(data)
        for key, where in (("headers", form.get("headers", {})),
                           ("body", form.get("body", {}).get("bodyParams", {}))):
            source = out.get(key)
            if key == "body" and isinstance(source, dict) and isinstance(source.get("bodyParams"), dict):
                source = dict(source)
                source["bodyParams"] = _unmask_map(source["bodyParams"], where)
                out[key] = source
            elif key == "headers" and isinstance(source, dict):
                out[key] = _unmask_map(source, where)
        return out

    def _secure(self, auth: CustomAuth) -> CustomAuth:
        """Secret-named values typed in plain into the JSON become pending secrets."""
        def secure(values: dict[str, Any], hint: str) -> dict[str, Any]:
            return {name: (self._pending.typed(value, f"{hint}/{name}")
                           if isinstance(value, str) and is_secret_key(name) and value and value != MASK
                           and not only_placeholder(value) else value)
                    for name, value in values.items()}

        headers = secure(auth.headers, "auth-header")
        body = auth.body.model_copy(update={"body_params": secure(auth.body.body_params, "auth-body")}) \
            if auth.body is not None else None
        return auth.model_copy(update={"headers": headers, "body": body})


def _masked(node: Any) -> Any:
    if isinstance(node, SecretRef):
        return MASK
    if isinstance(node, dict):
        return {k: _masked(v) for k, v in node.items()}
    return node


def _unmask_map(values: dict[str, Any], form: dict[str, Any]) -> dict[str, Any]:
    return {name: ({"secret": form[name].secret} if value == MASK and isinstance(form.get(name), SecretRef)
                   else value) for name, value in values.items()}


def _located(message: str, text: str) -> Problem:
    """An import refusal ("authentication: body.bodyParams.client_id: ...") marked where the field
    it names is written (not merely its first key: "body" is lines above "client_id")."""
    body = message.split(": ", 1)[1] if message.startswith("authentication: ") else message
    where = position_of(text, body.split(": ", 1)[0].strip())
    return Problem(body, *where) if where else Problem(body)
