"""Running the async token call from synchronous code (a GUI worker thread, the CLI), cancellably."""
from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Any, Coroutine, Optional, TypeVar

from app.auth.errors import AuthCancelled

T = TypeVar("T")
POLL_S = 0.05  # how soon a set cancel event is noticed


def run_sync(coro: Coroutine[Any, Any, T], cancel: Optional[threading.Event] = None) -> T:
    """Run `coro` on an event loop of its own (not from inside a running loop). When `cancel` is
    set before it ends, it is cancelled (its connections closed) and AuthCancelled raised."""
    return asyncio.run(_watched(coro, cancel))


async def _watched(coro: Coroutine[Any, Any, T], cancel: Optional[threading.Event]) -> T:
    if cancel is None:
        return await coro
    task = asyncio.ensure_future(coro)
    while not task.done():
        if cancel.is_set():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            raise AuthCancelled("cancelled: the token call was stopped before the token endpoint answered")
        await asyncio.wait({task}, timeout=POLL_S)
    return task.result()
