"""The identities the sandbox knows: OAuth clients, streaming inlets and custom-events apps."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Iterable

from app.sandbox.config import (
    DEFAULT_AIRSHIP_TOKEN,
    DEFAULT_APP_KEY,
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
)


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
    the added ids exist and the others answer 404.
    """

    clients: dict[str, Client] = field(default_factory=dict)
    inlets: dict[str, bool] = field(default_factory=dict)
    apps: dict[str, frozenset[str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def with_defaults(cls) -> Accounts:
        """Registries holding the seed's client and the sandbox app key."""
        accounts = cls()
        accounts.add_client(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
        accounts.add_app(DEFAULT_APP_KEY, [DEFAULT_AIRSHIP_TOKEN])
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

    def inlet_auth(self, inlet_id: str) -> bool | None:
        """True/False whether the inlet needs a token; None when it does not exist."""
        inlets = self.inlets  # Replaced, never mutated: reading the reference is safe.
        if not inlets:
            return True
        return inlets.get(inlet_id)
