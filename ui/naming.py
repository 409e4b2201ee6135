"""Object names for the inner parts of reusable widgets, derived from their owner's name.

A window holds several JSON editors, payload tabs and result views: a fixed name on their inner
parts ("the error line") would give the window one widget per copy under that name, and
`findChild(name)` would find a hidden copy. Parts are named after their owner (`requestPayloadEdit`
-> `requestPayloadEditError`), and stay unnamed while the owner is.
"""
from __future__ import annotations

from PySide6.QtWidgets import QWidget


def name_parts(owner: QWidget, parts: dict[str, QWidget]) -> None:
    """Name each part `<owner's name><suffix>`, now and whenever the owner is (re)named."""
    def rename(name: str) -> None:
        for suffix, part in parts.items():
            part.setObjectName(f"{name}{suffix}" if name else "")

    rename(owner.objectName())
    owner.objectNameChanged.connect(rename)
