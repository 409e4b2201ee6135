"""The sample workspace: copied from resources/ on first use, its demo secrets put in the keyring."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from app.model import SecretRef
from app.paths import sample_workspace
from app.secrets import SecretError, SecretStore

SECRETS_FILE = "sample-secrets.json"


def install_sample(target: Path, secrets: SecretStore) -> list[str]:
    """Copy the sample into target (never over an existing workspace) and seed its demo secrets.

    Returns problems to show the user (e.g. no keyring: the secrets could not be stored).
    """
    source = sample_workspace()
    if not (target / "actions").exists():
        shutil.copytree(source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(SECRETS_FILE, "__pycache__"))
    return seed_sample_secrets(secrets)


def seed_sample_secrets(secrets: SecretStore) -> list[str]:
    """Put the sandbox-only demo credentials in the secret store where they are missing."""
    demo = json.loads((sample_workspace() / SECRETS_FILE).read_text("utf-8"))
    try:
        for key, value in demo.items():
            if key.startswith("_"):
                continue
            ref = SecretRef(secret=key)
            if secrets.get(ref) is None:
                secrets.put(value, ref=ref)
    except SecretError as exc:
        return [f"the sample's demo secrets could not be stored: {exc}"]
    return []


def sample_home() -> Path:
    from app.paths import default_home

    return default_home().parent / "sample-workspace"
