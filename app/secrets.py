"""Secret values in the OS keyring (through `keyring`); files only ever hold a SecretRef.

When no keyring backend works (headless Linux without a Secret Service) the store says so and can
switch to a session-only in-memory store on request; it never falls back to plaintext on disk.
`ACTION_STUDIO_SECRETS=session` (the command line's `--session-secrets`) chooses the session-only
store from the start, for CI and headless machines: the keyring is then never touched.
"""
from __future__ import annotations

import os
import sys
import threading
import uuid
from typing import TYPE_CHECKING, Any, Optional

from app.masking import MASK

if TYPE_CHECKING:  # the models import pydantic: the command line reads CHOICE_VAR before the window's first paint
    from app.model.base import SecretRef, Value

SERVICE = "action-studio"
CHOICE_VAR = "ACTION_STUDIO_SECRETS"
HOW_TO_CHOOSE = ("'Use session-only storage' in the window; --session-secrets or "
                 f"{CHOICE_VAR}=session on the command line")


class SecretError(Exception):
    """A secret could not be read or written; the message says why and what to do."""


class MissingSecret(SecretError):
    pass


class MemoryBackend:
    """Session-only storage: forgotten when the app quits."""

    name = "session only (not saved)"

    def __init__(self) -> None:
        self._data: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, key: str) -> Optional[str]:
        return self._data.get((service, key))

    def set_password(self, service: str, key: str, value: str) -> None:
        self._data[(service, key)] = value

    def delete_password(self, service: str, key: str) -> None:
        self._data.pop((service, key), None)


class SecretStore:
    """Reads and writes secrets by reference. The keyring is probed lazily (its import is slow)."""

    def __init__(self, backend: Any = None, namespace: str = "") -> None:
        self._backend = backend
        self._namespace = namespace
        self._lock = threading.Lock()
        self._problem: Optional[str] = None

    # -- backend -----------------------------------------------------------------------------
    def _get_backend(self) -> Any:
        with self._lock:
            if self._backend is None:
                self._backend, self._problem = _chosen_backend()
            return self._backend

    @property
    def available(self) -> bool:
        """False when no working keyring exists and the session-only store was not chosen."""
        return self._get_backend() is not None

    @property
    def problem(self) -> Optional[str]:
        self._get_backend()
        return self._problem

    @property
    def backend_name(self) -> str:
        backend = self._get_backend()
        if backend is None:
            return "unavailable"
        return getattr(backend, "name", type(backend).__name__)

    def place(self) -> Optional[str]:
        """Where secrets are kept, in words ("the keyring"...), "" when nowhere (no keyring and
        session-only not chosen), None while the keyring is not probed yet. Never probes: hints
        on the UI thread call it, and probing may talk to D-Bus."""
        with self._lock:
            backend, problem = self._backend, self._problem
        if backend is None:
            return "" if problem else None
        return "memory, for this session only" if isinstance(backend, MemoryBackend) else "the keyring"

    @property
    def session_only(self) -> bool:
        """True when secrets live in memory only, forgotten when this process ends."""
        return isinstance(self._get_backend(), MemoryBackend)

    def use_session_only(self) -> None:
        """The user's explicit choice when no keyring works: keep secrets in memory for this run."""
        with self._lock:
            self._backend = MemoryBackend()

    # -- values ------------------------------------------------------------------------------
    def new_ref(self, hint: str = "") -> SecretRef:
        from app.model.base import SecretRef

        return SecretRef(secret=f"{self._namespace}/{hint or 'secret'}/{uuid.uuid4().hex[:12]}")

    def put(self, value: str, hint: str = "", ref: Optional[SecretRef] = None) -> SecretRef:
        """Store a secret value and return the reference to keep in files."""
        ref = ref or self.new_ref(hint)
        backend = self._require()
        try:
            backend.set_password(SERVICE, ref.secret, value)
        except Exception as exc:  # keyring backends raise many types (locked, dbus errors...)
            raise SecretError(f"the keyring refused to store a secret: {exc}") from exc
        return ref

    def get(self, ref: SecretRef) -> Optional[str]:
        backend = self._require()
        try:
            return backend.get_password(SERVICE, ref.secret)
        except Exception as exc:
            raise SecretError(f"the keyring could not be read: {exc}") from exc

    def delete(self, ref: SecretRef) -> None:
        backend = self._require()
        try:
            backend.delete_password(SERVICE, ref.secret)
        except Exception:
            pass  # already gone is fine: deletion is cleanup

    def reveal(self, value: Value, where: str = "") -> str:
        """The plain text of a value; a missing secret raises MissingSecret naming where."""
        if isinstance(value, str):
            return value
        secret = self.get(value)
        if secret is None:
            place = f" for {where}" if where else ""
            note = (" (secrets are session-only in this run, so the keyring is not read: use the keyring, or "
                    "give the value through a {{variable}} and --var)") if self.session_only else ""
            raise MissingSecret(f"the secret{place} is not in the keyring; enter it again{note}")
        return secret

    def _require(self) -> Any:
        backend = self._get_backend()
        if backend is None:
            raise SecretError(
                (self._problem or "no keyring is available")
                + f" (to keep secrets in memory for one run instead: {HOW_TO_CHOOSE})"
            )
        return backend


def session_only_chosen() -> bool:
    """Whether $ACTION_STUDIO_SECRETS asks for session-only secrets; raises SecretError for a value
    that is neither 'session' nor 'keyring'."""
    choice = os.environ.get(CHOICE_VAR, "").strip()
    if choice.lower() in ("", "keyring"):
        return False
    if choice.lower() == "session":
        return True
    raise SecretError(f"{CHOICE_VAR}={choice!r} is not understood: use 'session' (secrets kept in memory "
                      "for this run only) or 'keyring'")


def _chosen_backend() -> tuple[Any, Optional[str]]:
    try:
        if session_only_chosen():
            return MemoryBackend(), None
    except SecretError as exc:
        return None, str(exc)
    return _detect_keyring()


def _detect_keyring() -> tuple[Any, Optional[str]]:
    """The system keyring, or (None, why) when none is usable."""
    if sys.platform != "darwin":
        # keyring's macOS backend loads Apple's libraries at import through ctypes.util.find_library,
        # which on Linux runs ldconfig, gcc and ld three times (~50 ms of CPU and nine processes for
        # each command); the backend refuses any system but macOS before it needs them.
        sys.modules.setdefault("keyring.backends.macOS.api", None)  # type: ignore[arg-type]  # import's "not importable"
    try:
        import keyring
        from keyring.backends import fail
    except Exception as exc:  # pragma: no cover - keyring is a dependency
        return None, f"the keyring library failed to load: {exc}"
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or _is_empty_chainer(backend):
        return None, "no OS keyring is available (on Linux: a Secret Service such as gnome-keyring)"
    return backend, None


def _is_empty_chainer(backend: Any) -> bool:
    backends = getattr(backend, "backends", None)
    return backends is not None and not backends


def masked(value: Value) -> str:
    return value if isinstance(value, str) else MASK
