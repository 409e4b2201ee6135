"""Work-arounds for bugs in the Qt binding, installed once on import.

PySide6 6.12.0 on Python < 3.12: `SignalInstance.emit()` returns `True` without a new reference,
so every `.emit(...)` called from Python takes one reference from the `True` singleton; after a
few hundred emits the interpreter aborts with "bool_dealloc: deallocating True or False" (seen
as random segfaults in tests and in `ui.workers`). Python 3.12+ makes `True` immortal, which
hides the bug. The fix is applied only when a probe shows the leak, so a fixed binding or a newer
Python is left untouched.
"""
from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBES = 4


class _Probe(QObject):
    fired = Signal()


def _emit_loses_references() -> dict[bool, int]:
    """How many references to True and to False the probe's emits lost (0 on a sound binding)."""
    probe = _Probe()
    before = {flag: sys.getrefcount(flag) for flag in (True, False)}
    for _ in range(_PROBES):
        probe.fired.emit()
    return {flag: before[flag] - sys.getrefcount(flag) for flag in (True, False)}


def install_emit_refcount_fix() -> bool:
    """Patch SignalInstance.emit when it leaks; True when the patch is (now or already) in place."""
    if getattr(SignalInstance.emit, "_refcount_fixed", False):
        return True
    lost = _emit_loses_references()
    if max(lost.values()) <= 0:
        return False
    for flag, count in lost.items():  # give back what the probe took
        for _ in range(max(0, count)):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(flag))
    original = SignalInstance.emit

    def emit(self: SignalInstance, *args: object) -> object:
        result = original(self, *args)
        if result is True or result is False:
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))  # the reference emit() should have added
        return result

    emit._refcount_fixed = True  # type: ignore[attr-defined]
    SignalInstance.emit = emit  # type: ignore[method-assign]
    return True


install_emit_refcount_fix()
