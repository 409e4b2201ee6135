"""Where things live: the workspace folder (platformdirs by default) and the shipped resources."""
from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "ActionStudio"
HOME_ENV = "ACTION_STUDIO_HOME"
RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def default_home() -> Path:
    """The workspace folder: ACTION_STUDIO_HOME, else the user data dir."""
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path  # imported late: start-up time matters

    return user_data_path(APP_NAME, appauthor=False) / "workspace"


def resolve_home(home: str | os.PathLike[str] | None) -> Path:
    return Path(home).expanduser() if home else default_home()


def resource(*parts: str) -> Path:
    return RESOURCES.joinpath(*parts)


def sample_workspace() -> Path:
    return resource("sample_workspace")
