"""Keyring backends for tests: in memory, locked, failing. Installed with keyring.set_keyring."""
from __future__ import annotations

from typing import Optional

from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordSetError


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        # Not KeyringBackend.__init__: it reads every environment variable for KEYRING_PROPERTY_*
        # settings, which a keyring in memory has none of (~60 us, and every test makes one).
        self.data: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> Optional[str]:
        return self.data.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.data[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.data.pop((service, username), None)


class LockedKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> Optional[str]:
        raise KeyringLocked("the collection is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("the collection is locked")
