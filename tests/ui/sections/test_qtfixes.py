"""PySide6 6.12 `emit()` must not eat references to True (it crashed the interpreter at random)."""
from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

import ui.qtfixes  # noqa: F401


class _Emitter(QObject):
    fired = Signal(object)


def test_emit_keeps_the_true_singleton_alive():
    emitter = _Emitter()
    emitter.fired.connect(lambda _: None)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for i in range(2000):
        emitter.fired.emit(i)
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before
