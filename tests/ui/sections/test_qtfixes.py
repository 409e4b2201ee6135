"""ui/qtfixes.py: PySide6 6.12's `emit()` ate references to True (it crashed the interpreter at random).

Under the pinned binding the patch is not needed and must not be installed; should a leaking binding
come back (the pin lifted), the probe must see it and the patch must hold True's count steady.
The leak is reproduced by wrapping the binding's emit (the real bug lived there).
"""
from __future__ import annotations

import ctypes
import sys

import pytest
from PySide6.QtCore import QObject, Signal, SignalInstance

from ui import qtfixes


class _Emitter(QObject):
    fired = Signal(object)


def counts() -> tuple[int, int]:
    return sys.getrefcount(True), sys.getrefcount(False)


def test_the_pinned_binding_keeps_true_alive_without_the_patch() -> None:
    assert not getattr(SignalInstance.emit, "_refcount_fixed", False)  # not installed: not needed
    emitter = _Emitter()
    emitter.fired.connect(lambda _: None)
    before = counts()
    for i in range(2000):
        emitter.fired.emit(i)
    assert counts() == before


def test_a_leaking_emit_is_seen_and_patched(monkeypatch: pytest.MonkeyPatch) -> None:
    original = SignalInstance.emit

    def leaking(self: SignalInstance, *args: object) -> object:
        result = original(self, *args)
        if result is True or result is False:
            ctypes.pythonapi.Py_DecRef(ctypes.py_object(result))  # 6.12.0: returned without a reference
        return result

    monkeypatch.setattr(SignalInstance, "emit", leaking)
    emitter = _Emitter()
    emitter.fired.connect(lambda _: None)
    before = counts()
    try:
        assert qtfixes.install_emit_refcount_fix()
        assert getattr(SignalInstance.emit, "_refcount_fixed", False)
        for i in range(200):
            emitter.fired.emit(i)
        assert counts() == before  # the probe's losses given back, every emit's too
    finally:
        for flag, lost in zip((True, False), (b - a for a, b in zip(counts(), before))):
            for _ in range(max(0, lost)):  # never leave the interpreter short, whatever failed
                ctypes.pythonapi.Py_IncRef(ctypes.py_object(flag))
