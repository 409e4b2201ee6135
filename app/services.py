"""The collaborators every front end (GUI, CLI, tests) shares, built once and passed in."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping, Optional, Protocol

from app.model import EnvironmentSet
from app.resolve import Resolver
from app.secrets import SecretStore
from app.store import Workspace

if TYPE_CHECKING:  # imported when first used: opening a workspace loads neither httpx nor uvicorn
    from app.auth import AuthEngine
    from app.net import NetConfig
    from app.sandbox import Sandbox

SANDBOX_URL_VAR = "sandbox.url"


class ValueMasking(Protocol):
    """What takes the secrets the resolvers reveal (an in-process sandbox's request log)."""

    def mask_values(self, values: Iterable[str]) -> None: ...


class Services:
    """Workspace, secrets, environments, the auth engine and the embedded sandbox (on demand)."""

    def __init__(self, workspace: Workspace, secrets: Optional[SecretStore] = None) -> None:
        self.workspace = workspace
        self.secrets = secrets or SecretStore(namespace=_namespace(workspace.home))
        self._envs: Optional[EnvironmentSet] = None
        self._auth: Optional[AuthEngine] = None
        self._sandbox: Optional[Sandbox] = None
        self._lock = threading.Lock()
        # Every secret a resolver of these services revealed, and the in-process sandboxes that mask
        # them in their request logs (a secret may travel under an innocent name: ?code=, ?auth=).
        self._revealed: set[str] = set()
        self._masking: list[ValueMasking] = []
        self._secrets_lock = threading.Lock()

    @classmethod
    def open(cls, home: Path, secrets: Optional[SecretStore] = None) -> "Services":
        return cls(Workspace.open(home), secrets)

    # -- environments ------------------------------------------------------------------------
    def environments(self) -> EnvironmentSet:
        if self._envs is None:
            self._envs = self.workspace.environments()
        return self._envs

    def save_environments(self, envs: EnvironmentSet) -> None:
        self.workspace.save_environments(envs)
        self._envs = envs

    def resolver(self, env_name: Optional[str] = None, overrides: Optional[Mapping[str, str]] = None) -> Resolver:
        """A resolver over the chosen (default: active) environment, with {{sandbox.url}} built in."""
        envs = self.environments()
        env = envs.by_name(env_name) if env_name else envs.current()
        if env_name and env is None:
            known = ", ".join(e.name for e in envs.environments) or "none"
            raise ValueError(f"no environment named {env_name!r}; known: {known}")
        return Resolver(self.secrets, env, overrides, dynamic={SANDBOX_URL_VAR: self.sandbox_url},
                        on_secret=self._revealed_secret)

    def _revealed_secret(self, value: str) -> None:
        with self._secrets_lock:
            self._revealed.add(value)
            sandboxes = list(self._masking)
        for sandbox in sandboxes:
            sandbox.mask_values((value,))

    def share_secrets_with(self, sandbox: ValueMasking) -> None:
        """Have this in-process sandbox mask, in its request log, every secret these services'
        resolvers revealed or will reveal, whatever the parameter's name."""
        with self._secrets_lock:
            self._masking.append(sandbox)
            revealed = set(self._revealed)
        sandbox.mask_values(revealed)

    # -- auth and the network ----------------------------------------------------------------
    @property
    def auth(self) -> "AuthEngine":
        """The shared AuthEngine (one token cache for every action and run), with `net()`."""
        with self._lock:
            if self._auth is None:
                from app.auth import AuthEngine

                self._auth = AuthEngine(self.secrets, net=self.net())
            return self._auth

    def net(self) -> "NetConfig":
        """The workspace's network settings (app.net.NetConfig from settings.json: response caps).
        A settings.json that cannot be read gives the defaults: calls must not fail for it (the CLI
        reports that file, as for the history)."""
        from app.net import NetConfig
        from app.settings import SettingsError, load_settings

        try:
            return NetConfig.from_settings(load_settings(self.workspace.home))
        except SettingsError:
            return NetConfig()

    # -- sandbox -----------------------------------------------------------------------------
    def sandbox_url(self) -> str:
        """Start the embedded sandbox if needed and return its base URL."""
        with self._lock:
            if self._sandbox is None:
                from app.sandbox import Sandbox, SandboxConfig

                sandbox = Sandbox(SandboxConfig())
                sandbox.start()
                self.share_secrets_with(sandbox)
                self._sandbox = sandbox
            return str(self._sandbox.base_url)

    @property
    def sandbox(self) -> "Optional[Sandbox]":
        """The running sandbox, or None."""
        return self._sandbox

    def stop_sandbox(self) -> None:
        with self._lock:
            if self._sandbox is not None:
                self._sandbox.stop()
                with self._secrets_lock:
                    self._masking = [s for s in self._masking if s is not self._sandbox]
                self._sandbox = None

    def close(self) -> None:
        self.stop_sandbox()


def _namespace(home: Path) -> str:
    """A per-workspace prefix for keyring entries, so two workspaces never share a secret by accident."""
    import hashlib

    return "ws-" + hashlib.sha1(str(Path(home).resolve()).encode()).hexdigest()[:10]
