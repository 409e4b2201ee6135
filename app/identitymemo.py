"""Values made once per object, found again by the object's identity.

The call engine hands every call of a batch or run the same header lists (the masked request
headers, a sender's shared response headers): their text and masked forms are made once per list
and found by `id()`. The list itself is held beside its value, so its id is not reused while the
entry lives; past `size` entries all are forgotten at once (lists come and go with runs).

A hot path (once per call of a run) may read the table inline, sparing the method call:

    hit = memo.found.get(id(obj))
    value = hit[1] if hit is not None and hit[0] is obj else make(obj)   # make() ends with memo.put(obj, ...)
"""
from __future__ import annotations

from typing import Generic, Optional, TypeVar

T = TypeVar("T")


class IdentityMemo(Generic[T]):
    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.found: dict[int, tuple[object, T]] = {}  # id(obj) -> (obj, value): read it as `get` does

    def get(self, obj: object) -> Optional[T]:
        found = self.found.get(id(obj))
        return found[1] if found is not None and found[0] is obj else None

    def put(self, obj: object, value: T) -> T:
        if len(self.found) > self.size:
            self.found.clear()
        self.found[id(obj)] = (obj, value)
        return value

    def clear(self) -> None:
        self.found.clear()
