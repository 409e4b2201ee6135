"""A replaced payload tree is let go off the UI thread without touching a tree still in use, and the
tab's re-inference keeps the user's settings as before (the tree it merged from is told by revision)."""
from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

from ui.payload import retire
from ui.payload.infer import example_to_payload
from ui.payload.model import FieldTreeModel

EXAMPLE = '{"a": 1, "b": {"c": [{"d": "x", "e": {"f": null}}]}, "g": [1, 2]}'


def test_a_retired_tree_still_used_elsewhere_is_left_whole(monkeypatch) -> None:
    monkeypatch.setattr(retire, "WAIT_S", 0.05)  # how long the reaper waits before it judges a tree kept
    kept = example_to_payload(EXAMPLE, "request")
    assert kept is not None
    before = kept.model_dump()
    retire.retire(kept)  # an undo step still holds it: only the reaper's references may go
    retire.retire(example_to_payload(EXAMPLE, "request"))  # nobody else holds this one
    retire.retire(None)
    retire.wait_idle()
    assert kept.model_dump() == before


def test_the_reaper_releases_fields_off_the_calling_thread() -> None:
    seen: list[str] = []

    class Probe:
        def __init__(self, children: list[Any]) -> None:
            self.children = children

        def __del__(self) -> None:
            seen.append(threading.current_thread().name)

    class Tree:
        def __init__(self) -> None:
            self.fields = [Probe([Probe([])]), Probe([])]

    tree = Tree()
    retire.retire(tree)
    del tree  # as the tab's slot returns: the reaper holds the last reference
    retire.wait_idle()
    assert seen == ["payload-retire"] * 3


def test_a_replaced_tree_is_freed_without_a_garbage_collection(qtbot) -> None:
    model = FieldTreeModel()
    payload = example_to_payload(EXAMPLE, "request")
    assert payload is not None
    leaf = weakref.ref(payload.fields[1].children[0].children[1].children[0])
    gc.disable()  # only reference counting may free it: a collection would stall every thread
    try:
        model.set_payload(payload)
        assert model.index_of_path("b.c.e.f").isValid()  # as a view would: nodes down to a leaf
        del payload
        model.set_payload(example_to_payload(EXAMPLE, "request"))
        assert leaf() is None
    finally:
        gc.enable()


def test_the_reaper_lets_the_ui_repaint_before_it_releases(monkeypatch) -> None:
    freed: list[str] = []
    pauses: list[tuple[float, list[str]]] = []

    class Probe:
        children: list[Any] = []

        def __del__(self) -> None:
            freed.append("field")

    class Tree:
        def __init__(self) -> None:
            self.fields = [Probe()]

    monkeypatch.setattr(retire, "_pause", lambda seconds: pauses.append((seconds, list(freed))))
    tree = Tree()
    retire.retire(tree)
    del tree
    retire.wait_idle()
    assert pauses == [(retire.SETTLE_S, [])]  # the pause came first, with nothing freed yet
    assert freed == ["field"]


def test_fields_another_tree_shares_are_neither_walked_nor_freed() -> None:
    walked: list[str] = []

    class Probe:
        def __init__(self, name: str, children: list[Any]) -> None:
            self.name, self._children = name, children

        @property
        def children(self) -> list[Any]:
            walked.append(self.name)
            return self._children

    class Tree:
        def __init__(self, fields: list[Any]) -> None:
            self.fields = fields

    shared = Probe("shared", [Probe("below shared", [])])
    old = Tree([shared, Probe("changed", [Probe("below changed", [])])])
    new = Tree([shared, Probe("new", [])])  # a patched re-infer: what did not change is shared
    leaf = weakref.ref(old.fields[1].children[0])
    walked.clear()
    retire.retire(old)
    del old
    retire.wait_idle()
    assert walked == ["changed", "below changed"]  # the shared subtree is not walked (20,000 fields: ~7 ms)
    assert leaf() is None and new.fields[0].children[0].name == "below shared"
