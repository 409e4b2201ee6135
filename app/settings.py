"""Workspace settings (`settings.json` in the workspace): what a user may tune per workspace."""
from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError

from app import atomic
from app.model import Model, error_lines
from app.net.config import DEFAULT_RESPONSE_MAX_BYTES, DEFAULT_TOKEN_MAX_BYTES

FILE_NAME = "settings.json"


class SettingsError(ValueError):
    """settings.json could not be used; the message names the file and the field."""


class WorkspaceSettings(Model):
    # The history is bounded: past this many calls the oldest are pruned.
    history_max_rows: int = Field(default=50_000, ge=100, le=10_000_000)
    # Bytes read of a response body, per response: the rest is never read (a huge or endless body
    # cannot take the memory) and the result says "truncated at N bytes".
    response_max_bytes: int = Field(default=DEFAULT_RESPONSE_MAX_BYTES, ge=1024, le=1024 ** 3)
    token_response_max_bytes: int = Field(default=DEFAULT_TOKEN_MAX_BYTES, ge=1024, le=64 * 1024 ** 2)


def load_settings(home: Path) -> WorkspaceSettings:
    """The workspace's settings; defaults when the file is absent."""
    path = Path(home) / FILE_NAME
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return WorkspaceSettings()
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot be read ({exc})") from None
    try:
        return WorkspaceSettings.model_validate_json(text)
    except ValidationError as exc:
        raise SettingsError(f"{path}: " + "; ".join(error_lines(exc))) from None


def save_settings(home: Path, settings: WorkspaceSettings) -> None:
    atomic.write_json(Path(home) / FILE_NAME, settings.dump())
