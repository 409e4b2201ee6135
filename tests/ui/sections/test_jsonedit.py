"""The JSON editor on its own: validation off the UI thread and only when typing pauses."""
from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from app.model.payload import parse_json
from ui.jsonedit import JsonEdit, key_position, pretty


def test_validation_runs_off_thread_once_typing_pauses(qtbot):
    calls: list[tuple[str, bool]] = []

    def validator(text: str):
        calls.append((text, threading.current_thread() is threading.main_thread()))
        return parse_json(text)

    editor = JsonEdit(validator=validator)
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.validated, timeout=5000) as done:
        qtbot.keyClicks(editor, '{"a": [1, 2, 3]}')
    assert done.args == [{"a": [1, 2, 3]}, '{"a": [1, 2, 3]}']
    assert len(calls) == 1 and calls[0][1] is False  # one check, after the pause, in a worker


def test_the_validated_text_is_the_string_the_worker_checked(qtbot):
    """No second copy of the document on the UI thread when the result arrives (a 1 MB example's
    toPlainText() there stalled the window, issue 14): the signal carries the worker's own string."""
    given: list[str] = []

    def validator(text: str):
        given.append(text)
        return parse_json(text)

    editor = JsonEdit(validator=validator)
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.validated, timeout=5000) as done:
        editor.insertPlainText('{"a": "' + "x" * 100_000 + '"}')
    assert len(given) == 1 and done.args[1] is given[0]


def test_error_marker_and_recovery(qtbot, quick_checks):
    editor = JsonEdit()
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.problemChanged, timeout=5000) as shown:
        editor.setPlainText('{\n  "a": 1\n  "b": 2\n}')
    assert shown.args[0] == "line 3, column 3: expected ',' between items"
    assert editor.error_line() == 3 and editor.toolTip() == shown.args[0]
    with qtbot.waitSignal(editor.problemChanged, timeout=5000) as cleared:
        editor.setPlainText('{\n  "a": 1,\n  "b": 2\n}')
    assert cleared.args[0] == "" and editor.error_line() is None and editor.extraSelections() == []


def test_flush_checks_now_and_load_is_not_an_edit(qtbot):
    editor = JsonEdit()
    qtbot.addWidget(editor)
    with qtbot.assertNotEmitted(editor.edited):
        editor.load('{"ok": true}', known_result={"ok": True})
    assert not editor.is_pending() and editor.result() == {"ok": True}
    editor.setPlainText("[1,")
    assert editor.is_pending()
    assert editor.problem() is not None and not editor.is_pending()  # flushed synchronously


def test_pretty_print_shortcut_and_helpers(qtbot):
    editor = JsonEdit()
    qtbot.addWidget(editor)
    editor.setPlainText('{"a":{"b":1}}')
    qtbot.keyClick(editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert editor.toPlainText() == pretty('{"a":{"b":1}}') == '{\n  "a": {\n    "b": 1\n  }\n}\n'
    assert key_position('{\n  "x": {\n    "a.b": 1}}', "a.b") == (3, 5)
    assert key_position("{}", "missing") is None
