"""Why a workspace operation was refused: each error's message says what, where and why."""
from __future__ import annotations


class StoreError(Exception):
    """A workspace operation was refused; the message says what and why."""


class ConflictError(StoreError):
    """Someone else (another window, the command line) got there first.

    kind: "changed" (the file is not what was loaded), "deleted" (it is gone), "exists" (the name
    is taken by another action).
    """

    KINDS = ("changed", "deleted", "exists")

    def __init__(self, name: str, kind: str, message: str = "") -> None:
        assert kind in self.KINDS, kind
        self.name, self.kind = name, kind
        super().__init__(message or _MESSAGES[kind].format(name=name))


_MESSAGES = {
    "changed": "{name!r} was changed on disk by someone else since it was opened; reload it, then redo the edit",
    "deleted": "{name!r} was deleted on disk by someone else since it was opened",
    "exists": "an action named {name!r} already exists; names must be unique",
}


class InUseError(StoreError):
    """An action still called by journeys cannot be deleted."""

    def __init__(self, name: str, journeys: list[str]) -> None:
        self.name, self.journeys = name, list(journeys)
        super().__init__(f"{name} is used in {', '.join(journeys)}; remove it from those journeys first")


class BusyError(StoreError):
    """Another process held the workspace lock for longer than the timeout."""


class BrokenFileError(StoreError):
    """A workspace file (environments.json, settings.json...) cannot be used; it is left in place."""

    def __init__(self, path: str, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__(f"{path}: {reason}; the file was left as it is: fix it, or move it away to start afresh")
