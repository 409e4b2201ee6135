"""Background work off the GUI thread: a QThreadPool of QRunnables whose results come back by signal.

A worker never touches a widget: it gets plain arguments, returns a plain value, and the callbacks
run on the GUI thread (queued through a relay QObject that lives there).
"""
from __future__ import annotations

import threading
import traceback
from typing import Any, Callable, Optional

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot

_pool: Optional[QThreadPool] = None
_live: set["_Relay"] = set()  # relays waiting for their result (kept alive until delivered)


def pool() -> QThreadPool:
    """The pool used for the app's background work (separate from Qt's global one)."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(4)
    return _pool


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Relay(QObject):
    """Lives on the GUI thread; receives the worker's result (queued) and calls back."""

    def __init__(self, on_done: Optional[Callable[[Any], None]], on_error: Optional[Callable[[BaseException], None]],
                 owner: Optional[QObject] = None) -> None:
        super().__init__()
        self._on_done, self._on_error = on_done, on_error
        self._owner = owner
        self.finished = threading.Event()  # set by the task once it no longer touches its emitter

    def _owner_alive(self) -> bool:
        """The owner still exists and neither it nor a parent of it (the window) has closed down."""
        if self._owner is None:
            return True
        import shiboken6

        if not shiboken6.isValid(self._owner):
            return False
        obj: Optional[QObject] = self._owner
        while obj is not None:
            if getattr(obj, "_closed_down", False):
                return False
            obj = obj.parent()
        return True

    @Slot(object)
    def deliver(self, result: Any) -> None:
        _release(self)
        if self._on_done is not None and self._owner_alive() and _alive(self._on_done):
            self._on_done(result)

    @Slot(object)
    def fail(self, exc: BaseException) -> None:
        _release(self)
        if not self._owner_alive():
            return
        if self._on_error is not None:
            if _alive(self._on_error):
                self._on_error(exc)
        else:
            from ui import message

            message.error(f"{type(exc).__name__}: {exc}")


def _release(relay: "_Relay") -> None:
    """Let a relay (and its child emitter) go once its slot has returned and its task is done.

    Dropping the last reference inside the relay's own queued slot destroys the QObject in the
    middle of PySide's qt_metacall, which then reads freed memory; and the emitter must not be
    deleted while the worker thread is still inside emit(). Both were random segfaults in the GUI
    tests under load. So the relay goes on a later turn of the GUI loop, after the task said it has
    finished, and always on the GUI thread (the emitter is its child: a worker dropping its Python
    reference never deletes the C++ object)."""
    if relay.finished.is_set():
        QTimer.singleShot(0, lambda: _live.discard(relay))
    else:
        QTimer.singleShot(5, lambda: _release(relay))


def _alive(callback: Callable[..., Any]) -> bool:
    """False when the callback is a method of a QObject whose C++ side is gone (window closed)."""
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, QObject):
        import shiboken6

        return shiboken6.isValid(owner)
    return True


class _Task(QRunnable):
    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], signals: _Signals,
                 finished: threading.Event) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn, self._args, self._signals, self._finished = fn, args, signals, finished

    def run(self) -> None:
        signals, self._signals = self._signals, None
        try:
            try:
                result = self._fn(*self._args)
            except BaseException as exc:  # noqa: BLE001 - every failure is reported to the GUI thread
                exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
                signals.failed.emit(exc)
            else:
                signals.done.emit(result)
        finally:
            del signals
            self._finished.set()


def run_in_background(fn: Callable[..., Any], *args: Any,
                      on_done: Optional[Callable[[Any], None]] = None,
                      on_error: Optional[Callable[[BaseException], None]] = None,
                      owner: Optional[QObject] = None) -> None:
    """Run fn(*args) on the pool; on_done(result) or on_error(exc) later run on the GUI thread.

    With `owner`, nothing is called back once that object is deleted or it (or a parent of it) is
    marked `_closed_down` (a window closed while its work, or its parts' work, was still running).
    """
    relay = _Relay(on_done, on_error, owner)
    signals = _Signals(relay)  # a child: deleted with the relay, on the GUI thread
    signals.done.connect(relay.deliver, Qt.ConnectionType.QueuedConnection)
    signals.failed.connect(relay.fail, Qt.ConnectionType.QueuedConnection)
    _live.add(relay)
    pool().start(_Task(fn, args, signals, relay.finished))


def busy() -> bool:
    """Whether some background work has not delivered its result yet."""
    return bool(_live)


def wait_idle(timeout_ms: int = 30000) -> bool:
    """Block until the pool is empty (used at shutdown, never during normal work)."""
    return pool().waitForDone(timeout_ms)
