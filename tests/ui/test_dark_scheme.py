"""Colours come from the palette: in a dark scheme the selected toggle shows, the amber is readable."""
from __future__ import annotations

from typing import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from tools.screenshots import _dark_palette
from ui import icons
from ui.auth.section import AuthSection
from ui.jsonedit import JsonEdit, Problem
from ui.payload.tab import PayloadTab


@pytest.fixture
def dark(qapp) -> Iterator[None]:
    light = QPalette(QGuiApplication.palette())
    _dark_palette(qapp)
    yield
    QApplication.setPalette(light)


def mean_color(widget) -> QColor:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    total, n = [0, 0, 0], 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            total[0], total[1], total[2], n = total[0] + c.red(), total[1] + c.green(), total[2] + c.blue(), n + 1
    return QColor(*(t // n for t in total))


def distance(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


def test_the_selected_form_or_json_view_shows_in_a_dark_scheme(qtbot, services, dark):
    section = AuthSection(services)
    qtbot.addWidget(section)
    section.show()
    qtbot.waitExposed(section)
    form, json_ = section.modebar.form_button, section.modebar.json_button
    assert form.isChecked()
    selected, unselected = mean_color(form), mean_color(json_)
    assert distance(selected, unselected) > 60
    qtbot.mouseClick(json_, Qt.MouseButton.LeftButton)
    assert json_.isChecked() and not form.isChecked()
    assert distance(mean_color(json_), selected) < 15 and distance(mean_color(form), unselected) < 15


def test_the_refused_edit_note_uses_the_palettes_amber(qtbot, dark):
    tab = PayloadTab("request", "requestPayloadEdit", "payloadFieldsView")
    qtbot.addWidget(tab)
    note = tab.findChild(QLabel, "requestPayloadEditRefused")
    assert note.styleSheet() == ""
    assert note.palette().color(QPalette.ColorRole.WindowText) == icons.warning_color()


def test_the_auth_problems_notes_result_and_a_json_message_take_the_palettes_colours(qtbot, services, dark):
    """Not style sheets: a widget with one is polished, measured and painted through a style of its own."""
    section = AuthSection(services)
    qtbot.addWidget(section)
    section.pages.select("basic")
    section._update_problems()  # an empty username and password
    section._show_note("Copied as cURL", "ok")
    section.result.setText("")
    section._tester.show_result(None, "Failed", "error")
    editor = JsonEdit()
    qtbot.addWidget(editor)
    editor.setObjectName("someEdit")
    editor.set_problem(Problem("not JSON"))
    message = editor.findChild(QLabel, "someEditError")
    for label, colour in ((section.problems_label, icons.error_color()), (section.notes, icons.ok_color()),
                          (section.result, icons.error_color()), (message, icons.error_color())):
        assert label.styleSheet() == "" and label.palette().color(QPalette.ColorRole.WindowText) == colour
    assert section.problems_label.text().startswith("⚠ authentication.")
    assert editor.message_text() == "⚠ not JSON"
