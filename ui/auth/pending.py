"""Secrets typed since the action was loaded: fresh references now, keyring writes only on Save.

`PendingSecrets` hands out a new `SecretRef` for each typed value (no keyring I/O); the pane
writes `values` to the keyring when it saves. `OverlayStore` lets "Test authentication" and
"Copy as cURL" use those unsaved values: it answers from them first, then from the real store;
`overlay_resolver` hands it to their workers. `secret_refs` says which references an auth uses.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Mapping, Optional

from app.masking import mask_all
from app.model.auth import ApiKeyAuth, BasicAuth, CustomAuth
from app.model.base import SecretRef, Value, only_placeholder
from app.secrets import SecretError, SecretStore

if TYPE_CHECKING:
    from app.services import Services


class PendingSecrets:
    """Plain values typed by the user, by the reference they will be stored under."""

    def __init__(self, store: SecretStore) -> None:
        self._store = store
        self.values: dict[str, str] = {}

    def typed(self, plain: str, hint: str, reuse: Optional[SecretRef] = None) -> SecretRef:
        """The reference for a newly typed value (`reuse` keeps one field's ref while it is edited)."""
        ref = reuse if reuse is not None and reuse.secret in self.values else self._store.new_ref(hint)
        self.values[ref.secret] = plain
        return ref

    def plain(self, value: Value) -> Optional[str]:
        """The typed text behind a reference (None for a stored one: the keyring is not read here)."""
        return self.values.get(value.secret) if isinstance(value, SecretRef) else None

    def place(self) -> Optional[str]:
        """Where the store keeps secrets, in words (see SecretStore.place; no keyring I/O)."""
        return self._store.place()

    def is_pending(self, value: Value) -> bool:
        return isinstance(value, SecretRef) and value.secret in self.values

    def used_by(self, refs: Iterable[SecretRef]) -> dict[str, str]:
        """The pending values the given references still point to (stale typing is dropped)."""
        keys = {ref.secret for ref in refs}
        return {key: plain for key, plain in self.values.items() if key in keys}

    def clear(self) -> None:
        self.values.clear()


def as_value(text: str, pending: PendingSecrets, hint: str, reuse: Optional[SecretRef] = None) -> Value:
    """What a secret field holds for typed text: a `{{variable}}` stays text, anything else a secret."""
    if not text or only_placeholder(text):
        return text
    return pending.typed(text, hint, reuse)


class OverlayStore(SecretStore):
    """A read-only view of a SecretStore that answers typed-but-unsaved secrets first."""

    def __init__(self, base: SecretStore, pending: Mapping[str, str]) -> None:
        super().__init__(backend=None)
        self._base = base
        self._pending = dict(pending)

    def _get_backend(self) -> Any:
        return self._base._get_backend()

    @property
    def problem(self) -> Optional[str]:
        return self._base.problem

    def get(self, ref: SecretRef) -> Optional[str]:
        if ref.secret in self._pending:
            return self._pending[ref.secret]
        return self._base.get(ref)

    def put(self, value: str, hint: str = "", ref: Optional[SecretRef] = None) -> SecretRef:
        raise SecretError("secrets are stored when the action is saved")

    def delete(self, ref: SecretRef) -> None:
        raise SecretError("secrets are deleted when the action is saved")


def masked_text(text: str, secrets: Iterable[str]) -> str:
    """Hide plain secrets in a text shown to the user (a second guard after the engine's own)."""
    return mask_all(text, secrets)


def overlay_resolver(services: Services, pending: dict[str, str]) -> Any:
    """A resolver that reads the pending secrets before the keyring (for a worker thread)."""
    resolver = services.resolver()
    resolver.secrets = OverlayStore(resolver.secrets, pending)
    return resolver


def secret_refs(auth: Any) -> list[SecretRef]:
    """The secret references an auth holds (to keep only the pending values it still uses)."""
    return [ref for _, ref in secret_places(auth)]


def secret_places(auth: Any) -> list[tuple[str, SecretRef]]:
    """Each secret reference of an auth with its dotted path ("body.bodyParams.client_secret")."""
    if isinstance(auth, BasicAuth):
        return [("password", auth.password)] if isinstance(auth.password, SecretRef) else []
    if isinstance(auth, ApiKeyAuth):
        return [("value", auth.value)] if isinstance(auth.value, SecretRef) else []
    if not isinstance(auth, CustomAuth):
        return []
    out = [(f"headers.{k}", v) for k, v in auth.headers.items() if isinstance(v, SecretRef)]
    if auth.body is not None:
        out += [(f"body.bodyParams.{k}", v) for k, v in auth.body.body_params.items() if isinstance(v, SecretRef)]
    return out
