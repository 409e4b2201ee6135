"""Secrets: in the keyring by reference; unavailable keyring said clearly; a real Secret Service."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from app.model import Action, BasicAuth, CustomAuth, CustomBody, SecretRef
from app.resolve import MissingVariable, Resolver
from app.secrets import MissingSecret, SecretError, SecretStore
from app.store import Workspace
from app.transfer import externalize_secrets
from tests.helpers.keyring_backends import LockedKeyring, MemoryKeyring

REPO = Path(__file__).resolve().parents[2]


def test_put_and_reveal_through_the_os_keyring(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore(namespace="ws")
    ref = store.put("s3cret", "auth/password")
    assert ref.secret.startswith("ws/auth/password/")
    assert store.reveal(ref) == "s3cret"
    assert ("action-studio", ref.secret) in memory_keyring.data
    store.delete(ref)
    with pytest.raises(MissingSecret, match="not in the keyring"):
        store.reveal(ref, "auth.password")


def test_no_keyring_is_said_clearly_and_session_only_is_a_choice() -> None:
    keyring.set_keyring(fail.Keyring())
    store = SecretStore()
    assert not store.available
    assert "no OS keyring" in (store.problem or "")
    with pytest.raises(SecretError, match="session-only storage"):
        store.put("x")
    store.use_session_only()
    assert store.reveal(store.put("x")) == "x"
    assert "session only" in store.backend_name


def test_locked_keyring_errors_are_messages() -> None:
    keyring.set_keyring(LockedKeyring())
    store = SecretStore()
    with pytest.raises(SecretError, match="refused to store"):
        store.put("x")
    with pytest.raises(SecretError, match="could not be read"):
        store.get(SecretRef(secret="k"))


def test_secrets_never_reach_the_workspace_file(tmp_path: Path, secrets: SecretStore) -> None:
    action = Action(name="a", auth=CustomAuth(endpoint="https://t.example/token", body=CustomBody(
        body_params={"client_id": "id", "client_secret": "TOPSECRET-1", "scope": "s"})))
    basic = Action(name="b", auth=BasicAuth(username="u", password="TOPSECRET-2"))
    ws = Workspace.open(tmp_path)
    for a in (action, basic):
        ws.save(externalize_secrets(a, secrets))
    on_disk = "".join(p.read_text() for p in (tmp_path / "actions").iterdir())
    assert "TOPSECRET" not in on_disk
    loaded = ws.load("a").auth
    assert isinstance(loaded, CustomAuth) and loaded.body is not None
    assert loaded.body.body_params["client_id"] == "id"
    assert secrets.reveal(loaded.body.body_params["client_secret"]) == "TOPSECRET-1"


def test_resolver_masks_what_it_revealed(secrets: SecretStore) -> None:
    from app.model import Environment, Variable

    env = Environment(name="e", variables=[Variable(name="base", value="https://h.example"),
                                           Variable(name="key", value=secrets.put("k-123"))])
    resolver = Resolver(secrets, env, overrides={"extra": "1"})
    assert resolver.text("{{base}}/x?k={{key}}&e={{ extra }}") == "https://h.example/x?k=k-123&e=1"
    assert resolver.mask("sent k-123") == "sent ********"
    with pytest.raises(MissingVariable, match=r"\{\{nope\}\}"):
        resolver.text("{{nope}}/{{base}}")


def test_resolver_refuses_loops(secrets: SecretStore) -> None:
    from app.model import Environment, Variable

    env = Environment(name="e", variables=[Variable(name="a", value="{{b}}"), Variable(name="b", value="{{a}}")])
    with pytest.raises(ValueError, match="loop"):
        Resolver(secrets, env).text("{{a}}")


@pytest.mark.secret_service
@pytest.mark.skipif(not shutil.which("dbus-run-session") or not shutil.which("gnome-keyring-daemon"),
                    reason="needs dbus-run-session and gnome-keyring-daemon (make test installs them)")
def test_real_secret_service(tmp_path: Path) -> None:
    """One round trip through a real Secret Service: gnome-keyring on a private D-Bus session. Finding
    it starts no process (keyring's macOS backend ran ldconfig, gcc and ld at import, on every system)."""
    script = tmp_path / "probe.py"
    script.write_text(textwrap.dedent("""
        import sys
        from app.secrets import SecretStore
        started = []
        sys.addaudithook(lambda event, args: event.startswith(("subprocess.", "os.posix_spawn", "os.exec", "os.fork",
                                                                   "os.system")) and started.append((event, args)))
        store = SecretStore(namespace="it")
        assert store.available, store.problem
        assert started == [], started
        ref = store.put("real-secret-value", "probe")
        assert store.reveal(ref) == "real-secret-value"
        store.delete(ref)
        assert store.get(ref) is None
        print("backend:", store.backend_name)
    """))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "XDG_RUNTIME"))}
    env.update(HOME=str(tmp_path), PYTHONPATH=str(REPO), XDG_DATA_HOME=str(tmp_path / "data"))
    shell = (f'echo -n test-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; '
             f'"{sys.executable}" "{script}"')
    done = subprocess.run(["dbus-run-session", "--", "bash", "-c", shell], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SecretService" in done.stdout


def test_session_only_by_choice_never_touches_the_keyring(memory_keyring, monkeypatch) -> None:
    monkeypatch.setenv("ACTION_STUDIO_SECRETS", "session")
    store = SecretStore()
    ref = store.put("s3cret", hint="x")
    assert store.session_only and store.reveal(ref) == "s3cret"
    assert memory_keyring.data == {}


def test_a_secrets_choice_not_understood_makes_the_store_unavailable(monkeypatch) -> None:
    monkeypatch.setenv("ACTION_STUDIO_SECRETS", "disk")
    store = SecretStore()
    assert not store.available and "ACTION_STUDIO_SECRETS='disk' is not understood" in (store.problem or "")
    with pytest.raises(SecretError, match="not understood"):
        store.put("x")
