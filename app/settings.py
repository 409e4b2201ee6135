"""Workspace settings (`settings.json` in the workspace): what a user may tune per workspace."""
from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError

from app import atomic
from app.model import JsonError, Model, error_lines, parse_json
from app.net.config import DEFAULT_RESPONSE_MAX_BYTES, DEFAULT_TOKEN_MAX_BYTES
from app.unknown_fields import carry_from_file, validate_keeping_unknown

FILE_NAME = "settings.json"


class SettingsError(ValueError):
    """settings.json could not be used; the message names the file and the field. It is left as it is."""


class WorkspaceSettings(Model):
    # The history is bounded: past this many calls the oldest are pruned.
    history_max_rows: int = Field(default=50_000, ge=100, le=10_000_000)
    # Bytes read of a response body, per response: the rest is never read (a huge or endless body
    # cannot take the memory) and the result says "truncated at N bytes".
    response_max_bytes: int = Field(default=DEFAULT_RESPONSE_MAX_BYTES, ge=1024, le=1024 ** 3)
    token_response_max_bytes: int = Field(default=DEFAULT_TOKEN_MAX_BYTES, ge=1024, le=64 * 1024 ** 2)


def load_settings(home: Path) -> WorkspaceSettings:
    """The workspace's settings; defaults when the file is absent. Fields of a newer version are ignored."""
    path = Path(home) / FILE_NAME
    try:
        text = path.read_bytes().decode("utf-8")
        return validate_keeping_unknown(WorkspaceSettings, parse_json(text))[0]
    except FileNotFoundError:
        return WorkspaceSettings()
    except JsonError as exc:
        reason = f"not valid JSON ({exc})"
    except UnicodeDecodeError as exc:
        reason = f"not UTF-8 text ({exc.reason} at byte {exc.start})"
    except ValidationError as exc:
        reason = "; ".join(error_lines(exc, root=""))
    except OSError as exc:
        reason = f"cannot be read ({exc.strerror})"
    raise SettingsError(f"{path}: {reason}; the file was left as it is: fix it, or remove it for the defaults")


def save_settings(home: Path, settings: WorkspaceSettings) -> None:
    path = Path(home) / FILE_NAME
    atomic.write_json(path, carry_from_file(WorkspaceSettings, settings.dump(), path))
