"""The payloads section driven as a user: paste, see the error, fix it, toggle fields, lock, GET."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QTreeView

from app.model.action import Action
from app.model.endpoint import Endpoint
from app.model.payload import infer_payload
from tests.ui.sections.conftest import SEED_REQUEST
from tests.ui.tabwalk import framed, tab_stops
from ui.payload.model import MODE, OPTIONAL, VALUE
from ui.payload.section import PayloadSection

FIXED = SEED_REQUEST.replace('"advertising.completes,', '"advertising.completes",')
ORDER = json.dumps({
    "orderId": "A-1",
    "total": 12.5,
    "items": [{"sku": "X", "qty": 2}, {"sku": "Y", "qty": 1}],
    "customer": {"email": "a@b.c", "vip": True},
}, indent=2)


@pytest.fixture
def section(qtbot, services, quick_checks):
    widget = PayloadSection(services)
    qtbot.addWidget(widget)
    widget.set_action(Action(name="writeJourneyEvent"))
    widget.resize(1000, 600)

    return widget


def type_into(qtbot, section: PayloadSection, text: str, which: str = "request") -> None:
    """Replace an example as the user would (paste), then wait for the debounced check."""
    tab = section.tabs[which]
    with qtbot.waitSignal(section.changed, timeout=5000):
        tab.replace_text(text)


def test_seed_payload_error_at_its_line_then_fixed_shows_tree(qtbot, section):
    editor = section.findChild(QPlainTextEdit, "requestPayloadEdit")
    editor.setFocus()
    type_into(qtbot, section, SEED_REQUEST)
    assert editor.error_line() == 16
    problems = section.problems()
    assert len(problems) == 1 and problems[0].startswith("request payload: line 16, column 3")
    assert "not closed" in problems[0]
    assert "line 16" in editor.message_text() and editor.toolTip()
    selections = editor.extraSelections()
    assert selections and all(s.cursor.block().blockNumber() == 15 for s in selections)
    view = section.findChild(QTreeView, "payloadFieldsView")
    assert view.model().rowCount() == 0  # nothing applied from invalid JSON

    type_into(qtbot, section, FIXED)
    assert section.problems() == []
    assert editor.error_line() is None and not editor.extraSelections()
    model = view.model()
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["xdmMeta", "xdmEntity"]
    stamp = model.index_of_path("xdmEntity.timestamp")
    assert stamp.siblingAtColumn(1).data() == "dateTime"
    assert stamp.siblingAtColumn(MODE).data() == "Constant"


def test_invalid_edit_keeps_last_tree(qtbot, section):
    type_into(qtbot, section, FIXED)
    type_into(qtbot, section, FIXED.replace('"self"', "self"))
    assert section.problems()[0].startswith("request payload: line 17")
    assert section.tabs["request"].model.rowCount() == 2
    action = section.apply_to(Action(name="x"))
    assert action.request is not None and action.request.find("xdmEntity.producedBy").value == "self"


def test_toggle_variable_label_optional(qtbot, qtmodeltester, section):
    type_into(qtbot, section, FIXED)
    model = section.tabs["request"].model
    qtmodeltester.check(model)
    node = model.index_of_path("xdmEntity.eventType")
    with qtbot.waitSignal(section.changed):
        assert model.setData(node.siblingAtColumn(MODE), "variable")
    assert node.siblingAtColumn(MODE).data() == "Variable"
    assert node.siblingAtColumn(VALUE).data() == "eventType"  # the label defaults to the name
    assert model.flags(node.siblingAtColumn(VALUE)) & Qt.ItemFlag.ItemIsEditable
    with qtbot.waitSignal(section.changed):
        assert model.setData(node.siblingAtColumn(VALUE), "Event type")
    with qtbot.waitSignal(section.changed):
        assert model.setData(node.siblingAtColumn(OPTIONAL), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    action = section.apply_to(Action(name="x"))
    field = action.request.find("xdmEntity.eventType")
    assert (field.mode, field.label, field.optional) == ("variable", "Event type", True)
    assert [p for p, _ in action.request.variables()] == ["xdmEntity.eventType"]
    qtmodeltester.check(model)


def test_constant_value_is_typed_and_checked(qtbot, section):
    type_into(qtbot, section, ORDER)
    model = section.tabs["request"].model
    total = model.index_of_path("total").siblingAtColumn(VALUE)
    assert total.data() == "12.5"
    with qtbot.waitSignal(model.editRefused) as refused:
        assert not model.setData(total, "lots")
    assert "decimal" in refused.args[0]
    assert model.setData(total, "20")
    assert section.apply_to(Action(name="x")).request.find("total").value == 20


def test_array_of_objects_carries_children(qtbot, section):
    type_into(qtbot, section, ORDER)
    view = section.findChild(QTreeView, "payloadFieldsView")
    model = view.model()
    items = model.index_of_path("items")
    view.expand(items)
    sku = model.index_of_path("items[].sku")
    assert items.siblingAtColumn(1).data() == "listObject"
    before = section.apply_to(Action(name="x")).request
    assert model.setData(items.siblingAtColumn(MODE), "variable")
    # Copy on write: what apply_to gave before the toggle did not change.
    assert {f.mode for p, f in before.walk() if p.startswith("items")} == {"constant"}
    after = section.apply_to(Action(name="x")).request
    assert {f.mode for p, f in after.walk() if p.startswith("items")} == {"variable"}
    assert sku.siblingAtColumn(MODE).data() == "Variable"
    assert model.index_of_path("items[].qty").siblingAtColumn(MODE).data() == "Variable"
    # Inside a Variable array the children follow the array: their mode is not editable alone.
    assert not model.flags(sku.siblingAtColumn(MODE)) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(items.siblingAtColumn(MODE), "constant")
    assert sku.siblingAtColumn(MODE).data() == "Constant"


def test_reinfer_keeps_modes_labels_optional(qtbot, section):
    type_into(qtbot, section, ORDER)
    model = section.tabs["request"].model
    model.setData(model.index_of_path("orderId").siblingAtColumn(MODE), "variable")
    model.setData(model.index_of_path("orderId").siblingAtColumn(VALUE), "Order number")
    model.setData(model.index_of_path("customer.email").siblingAtColumn(OPTIONAL), Qt.CheckState.Checked,
                  Qt.ItemDataRole.CheckStateRole)
    model.setData(model.index_of_path("total").siblingAtColumn(MODE), "variable")
    changed = json.loads(ORDER)
    changed["total"] = "twelve"  # type changes: its settings go
    changed["note"] = "new field"
    type_into(qtbot, section, json.dumps(changed, indent=2))
    model = section.tabs["request"].model
    order = model.index_of_path("orderId")
    assert order.siblingAtColumn(MODE).data() == "Variable"
    assert order.siblingAtColumn(VALUE).data() == "Order number"
    assert model.index_of_path("customer.email").siblingAtColumn(OPTIONAL).data(
        Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.index_of_path("total").siblingAtColumn(MODE).data() == "Constant"
    assert model.index_of_path("note").isValid()


def test_refused_field_name_at_its_line(qtbot, section):
    text = '{\n  "ok": 1,\n  "nested": {\n    "bad.name": 2\n  }\n}'
    type_into(qtbot, section, text)
    editor = section.tabs["request"].editor
    assert editor.error_line() == 4
    assert section.problems() == ["request payload: line 4, column 5: field name 'bad.name' contains '.', "
                                  "which the platform refuses"]
    type_into(qtbot, section, '{"$id": 1}')
    assert editor.error_line() == 1 and "'$'" in section.problems()[0]


def test_allow_null_and_round_trip(qtbot, services, quick_checks):
    action = Action(name="x", response=infer_payload(ORDER), allow_null=True)
    action.response.find("orderId").mode = "variable"
    section = PayloadSection(services)
    qtbot.addWidget(section)
    with qtbot.assertNotEmitted(section.changed, wait=150):  # 140 ms past the editors' 10 ms check
        section.set_action(action)
    assert section.allow_null.isChecked()
    assert section.findChild(QPlainTextEdit, "responsePayloadEdit") is None  # built when first shown
    section.tabs_widget.setCurrentIndex(1)
    assert section.findChild(QPlainTextEdit, "responsePayloadEdit").toPlainText() == ORDER
    assert section.tabs["response"].model.index_of_path("orderId").siblingAtColumn(MODE).data() == "Variable"
    with qtbot.waitSignal(section.changed):
        section.allow_null.click()
    out = section.apply_to(action)
    assert out.allow_null is False and out.response == action.response
    assert out.request is None and section.pending_secrets() == {}
    # The section edits its own copy: neither the loaded action nor a returned one changes later.
    model = section.tabs["response"].model
    assert model.setData(model.index_of_path("total").siblingAtColumn(MODE), "variable")
    assert action.response.find("total").mode == "constant" and out.response.find("total").mode == "constant"
    again = section.apply_to(action)
    assert again.response.find("total").mode == "variable"
    assert model.setData(model.index_of_path("total").siblingAtColumn(VALUE), "Total")
    assert again.response.find("total").label == "total"


def test_locked_makes_everything_read_only(qtbot, section):
    type_into(qtbot, section, ORDER)
    section.set_locked(True, "Used in 1 journey: duplicate the action to change its payloads.")
    banner = section.findChild(type(section._lock_banner), "payloadLockBanner")
    assert not banner.isHidden() and "Used in 1 journey" in banner.text()
    tab = section.tabs["request"]
    assert tab.editor.isReadOnly() and not section.allow_null.isEnabled()
    model = tab.model
    orders = model.index_of_path("orderId")
    for column in (MODE, VALUE, OPTIONAL):
        flags = model.flags(orders.siblingAtColumn(column))
        assert not flags & (Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable)
    assert not model.setData(orders.siblingAtColumn(MODE), "variable")
    tab.replace_text("{}")
    assert tab.editor.toPlainText() == ORDER
    section.set_locked(False, "")
    assert not tab.editor.isReadOnly() and model.setData(orders.siblingAtColumn(MODE), "variable")


def test_get_disables_request_with_reason(qtbot, section):
    type_into(qtbot, section, ORDER)
    section.set_method("GET")
    tab = section.tabs["request"]
    assert tab.editor.isReadOnly() and not tab.editor.isEnabled()
    assert "GET sends no body" in tab._reason.text() and not tab._reason.isHidden()
    type_into(qtbot, section, "{broken", which="response")
    assert section.problems() == [section.problems()[0]] and section.problems()[0].startswith("response payload")
    action = Action(name="x", endpoint=Endpoint(url="https://example.com/x", method="GET"))
    assert section.apply_to(action).request is None
    section.set_method("POST")
    assert not tab.editor.isReadOnly() and tab.editor.isEnabled()
    assert section.apply_to(Action(name="x")).request.find("orderId") is not None


def test_pretty_print_is_one_undo_step(qtbot, section):
    type_into(qtbot, section, '{"a": {"b": [1, 2]}}')
    editor = section.tabs["request"].editor
    editor.pretty_print()
    assert editor.toPlainText() == '{\n  "a": {\n    "b": [\n      1,\n      2\n    ]\n  }\n}\n'
    editor.undo()
    assert editor.toPlainText() == '{"a": {"b": [1, 2]}}'


def test_one_megabyte_example_builds_and_shows(qtbot, qtmodeltester, services):
    """20,000 fields: the tree builds and the view shows it (timings live in bench/bench_payload.py)."""
    from tests.ui.sections.bigpayload import make_example

    text = make_example()
    assert len(text.encode()) >= 1_000_000
    section = PayloadSection(services)
    qtbot.addWidget(section)
    with qtbot.waitSignal(section.changed, timeout=20_000):
        section.tabs["response"].replace_text(text)
    model = section.tabs["response"].model
    view = section.findChild(QTreeView, "responseFieldsView")
    assert model.rowCount() == 400
    view.expandToDepth(0)
    view.scrollToBottom()
    view.viewport().repaint()
    last = model.index(model.rowCount() - 1, 0)
    assert view.visualRect(last).isValid()
    payload = section.apply_to(Action(name="x")).response
    assert sum(1 for _ in payload.walk()) == 20_000


def test_mode_combo_delegate_edits_in_place(qtbot, section):
    from PySide6.QtWidgets import QComboBox

    type_into(qtbot, section, ORDER)
    view = section.findChild(QTreeView, "payloadFieldsView")
    model = view.model()
    cell = model.index_of_path("orderId").siblingAtColumn(MODE)
    view.setCurrentIndex(cell)
    view.edit(cell)
    combo = view.findChild(QComboBox)
    assert combo is not None and combo.currentData() == "constant"
    with qtbot.waitSignal(section.changed):
        combo.setCurrentIndex(combo.findData("variable"))
        combo.activated.emit(combo.currentIndex())
    assert cell.data() == "Variable"


def test_paste_example_button_uses_the_clipboard(qtbot, section):
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().setText(ORDER)
    with qtbot.waitSignal(section.changed, timeout=5000):
        section.tabs["response"]._paste.click()
    assert section.findChild(QTreeView, "responseFieldsView").model().rowCount() == 4


def test_pasted_nan_or_infinity_is_refused_at_its_line(qtbot, section):
    type_into(qtbot, section, ORDER)
    type_into(qtbot, section, ORDER.replace("12.5", "NaN"))
    assert section.problems() == ["request payload: line 3, column 12: NaN at total is not JSON "
                                  "(JSON has no NaN or Infinity): use a number or null"]
    assert section.tabs["request"].editor.error_line() == 3
    assert section.apply_to(Action(name="x")).request.find("total").value == 12.5  # the last valid tree stays
    total = section.tabs["request"].model.index_of_path("total").siblingAtColumn(VALUE)
    for typed in ("NaN", "Infinity", "1e999"):
        assert not section.tabs["request"].model.setData(total, typed)


def test_the_response_tabs_are_built_when_first_shown_in_their_place_of_the_tab_order(qtbot, services, quick_checks):
    """The response and error-response tabs are built when first shown (the section keeps their payloads
    meanwhile and gives them back as they are), and Tab goes through each between the tab bar and
    "Allow NULL values", as when every tab was built with the section."""
    host, before, section, after = framed(qtbot, lambda parent: PayloadSection(services, parent))
    action = Action(name="x", response=infer_payload(ORDER), error_response=infer_payload('{"error": "x"}'))
    section.set_action(action)
    assert section.findChild(QPlainTextEdit, "responsePayloadEdit") is None
    assert section.findChild(QPlainTextEdit, "errorResponsePayloadEdit") is None
    out = section.apply_to(Action(name="x"))
    assert out.response == action.response and out.error_response == action.error_response and not section.problems()

    buttons = ["QPushButton"] * 3  # Paste example, Pretty-print, Clear
    for index, editor, tree in ((2, "errorResponsePayloadEdit", "errorResponseFieldsView"),
                                (1, "responsePayloadEdit", "responseFieldsView"),
                                (0, "requestPayloadEdit", "payloadFieldsView")):
        section.tabs_widget.setCurrentIndex(index)
        assert tab_stops(qtbot, host, before, after) == ["before", "qt_tabwidget_tabbar", editor, tree, *buttons,
                                                          "allowNullCheck", "after"]
    assert section.findChild(QPlainTextEdit, "responsePayloadEdit").toPlainText() == ORDER
    assert section.apply_to(Action(name="x")).response == action.response
