"""The "problems block saving" banner follows the problems once Save showed it."""
from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from tests.ui.test_mainwindow import finish, replace_text, select


def test_the_banner_drops_each_fixed_problem_and_hides_when_none_is_left(window, qtbot):
    select(qtbot, window, "notifyWebhook")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "notifyWebhook")
    name = window.findChild(QLineEdit, "nameEdit")
    url = window.findChild(QLineEdit, "urlEdit")
    replace_text(qtbot, name, "no spaces")
    finish(qtbot, name)
    replace_text(qtbot, url, "")
    finish(qtbot, url)
    assert not window.pane.save()
    problems = window.pane.problems_shown()
    assert any(p.startswith("name:") for p in problems) and any("URL is empty" in p for p in problems)

    replace_text(qtbot, name, "notifyWebhook2")  # typing alone, no Return yet
    qtbot.waitUntil(lambda: not any(p.startswith("name:") for p in window.pane.problems_shown()))
    assert any("URL is empty" in p for p in window.pane.problems_shown())
    assert "1 problem blocks saving" in window.pane.problems_box.label.text()

    replace_text(qtbot, url, "https://example.com/hook")
    finish(qtbot, url)
    qtbot.waitUntil(lambda: window.pane.problems_box.isHidden())
    assert window.pane.problems_shown() == []
