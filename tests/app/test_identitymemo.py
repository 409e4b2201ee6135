"""IdentityMemo: a value per object by identity, never for an equal other object."""
from __future__ import annotations

from app.identitymemo import IdentityMemo


def test_found_by_identity_not_by_equality():
    memo: IdentityMemo[str] = IdentityMemo()
    headers = [("A", "1")]
    assert memo.put(headers, "A: 1") == "A: 1"
    assert memo.get(headers) == "A: 1"
    assert memo.get([("A", "1")]) is None  # equal, another list: may be changed apart, never trusted


def test_past_its_size_it_starts_over_and_clear_forgets():
    memo: IdentityMemo[int] = IdentityMemo(size=2)
    kept = [[i] for i in range(4)]
    for i, obj in enumerate(kept):
        memo.put(obj, i)
    assert memo.get(kept[3]) == 3 and memo.get(kept[0]) is None
    memo.clear()
    assert memo.get(kept[3]) is None
