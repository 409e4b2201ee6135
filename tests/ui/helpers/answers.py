"""Replace the modal questions in ui.ask with scripted answers, and record what was asked."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import pytest


class Answers:
    """Scripted answers; every question asked is appended to `asked` as (function, text)."""

    def __init__(self) -> None:
        self.save_discard_cancel = "discard"
        self.save_conflict = "cancel"  # 'mine', 'theirs' or 'cancel' when a save finds the file changed
        self.conflicts: list[Any] = []  # the ui.conflict.Conflict of each save conflict asked about
        self.confirm = True
        self.open_file: Optional[Path] = None
        self.save_file: Optional[Path] = None
        self.dialog: Any = None  # a callable(dialog) -> int driving ask.show_dialog, or None: reject
        self.asked: list[tuple[str, str]] = []
        self.shown: list[Any] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> "Answers":
        from ui import ask

        def sdc(parent: Any, name: str) -> str:
            self.asked.append(("save_discard_cancel", name))
            return self.save_discard_cancel

        def save_conflict(parent: Any, conflict: Any) -> str:
            self.asked.append(("save_conflict", conflict.question()))
            self.conflicts.append(conflict)
            return self.save_conflict

        def confirm(parent: Any, title: str, text: str, ok: str = "OK", detail: str = "") -> bool:
            self.asked.append(("confirm", text))
            return self.confirm

        def open_file(parent: Any, title: str, filter: str = "") -> Optional[Path]:
            self.asked.append(("open_file", title))
            return self.open_file

        def save_file(parent: Any, title: str, suggested: str, filter: str = "") -> Optional[Path]:
            self.asked.append(("save_file", suggested))
            return self.save_file

        def inform(parent: Any, title: str, text: str, detail: str = "") -> None:
            self.asked.append(("inform", f"{text}\n{detail}"))

        def show_dialog(dialog: Any) -> int:
            self.shown.append(dialog)
            self.asked.append(("show_dialog", dialog.objectName()))
            return self.dialog(dialog) if self.dialog else 0

        for name, fn in (("save_discard_cancel", sdc), ("save_conflict", save_conflict), ("confirm", confirm), ("open_file", open_file),
                         ("save_file", save_file), ("inform", inform), ("show_dialog", show_dialog)):
            monkeypatch.setattr(ask, name, fn)
        return self
