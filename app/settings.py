"""Workspace settings (`settings.json` in the workspace): what a user may tune per workspace."""
from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError

from app import atomic
from app.model import Model, error_lines

FILE_NAME = "settings.json"


class SettingsError(ValueError):
    """settings.json could not be used; the message names the file and the field."""


class WorkspaceSettings(Model):
    # The history is bounded: past this many calls the oldest are pruned.
    history_max_rows: int = Field(default=50_000, ge=100, le=10_000_000)


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
        raise SettingsError(f"{path}: " + "; ".join(error_lines(exc, root=""))) from None


def save_settings(home: Path, settings: WorkspaceSettings) -> None:
    atomic.write_json(Path(home) / FILE_NAME, settings.dump())
