"""Letting go of a replaced payload tree off the UI thread, a field at a time.

A 1 MB example makes a tree of 20,000 fields; dropping the last reference to one frees it all in a
single C-level cascade (20-30 ms) that holds the GIL wherever it runs. When a re-inferred tree
replaces the shown one (issue 14: UI stalls), the old tree goes to a daemon thread that holds each
field, drops the root and then the fields in pre-order: each release frees one field's own objects
(its children are still held), and the thread yields the GIL between them. A tree still used
elsewhere (an undo step's snapshot) is not freed: only this module's references go.
"""
from __future__ import annotations

import queue
import sys
import threading
import time
from typing import Any, Optional

_queue: "queue.Queue[Any]" = queue.Queue()
_lock = threading.Lock()
_thread: Optional[threading.Thread] = None
WAIT_S = 0.5  # how long a tree may stay referenced by its caller
# The UI thread repaints the new tree right after handing the old one over (~20 ms of Python calls
# from Qt, each taking the GIL): releasing meanwhile made that paint wait for the GIL, the longest
# stall of a re-infer (issue 14). The reaper lets the paint go first.
SETTLE_S = 0.15
_pause = time.sleep  # the settling wait (tests replace it)


def retire(payload: Any) -> None:
    """Hand a tree over (its caller then drops its own reference); None is ignored."""
    global _thread
    if payload is None:
        return
    with _lock:
        if _thread is None:
            _thread = threading.Thread(target=_reap, name="payload-retire", daemon=True)
            _thread.start()
    _queue.put(payload)


def wait_idle() -> None:
    """Return once every tree handed over has been let go (tests)."""
    _queue.join()


def _reap() -> None:
    while True:
        _release(_queue.get())
        _queue.task_done()


def _release(tree: Any) -> None:
    # The caller drops its own reference just after handing the tree over (when its slot returns);
    # until then releasing here would free nothing and leave the cascade to the UI thread. A tree
    # still referenced after a moment is in use elsewhere: only this thread's references go.
    deadline = time.monotonic() + WAIT_S
    while sys.getrefcount(tree) > 2 and time.monotonic() < deadline:  # 2: `tree` and the argument
        time.sleep(0.005)
    _pause(SETTLE_S)
    fields = _pre_order(tree)
    del tree  # the root and its example text go first; the fields are held by `fields`
    fields.reverse()  # pop() from the end: parents before their children
    while fields:
        fields.pop()


def _pre_order(payload: Any) -> list[Any]:
    """The fields only this tree holds, parents first. A field another tree holds too (a re-infer
    patched from this one shares every field that did not change: patch.py) is left out with its
    subtree: releasing it frees nothing, and walking 20,000 of them held the GIL ~7 ms."""
    out: list[Any] = []
    stack = list(reversed(payload.fields))
    while stack:
        field = stack.pop()
        if sys.getrefcount(field) > _HELD_HERE:
            continue
        out.append(field)
        stack.extend(reversed(field.children))
    return out


# The references to a field only this tree holds, when `_pre_order` looks: its parent's list, the
# local name and getrefcount's argument. More means another holder (a wrong guess costs no
# correctness: a field left out is freed with its parent, a field walked is only released).
_HELD_HERE = 3
