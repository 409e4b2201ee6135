"""Editing a journey in the window: a mapping with a type error is refused with its position,
edits undo and redo through the window's stack, nodes are added and connected, the save is
written and reloads, and the actions' "used in" follows."""
from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from app.journeys.files import load_journey
from tests.ui.conftest import OFFSCREEN_NOISE
from tests.ui.journeys.test_window_journeys import open_sample
from ui import message
from ui.journeys.exprbox import ExprBox


def edit_tab(qtbot: Any, window: Any) -> Any:
    view = open_sample(qtbot, window)
    view.tabs.setCurrentWidget(view.editor)
    return view.editor


def mapping_box(editor: Any, node: str, key: str) -> ExprBox:
    editor.select_node(node)
    box = editor.form.findChild(ExprBox, f"journeyMapping_{key}")
    assert box is not None and box.isVisible()
    return box


def enter(qtbot: Any, box: ExprBox, text: str) -> None:
    box.setFocus()
    box.setText(text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def test_a_mapping_with_a_type_error_is_refused_with_its_position(qtbot: Any, window: Any) -> None:
    editor = edit_tab(qtbot, window)
    home = window.services.workspace.home
    before = (home / "journeys" / "sampleJourney.json").read_text()
    box = mapping_box(editor, "vipEvent", "body.value")
    assert box.text() == "@event{purchase.value}" and not box.problem.isVisible()
    enter(qtbot, box, 'upper("abc")')
    assert box.problem.isVisible() and "line 1, column 1" in box.problem.text() and "decimal" in box.problem.text()
    assert editor.data["nodes"][3]["mapping"]["body.value"] == "@event{purchase.value}"  # refused: not in the journey
    assert window.undo_stack.count() == 0 and not editor.dirty
    editor.save_button.click()
    problems = editor.findChild(QLabel, "journeyEditorProblems").text()
    assert problems.startswith("Not saved: vipEvent, mapping[body.value], line 1, column 1: ")
    assert (home / "journeys" / "sampleJourney.json").read_text() == before
    enter(qtbot, box, "@event{purchase.value} +")  # a syntax error: where, and what was expected
    assert "line 1, column 25" in box.problem.text() and "expected" in box.problem.text()


def test_an_edit_undoes_and_redoes_through_the_windows_stack_and_the_save_reloads(qtbot: Any, window: Any) -> None:
    editor = edit_tab(qtbot, window)
    home = window.services.workspace.home
    box = mapping_box(editor, "vipEvent", "body.value")
    enter(qtbot, box, "@event{purchase.value} * 2")
    assert not box.problem.isVisible() and editor.dirty and window.undo_stack.count() == 1
    assert editor.data["nodes"][3]["mapping"]["body.value"] == "@event{purchase.value} * 2"
    window.menus.undo_act.trigger()
    assert editor.data["nodes"][3]["mapping"]["body.value"] == "@event{purchase.value}" and not editor.dirty
    assert mapping_box(editor, "vipEvent", "body.value").text() == "@event{purchase.value}"
    window.menus.redo_act.trigger()
    assert mapping_box(editor, "vipEvent", "body.value").text() == "@event{purchase.value} * 2"
    # Add a wait after the condition (it takes the condition's first free path), lead it to the end.
    editor.select_node("checkValue")
    editor.kind.setCurrentText("wait")
    editor.add_button.click()
    assert editor.current_node() == "wait" and editor.data["nodes"][3]["id"] == "wait"
    assert window.journeys.view.diagram.nodes.keys() >= {"wait"}
    port = editor.form.findChild(QComboBox, "journeyPort_next")
    port.setCurrentText("done")
    port.activated.emit(port.currentIndex())
    assert ("wait", "next") in window.journeys.view.diagram.edges
    assert window.undo_stack.count() == 3
    with qtbot.waitSignal(editor.saved, timeout=10000):
        window.menus.save_act.trigger()  # Ctrl+S saves the journey shown
    saved = load_journey(home, "sampleJourney")
    assert saved.node("vipEvent").mapping["body.value"] == "@event{purchase.value} * 2"
    assert saved.node("checkValue").timeout_or_error == "wait" and saved.node("wait").next == "done"
    assert not editor.dirty and not list((home / "journeys").glob(".*"))  # atomic: no temporary left
    # Reopened from the list (the file read again), the edit is there.
    view = window.journeys.view
    with qtbot.waitSignal(view.opened, timeout=10000):
        view.open(view.path)
    assert "wait" in view.diagram.nodes and mapping_box(view.editor, "vipEvent", "body.value").text().endswith("* 2")


def test_an_action_node_added_and_saved_locks_its_action(qtbot: Any, window: Any) -> None:
    editor = edit_tab(qtbot, window)
    assert window.list.model.used_in("notifyWebhook") == []
    editor.select_node("vipEvent")
    editor.kind.setCurrentText("action")
    editor.add_button.click()
    choice = editor.form.findChild(QComboBox, "journeyActionChoice")
    choice.setCurrentText("notifyWebhook")
    choice.activated.emit(choice.currentIndex())
    assert editor.data["nodes"][4]["action"] == "notifyWebhook"
    # Its Variable fields, once the action is read, each with its expression box.
    qtbot.waitUntil(lambda: editor.form.findChild(ExprBox, "journeyMapping_customerId") is not None, timeout=10000)
    enter(qtbot, editor.form.findChild(ExprBox, "journeyMapping_customerId"), "@event{purchase.customerId}")
    with qtbot.waitSignal(editor.saved, timeout=10000):
        editor.save_button.click()
    qtbot.waitUntil(lambda: window.list.model.used_in("notifyWebhook") == ["sampleJourney"], timeout=10000)


# The completion popup on the offscreen platform: it cannot grab the keyboard nor raise itself.
POPUP_NOISE = (OFFSCREEN_NOISE, r"This plugin does not support grabbing the keyboard", r"This plugin does not support raise\(\)")


@pytest.mark.qt_log_ignore(*POPUP_NOISE)
def test_the_expression_box_completes_event_fields_upstream_responses_and_functions(qtbot: Any, window: Any) -> None:
    editor = edit_tab(qtbot, window)
    box = mapping_box(editor, "vipEvent", "body.transaction")
    box.setFocus()
    box.clear()
    qtbot.keyClicks(box, "concat(@event{purchase.tr")
    completer = box.completer_
    assert box.prefix() == "@event{purchase.tr" and completer.currentCompletion() == "@event{purchase.transaction}"
    box.insert_completion("@event{purchase.transaction}")
    assert box.text() == "concat(@event{purchase.transaction}"
    words = editor.words("vipEvent")()
    assert "@action{writeJourneyEvent.jo_status_code}" in words and "toString(" in words
    assert "@journey{journeyVersionUID}" in words


def test_closing_with_unsaved_journey_edits_asks(qtbot: Any, window: Any, answers: Any) -> None:
    editor = edit_tab(qtbot, window)
    enter(qtbot, mapping_box(editor, "vipEvent", "body.value"), "@event{purchase.value} * 3")
    answers.save_discard_cancel = "cancel"
    window.close()
    assert window.isVisible() and editor.dirty
    answers.save_discard_cancel = "save"
    with qtbot.waitSignal(editor.saved, timeout=10000):
        window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    assert load_journey(window.services.workspace.home, "sampleJourney").node("vipEvent").mapping["body.value"].endswith("* 3")


def rewrite(path: Any, **changes: Any) -> None:
    """Change the journey file as another program would: in place, not through the window."""
    data = json.loads(path.read_text("utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data, indent=2), "utf-8")


def test_an_unmodified_open_journey_reloads_when_its_file_changes(qtbot: Any, window: Any) -> None:
    editor = edit_tab(qtbot, window)
    view = window.journeys.view
    path = window.services.workspace.home / "journeys" / "sampleJourney.json"
    with qtbot.waitSignal(view.opened, timeout=10000):
        rewrite(path, description="Changed by the command line")
    assert "Changed by the command line" in view.title.text() and not editor.dirty
    assert editor.data["description"] == "Changed by the command line"


@pytest.mark.parametrize("choice", ["cancel", "theirs", "mine"])
def test_a_save_over_a_journey_changed_on_disk_asks_what_to_keep(qtbot: Any, window: Any, answers: Any,
                                                                 choice: str) -> None:
    editor = edit_tab(qtbot, window)
    view = window.journeys.view
    path = window.services.workspace.home / "journeys" / "sampleJourney.json"
    enter(qtbot, mapping_box(editor, "vipEvent", "body.value"), "@event{purchase.value} * 2")
    assert editor.dirty
    rewrite(path, description="Theirs")
    warning = ("warning", "sampleJourney.json was changed outside the window; saving will ask what to keep")
    qtbot.waitUntil(lambda: warning in message.bridge().history, timeout=10000)
    assert editor.dirty and "Theirs" not in view.title.text()  # unsaved edits: nothing is reloaded
    answers.save_conflict = choice
    if choice == "mine":
        with qtbot.waitSignal(editor.saved, timeout=10000):
            editor.save_button.click()
    elif choice == "theirs":
        with qtbot.waitSignal(view.opened, timeout=10000):
            editor.save_button.click()
    else:
        editor.save_button.click()
        qtbot.waitUntil(lambda: bool(answers.asked), timeout=10000)
    assert answers.asked[-1] == ("save_conflict", "“sampleJourney” was changed outside this window since you opened it.")
    on_disk = load_journey(window.services.workspace.home, "sampleJourney")
    if choice == "cancel":
        assert editor.dirty and editor.problems.text().startswith("Not saved: “sampleJourney” was changed outside")
        assert on_disk.description == "Theirs" and on_disk.node("vipEvent").mapping["body.value"] == "@event{purchase.value}"
    elif choice == "theirs":
        assert not editor.dirty and "Theirs" in view.title.text()
        assert editor.data["nodes"][3]["mapping"]["body.value"] == "@event{purchase.value}"
        assert on_disk.description == "Theirs"
    else:
        assert not editor.dirty and on_disk.node("vipEvent").mapping["body.value"] == "@event{purchase.value} * 2"
        assert on_disk.description != "Theirs"
        # The next save checks against what this one wrote: no question asked.
        enter(qtbot, mapping_box(editor, "vipEvent", "body.value"), "@event{purchase.value} * 3")
        asked = len(answers.asked)
        with qtbot.waitSignal(editor.saved, timeout=10000):
            editor.save_button.click()
        assert len(answers.asked) == asked


def click_named(qtbot: Any, editor: Any, name: str) -> None:
    button = editor.form.findChild(QWidget, name)
    assert button is not None and button.isVisible() and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_condition_paths_are_added_and_removed_with_undo(qtbot: Any, window: Any) -> None:
    editor = edit_tab(qtbot, window)
    diagram = window.journeys.view.diagram
    editor.select_node("checkValue")
    assert not editor.form.findChild(QWidget, "journeyRemovePath_0").isEnabled()  # the only path stays
    click_named(qtbot, editor, "journeyAddPath")
    paths = lambda: editor.data["nodes"][2]["paths"]  # noqa: E731
    assert len(paths()) == 2 and editor.form.findChild(QComboBox, "journeyPort_paths[1]") is not None
    enter(qtbot, editor.form.findChild(ExprBox, "journeyPath_1"), "@event{purchase.value} > 50")
    label = editor.form.findChild(QLineEdit, "journeyPathLabel_1")
    label.setText("Good (over 50)")
    qtbot.keyClick(label, Qt.Key.Key_Return)
    port = editor.form.findChild(QComboBox, "journeyPort_paths[1]")
    port.setCurrentText("done")
    port.activated.emit(port.currentIndex())
    assert paths()[1] == {"label": "Good (over 50)", "expression": "@event{purchase.value} > 50", "next": "done"}
    assert ("checkValue", "paths[1]") in diagram.edges
    click_named(qtbot, editor, "journeyRemovePath_0")  # the VIP path goes; the new one moves up
    assert paths() == [{"label": "Good (over 50)", "expression": "@event{purchase.value} > 50", "next": "done"}]
    assert ("checkValue", "paths[1]") not in diagram.edges and window.undo_stack.count() == 5
    window.menus.undo_act.trigger()
    assert [p["label"] for p in paths()] == ["VIP (over 100)", "Good (over 50)"]
    for _ in range(4):
        window.menus.undo_act.trigger()
    assert not editor.dirty and len(paths()) == 1


def test_split_branches_are_added_and_removed_and_always_add_up_to_100(qtbot: Any, window: Any) -> None:
    editor = edit_tab(qtbot, window)
    editor.select_node("purchase")
    editor.kind.setCurrentText("split")
    editor.add_button.click()
    split = editor.current_node()
    branches = lambda: [b["percent"] for b in editor.data["nodes"][1]["branches"]]  # noqa: E731
    assert branches() == [50, 50] and not editor.form.findChild(QWidget, "journeyRemoveBranch_0").isEnabled()
    click_named(qtbot, editor, "journeyAddBranch")
    assert branches() == [25, 50, 25]
    spin = editor.form.findChild(QSpinBox, "journeyBranchPercent_0")
    spin.setValue(70)
    spin.editingFinished.emit()
    assert branches() == [70, 30, 0]
    assert editor.form.findChild(QSpinBox, "journeyBranchPercent_1").value() == 30  # the form follows
    click_named(qtbot, editor, "journeyRemoveBranch_1")
    assert branches() == [100, 0] and editor.current_node() == split
    assert not editor.form.findChild(QWidget, "journeyRemoveBranch_0").isEnabled()
    assert editor.refusals() == [] and not editor.problems.text()
    window.menus.undo_act.trigger()
    assert branches() == [70, 30, 0]
    window.menus.redo_act.trigger()
    assert branches() == [100, 0]


def test_the_journeys_properties_are_edited_checked_by_field_undone_and_saved(qtbot: Any, window: Any) -> None:
    editor = edit_tab(qtbot, window)
    home = window.services.workspace.home
    editor.show_properties()
    form = editor.form
    assert form.objectName() == "journeyPropertiesForm" and form.name.text() == "sampleJourney"
    assert form.timeout.value() == 30 and form.zone.currentText() == "UTC" and form.reentrance.isChecked()
    form.timeout.setValue(12)
    form.timeout.editingFinished.emit()
    assert editor.data["timeoutSeconds"] == 12 and window.undo_stack.count() == 1
    form.zone.setCurrentText("Mars/Base")
    form.zone.lineEdit().editingFinished.emit()
    assert form.problem.isVisible() and form.problem.text().startswith("timeZone: unknown time zone 'Mars/Base'")
    assert editor.data["timeZone"] == "UTC" and window.undo_stack.count() == 1  # refused: not applied
    editor.save_button.click()
    assert editor.problems.text().startswith("Not saved: timeZone: unknown time zone 'Mars/Base'")
    form.zone.setCurrentText("Europe/Paris")
    form.zone.lineEdit().editingFinished.emit()
    assert editor.data["timeZone"] == "Europe/Paris" and not form.problem.isVisible()
    form.reentrance.setChecked(False)
    assert editor.data["reentrance"]["allowed"] is False and not form.wait_period.isEnabled()
    capping = form.findChild(QPlainTextEdit, "journeyPropCapping")
    capping.setPlainText('[{"url": "https://x/*", "methods": ["POST"], "services": {"action": {"rating": '
                         '{"maxCallsCount": 1, "periodInMs": 1000}}}}]')
    click_named(qtbot, editor, "journeyPropCappingApply")
    assert form.problem.text() == "capping[0].services.action.rating.maxCallsCount: Input should be greater than 1"
    capping.setPlainText('{"url": "https://x/*", "methods": ["POST"], "services": {"action": {"rating": ')
    click_named(qtbot, editor, "journeyPropCappingApply")
    assert form.problem.text().startswith("capping: not valid JSON: line 1, column ")
    capping.setPlainText('{"url": "https://x/*", "methods": ["POST"], "services": {"action": {"rating": '
                         '{"maxCallsCount": 500, "periodInMs": 1000}}}}')  # one deployed object pastes as is
    click_named(qtbot, editor, "journeyPropCappingApply")
    assert editor.data["capping"][0]["services"]["action"]["rating"]["maxCallsCount"] == 500
    form = editor.form
    form.name.setText("bad/name")
    form.name.editingFinished.emit()
    assert form.problem.text().startswith("name: the journey name 'bad/name' is not allowed")
    form.name.setText("purchaseJourney")
    form.name.editingFinished.emit()
    window.menus.undo_act.trigger()  # the name
    assert editor.data["name"] == "sampleJourney" and editor.form.name.text() == "sampleJourney"
    window.menus.redo_act.trigger()
    with qtbot.waitSignal(editor.saved, timeout=10000):
        editor.save_button.click()
    saved = load_journey(home, "purchaseJourney")
    assert (saved.timeout_seconds, saved.time_zone, saved.reentrance.allowed) == (12, "Europe/Paris", False)
    assert saved.capping[0].services.action.rating.max_calls_count == 500
    assert not (home / "journeys" / "sampleJourney.json").exists()


def test_a_journey_is_drawn_once_when_opened_and_a_forms_boxes_share_one_validation(qtbot: Any, window: Any,
                                                                                    monkeypatch: Any) -> None:
    """Opening drew the diagram twice (the file's journey, then the editor's same data), and a node form
    validated the whole journey once per expression box when built."""
    import app.journeys.validate as validation
    import ui.journeys.editor as editor_module
    from ui.journeys.diagram import JourneyDiagram

    calls = {"draw": 0, "validate": 0}
    validate, draw = validation.validate, JourneyDiagram.set_journey

    def counted_validate(*args: Any, **kwargs: Any) -> Any:
        calls["validate"] += 1
        return validate(*args, **kwargs)

    def counted_draw(self: Any, *args: Any, **kwargs: Any) -> None:
        calls["draw"] += 1
        draw(self, *args, **kwargs)

    monkeypatch.setattr(validation, "validate", counted_validate)
    monkeypatch.setattr(editor_module, "validate", counted_validate, raising=False)
    monkeypatch.setattr(JourneyDiagram, "set_journey", counted_draw)
    editor = edit_tab(qtbot, window)
    assert calls["draw"] == 1
    calls["validate"] = 0
    box = mapping_box(editor, "vipEvent", "body.value")
    assert len(editor.form.boxes) >= 2 and calls["validate"] == 0  # the data's validation, made when shown
    enter(qtbot, box, 'upper("abc")')  # a text the data does not hold: checked on its own
    assert calls["validate"] >= 1 and "decimal" in box.problem.text()


def test_the_time_zones_are_listed_once_for_every_properties_form(qtbot: Any, window: Any, monkeypatch: Any) -> None:
    """Listing the tz database opens each of its ~600 files (~25 ms): the properties form, built again at
    every journey opened and every properties edit, lists them once."""
    import zoneinfo

    listed = zoneinfo.available_timezones
    calls = []
    monkeypatch.setattr(zoneinfo, "available_timezones", lambda: calls.append(1) or listed())
    editor = edit_tab(qtbot, window)
    editor.select_node("vipEvent")
    editor.show_properties()
    assert editor.form.findChild(QComboBox, "journeyPropTimeZone").findText("Europe/Paris") >= 0
    editor.select_node("vipEvent")
    editor.show_properties()
    assert len(calls) <= 1
