"""The log file: `action-studio.log` in the user log folder (platformdirs), rotated, INFO by default.

Every line goes through `app.masking.mask_text` (the rules of the recorded calls) before it is
written, tracebacks included: the log never holds a secret. Third-party libraries that log each
request at INFO (httpx, uvicorn) are kept to warnings: the history already records the calls.
"""
from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Optional

from app.paths import APP_NAME

LOG_DIR_ENV = "ACTION_STUDIO_LOG_DIR"
LEVEL_ENV = "ACTION_STUDIO_LOG_LEVEL"  # DEBUG, INFO (default), WARNING, ERROR
FILE_NAME = "action-studio.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 5  # action-studio.log.1 ... .5: at most 6 MiB
QUIET = ("httpx", "httpcore", "uvicorn", "uvicorn.access", "uvicorn.error", "asyncio", "aiohttp", "keyring")
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s"


def log_dir() -> Path:
    """$ACTION_STUDIO_LOG_DIR, else the user log folder (Linux: $XDG_STATE_HOME/ActionStudio/log)."""
    env = os.environ.get(LOG_DIR_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_log_path

    return user_log_path(APP_NAME, appauthor=False)


def log_file() -> Path:
    return log_dir() / FILE_NAME


class MaskingFormatter(logging.Formatter):
    """The formatted line, traceback included, with secrets masked."""

    def format(self, record: logging.LogRecord) -> str:
        from app.masking import mask_text

        return mask_text(super().format(record))


class _Handler(RotatingFileHandler):
    """Ours: found again (and moved when the log folder changes) by `setup`."""

    def handleError(self, record: logging.LogRecord) -> None:
        """A full or read-only disk loses the line, silently: logging's default prints a traceback
        on standard error, which would garble a command's output."""


def setup(what: str) -> Optional[Path]:
    """Send this process's log to the log file (once; again only if the folder changed); the file,
    or None when the folder cannot be made (read-only home: the app runs on without a log)."""
    root = logging.getLogger()
    path = log_file()
    current = [h for h in root.handlers if isinstance(h, _Handler)]
    if not (current and Path(current[0].baseFilename) == path.absolute()):
        current = _open(root, path, current)
    from app.version import __version__

    logging.getLogger("app").info("Action Studio %s: %s", __version__, what)
    return path if current else None


def _open(root: logging.Logger, path: Path, current: list[_Handler]) -> list[_Handler]:
    """The root logger writes to `path` (and no longer to the folder of before); [] when it cannot."""
    for handler in current:
        root.removeHandler(handler)
        handler.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = _Handler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
    except OSError:
        return []
    handler.setFormatter(MaskingFormatter(FORMAT))
    root.addHandler(handler)
    level = logging.getLevelName(os.environ.get(LEVEL_ENV, "INFO").upper())
    root.setLevel(level if isinstance(level, int) else logging.INFO)
    for name in QUIET:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    return [handler]
