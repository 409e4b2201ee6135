"""Where the secret store says secrets live, without probing the keyring to answer."""
from __future__ import annotations

import keyring
from keyring.backends import fail

from app.secrets import SecretStore


def test_place_follows_the_store_and_never_probes() -> None:
    keyring.set_keyring(fail.Keyring())  # restored by the root conftest
    store = SecretStore()
    assert store.place() is None  # not probed yet: nothing claimed, nothing probed
    assert store._backend is None and store._problem is None
    assert not store.available  # the probe (the window runs it in a worker)
    assert store.place() == ""  # nowhere
    store.use_session_only()
    assert store.place() == "memory, for this session only"


def test_a_working_keyring_is_the_place(memory_keyring) -> None:
    store = SecretStore()
    assert store.available
    assert store.place() == "the keyring"
