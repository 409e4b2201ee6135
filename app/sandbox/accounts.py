"""The identities the sandbox knows: OAuth clients, streaming inlets and custom-events apps."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Iterable

from app.sandbox.config import (
    DEFAULT_AIRSHIP_TOKEN,
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    LEGACY_APP_KEY,
)

# The vendor's app keys: 22 characters, letters, digits, '_' and '-' (its official client's check).
WELL_FORMED_APP_KEY = re.compile(r"[\w-]{22}", re.ASCII)


@dataclass(frozen=True, slots=True)
class Client:
    """Client credentials for the token endpoint; ``scopes=None`` allows any scope."""

    client_id: str
    client_secret: str
    scopes: frozenset[str] | None = None


@dataclass
class Accounts:
    """Thread-safe registries, pre-filled with the sample workspace's credentials.

    Inlets: until one is added, any inlet id is accepted (and authenticated); afterwards only
    the added ids exist and the others answer 404. Custom-events apps likewise: until one is
    added, any well-formed app key (and the legacy sample key) is accepted with the demo token;
    afterwards only the added keys, each with its own static tokens.
    """

    clients: dict[str, Client] = field(default_factory=dict)
    inlets: dict[str, bool] = field(default_factory=dict)
    apps: dict[str, frozenset[str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def with_defaults(cls) -> Accounts:
        """Registries holding the seed's client; no app declared (any well-formed key works)."""
        accounts = cls()
        accounts.add_client(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
        return accounts

    def add_client(self, client_id: str, client_secret: str, scopes: Iterable[str] | None = None) -> None:
        """Add (or replace) a client id/secret pair."""
        allowed = None if scopes is None else frozenset(scopes)
        with self._lock:
            self.clients = {**self.clients, client_id: Client(client_id, client_secret, allowed)}

    def add_inlet(self, inlet_id: str, authenticated: bool = True) -> None:
        """Declare an inlet; from then on unknown inlet ids answer 404."""
        with self._lock:
            self.inlets = {**self.inlets, inlet_id: authenticated}

    def add_app(self, app_key: str, static_tokens: Iterable[str] = ()) -> None:
        """Add a custom-events app key with the bearer tokens it accepts besides issued ones."""
        with self._lock:
            self.apps = {**self.apps, app_key: frozenset(static_tokens)}

    def app_tokens(self, app_key: str) -> frozenset[str] | str:
        """The static bearer tokens an app key accepts besides issued ones, or why it is refused."""
        apps = self.apps  # Replaced, never mutated: reading the reference is safe.
        if apps:
            return apps.get(app_key, "unknown app key")
        if WELL_FORMED_APP_KEY.fullmatch(app_key) or app_key == LEGACY_APP_KEY:
            return frozenset({DEFAULT_AIRSHIP_TOKEN})
        return "malformed app key (the vendor's are 22 characters: letters, digits, '_' and '-')"

    def inlet_auth(self, inlet_id: str) -> bool | None:
        """True/False whether the inlet needs a token; None when it does not exist."""
        inlets = self.inlets  # Replaced, never mutated: reading the reference is safe.
        if not inlets:
            return True
        return inlets.get(inlet_id)
