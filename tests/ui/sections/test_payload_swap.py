"""A re-infer that keeps the tree's shape swaps the tree under the view (no reset: what is expanded
stays, only changed rows repaint), as does one that renames or retypes fields but keeps every row where
it was (patch.py); one that adds or removes rows resets it as before."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeView

from app.model.action import Action
from tests.ui.sections.test_payload_section import ORDER, section, type_into  # noqa: F401 - a fixture
from ui.payload import retire
from ui.payload.infer import changed_rows, example_to_payload, merge
from ui.payload.model import MODE, VALUE, PathRole


def _payload(doc: object):  # type: ignore[no-untyped-def]
    payload = example_to_payload(json.dumps(doc), "request")
    assert payload is not None
    return payload


def test_changed_rows_lists_what_shows_differently_and_refuses_another_shape() -> None:
    old = _payload({"a": 1, "b": {"c": [1, True], "d": 0.0}, "e": [{"f": "x"}]})
    same = _payload({"a": 1, "b": {"c": [1, True], "d": 0.0}, "e": [{"f": "x"}]})
    assert changed_rows(same, old) == []
    changed = changed_rows(_payload({"a": 2, "b": {"c": [True, 1], "d": -0.0}, "e": [{"f": "y"}]}), old)
    assert sorted(changed or []) == [(0,), (1, 0), (1, 1), (2, 0)]
    assert changed_rows(_payload({"a": 1, "b": {"c": [1], "d": 0.0}, "e": [{"f": "x"}], "g": 1}), old) is None
    assert changed_rows(_payload({"a": "1", "b": {"c": [1, True], "d": 0.0}, "e": [{"f": "x"}]}), old) is None
    assert changed_rows(_payload({"b": {"c": [1, True], "d": 0.0}, "a": 1, "e": [{"f": "x"}]}), old) is None
    assert changed_rows(_payload([{"a": 1, "b": {"c": [1, True], "d": 0.0}, "e": [{"f": "x"}]}]), old) is None
    relabelled = merge(_payload({"a": 1, "b": {"c": [1, True], "d": 0.0}, "e": [{"f": "x"}]}), old)
    relabelled.fields[0].label = "A"
    assert changed_rows(relabelled, old) == [(0,)]
    assert changed_rows(None, old) is None and changed_rows(same, None) is None


def test_a_reinfer_of_the_same_shape_keeps_the_view_and_shows_the_new_values(qtbot, qtmodeltester,
                                                                           section) -> None:  # noqa: F811
    type_into(qtbot, section, ORDER)
    tab = section.tabs["request"]
    model, view = tab.model, section.findChild(QTreeView, "payloadFieldsView")
    model.setData(model.index_of_path("orderId").siblingAtColumn(MODE), "variable")
    items = model.index_of_path("items")
    view.expand(items)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    before = model.payload()
    type_into(qtbot, section, ORDER.replace('"X"', '"Z"').replace("12.5", "13.5"))
    assert resets == [] and view.isExpanded(items)
    assert model.payload() is not before
    assert model.index_of_path("items[].sku").siblingAtColumn(VALUE).data() == "Z"
    assert model.index_of_path("total").siblingAtColumn(VALUE).data() == "13.5"
    assert model.index_of_path("orderId").siblingAtColumn(MODE).data() == "Variable"  # kept by the merge
    node = model.index_of_path("items[].sku").internalPointer()
    assert node.field is model.payload().fields[2].children[0]  # the rows show the new tree's fields
    request = section.apply_to(Action(name="x")).request
    assert request.find("items[].sku").value == "Z" and request.find("orderId").mode == "variable"
    qtmodeltester.check(model)  # indexes, parents and row counts still agree after the swap
    retire.wait_idle()


def test_a_reinfer_that_changes_the_shape_resets_the_tree(qtbot, section) -> None:  # noqa: F811
    type_into(qtbot, section, ORDER)
    model = section.tabs["request"].model
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    type_into(qtbot, section, json.dumps({"orderId": "A-1", "extra": 1}))
    assert resets == [True] and model.rowCount() == 2


@pytest.mark.parametrize("edit_first", [False, True])
def test_an_edit_in_the_tree_while_the_worker_ran_is_kept(qtbot, section, edit_first: bool) -> None:  # noqa: F811
    type_into(qtbot, section, ORDER)
    tab = section.tabs["request"]
    result = tab._infer(ORDER.replace('"X"', '"Z"'))  # as the worker does, before the edit below
    assert result.changes == [(2, 0)]
    if edit_first:
        assert tab.model.setData(tab.model.index_of_path("total").siblingAtColumn(MODE), "variable")
    tab._on_validated(result, ORDER.replace('"X"', '"Z"'))
    payload = tab.model.payload()
    assert payload is result.payload
    assert payload.find("items[].sku").value == "Z"
    assert payload.find("total").mode == ("variable" if edit_first else "constant")
    retire.wait_idle()


def test_a_reinfer_patches_the_tree_and_shares_what_did_not_change(qtbot, section) -> None:  # noqa: F811
    type_into(qtbot, section, ORDER)
    model = section.tabs["request"].model
    first = model.payload()
    type_into(qtbot, section, ORDER.replace('"X"', '"Z"'))
    patched = model.payload()
    assert patched.fields[3] is first.fields[3]  # customer: not inferred again (patch.py)
    assert patched.fields[2] is not first.fields[2] and patched.find("items[].sku").value == "Z"
    assert first.find("items[].sku").value == "X"  # the tree it came from is left as it was
    retire.wait_idle()


def test_a_loaded_tree_is_not_patched_against_its_example(qtbot, section) -> None:  # noqa: F811
    stored = _payload({"a": 1, "b": "x"})
    stored.fields[0].value = 5  # a stored constant the example does not show
    section.set_action(Action(name="x", request=stored))
    type_into(qtbot, section, json.dumps({"a": 1, "b": "y"}))
    assert section.tabs["request"].model.payload().find("a").value == 1  # re-inferred from the example, as before


def test_an_edit_while_the_worker_patched_leaves_a_held_tree_alone(qtbot, section) -> None:  # noqa: F811
    type_into(qtbot, section, ORDER)
    type_into(qtbot, section, ORDER.replace('"X"', '"Z"'))
    tab = section.tabs["request"]
    held = tab.payload()  # as an undo step holds it
    text = ORDER.replace('"X"', '"W"')
    result = tab._infer(text)  # as the worker does, before the edit below
    assert result.patched and result.payload.fields[3] is held.fields[3]
    assert tab.model.setData(tab.model.index_of_path("customer.email").siblingAtColumn(MODE), "variable")
    tab._on_validated(result, text)
    assert held.find("customer.email").mode == "constant"
    shown = tab.model.payload()
    assert shown is result.payload
    assert shown.find("customer.email").mode == "variable" and shown.find("items[].sku").value == "W"
    retire.wait_idle()


def test_a_loaded_tree_that_is_its_examples_is_patched_from_the_first_edit(qtbot, section) -> None:  # noqa: F811
    stored = _payload(json.loads(ORDER))
    stored.fields[0].mode = "variable"  # settings are the tree's own: they do not stop the patch
    section.set_action(Action(name="x", request=stored))
    type_into(qtbot, section, ORDER.replace('"X"', '"Z"'))
    shown = section.tabs["request"].model.payload()
    assert shown.fields[3] is stored.fields[3] and shown.find("items[].sku").value == "Z"
    assert shown.find("orderId").mode == "variable"
    retire.wait_idle()


def test_a_renamed_key_keeps_the_view_and_shows_the_new_names(qtbot, qtmodeltester, section) -> None:  # noqa: F811
    type_into(qtbot, section, ORDER)
    type_into(qtbot, section, ORDER.replace('"X"', '"Z"'))  # the tab now patches against its document
    tab = section.tabs["request"]
    model, view = tab.model, section.findChild(QTreeView, "payloadFieldsView")
    model.setData(model.index_of_path("customer").siblingAtColumn(MODE), "variable")
    customer = model.index_of_path("customer")
    view.expand(customer)
    email = model.index_of_path("customer.email")
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    type_into(qtbot, section, ORDER.replace('"X"', '"Z"').replace('"customer"', '"buyer"'))
    assert resets == [] and view.isExpanded(customer)  # swapped: every row is where it was
    assert customer.data() == "buyer" and customer.siblingAtColumn(MODE).data() == "Constant"  # a new field
    assert email.data(PathRole) == "buyer.email" and email.siblingAtColumn(MODE).data() == "Constant"
    assert model.flags(email.siblingAtColumn(MODE)) & Qt.ItemFlag.ItemIsEditable  # no longer under a Variable
    assert tab._status.text() == "8 fields · 0 variable"
    qtmodeltester.check(model)
    retire.wait_idle()
