"""The window's parts and their public interfaces: opening an action off the UI thread, starting
the auth test through the pane, one widget per object name."""
from __future__ import annotations

import threading
from collections import Counter

from PySide6.QtWidgets import QTabWidget, QWidget

from tests.ui.conftest import wait_idle, wait_opened
from tests.ui.test_mainwindow import replace_text, select

# Names Qt gives the parts of its own widgets (a tab bar's scroll buttons, a line edit's clear action).
QT_OWN = ("qt_", "_q_", "ScrollLeftButton", "ScrollRightButton")


def test_opening_an_action_reads_its_file_in_a_worker(window, qtbot, services, monkeypatch):
    """While the file read waits, the UI thread goes on: the pane still shows the previous action."""
    real = services.workspace.load_stamped
    gate = threading.Event()
    on_ui_thread: list[bool] = []

    def gated(name):
        on_ui_thread.append(threading.current_thread() is threading.main_thread())
        gate.wait(10)  # on the UI thread this would hold the click below for 10 s
        return real(name)

    monkeypatch.setattr(services.workspace, "load_stamped", gated)
    assert window.pane.saved_name() == "airshipCustomEvent"
    window.list.select("notifyWebhook", quiet=False)  # as a click on its row
    assert window.current.is_opening() and window.pane.saved_name() == "airshipCustomEvent"
    gate.set()
    wait_opened(qtbot, window)
    assert window.pane.saved_name() == "notifyWebhook" and on_ui_thread == [False]


def test_a_late_read_never_replaces_the_action_chosen_after_it(window, qtbot, services, monkeypatch):
    real = services.workspace.load_stamped
    gate = threading.Event()

    def slow_for_notify(name):
        if name == "notifyWebhook":
            gate.wait(10)
        return real(name)

    monkeypatch.setattr(services.workspace, "load_stamped", slow_for_notify)
    window.list.select("notifyWebhook", quiet=False)
    window.list.select("writeJourneyEvent", quiet=False)
    qtbot.waitUntil(lambda: window.pane.saved_name() == "writeJourneyEvent")
    gate.set()
    wait_idle(qtbot)
    assert window.pane.saved_name() == "writeJourneyEvent" and window.list.current_name() == "writeJourneyEvent"


def test_edits_typed_while_an_action_is_read_are_not_lost(window, qtbot, services, answers, monkeypatch):
    real = services.workspace.load_stamped
    gate = threading.Event()

    def gated(name):
        gate.wait(10)
        return real(name)

    monkeypatch.setattr(services.workspace, "load_stamped", gated)
    window.list.select("notifyWebhook", quiet=False)
    replace_text(qtbot, window.pane.names.description_edit, "typed meanwhile")
    answers.save_discard_cancel = "cancel"
    gate.set()
    wait_idle(qtbot)
    assert answers.asked[-1] == ("save_discard_cancel", "airshipCustomEvent")
    assert window.pane.saved_name() == "airshipCustomEvent"
    assert window.pane.names.description_edit.text() == "typed meanwhile" and window.pane.is_dirty()
    assert window.list.current_name() == "airshipCustomEvent"


def test_the_pane_starts_the_auth_test_through_its_public_api(window, qtbot):
    select(qtbot, window, "writeJourneyEvent")
    with qtbot.waitSignal(window.pane.auth.testFinished, timeout=20000) as caught:
        assert window.pane.test_authentication()
    assert caught.args[0].ok
    assert window.pane.sections["auth"].is_expanded()


def test_test_authentication_says_when_there_is_nothing_to_test(window, qtbot):
    from ui import message

    select(qtbot, window, "notifyWebhook")  # no authentication
    assert not window.pane.test_authentication()
    assert message.bridge().last() == ("warning", "Nothing to test: choose an authentication mode first")
    window.menus.test_auth_act.trigger()  # Ctrl+T goes through the same door
    assert not window.pane.auth.is_testing()
    assert "Nothing to test" in window.status.status_message.text()


def _named(window) -> Counter:
    """Object names of the widgets of the window itself (its dialogs are windows of their own)."""
    names = Counter()
    for widget in window.findChildren(QWidget):
        name = widget.objectName()
        if name and not name.startswith(QT_OWN) and widget.window() is window:
            names[name] += 1
    return names


def test_no_named_widget_is_duplicated(window, qtbot):
    """findChild(name) finds the one widget a user sees under that name, never a hidden copy."""
    assert window.journeys.ensure_view() is not None  # built when first needed: its names count too
    window.panels.toggle_dock("send", True)
    window.panels.toggle_dock("history", True)
    window.panels.toggle_sandbox_panel(True)
    tabs = window.findChild(QTabWidget, "payloadTabs")
    for index in range(tabs.count()):  # the tabs not shown yet are built when first shown: their names count
        tabs.setCurrentIndex(index)
    for name in ("writeJourneyEvent", "notifyWebhook", "airshipCustomEvent"):
        select(qtbot, window, name)
        wait_idle(qtbot)
        duplicated = {n: count for n, count in _named(window).items() if count > 1}
        assert not duplicated, f"with {name} open: {duplicated}"
    # With the sample journey open: its run view, its trace and the comparison's two traces.
    window.show_journeys()  # the journeys are read when their tab is first shown
    qtbot.waitUntil(lambda: window.journeys.list.list.count() == 1, timeout=10000)
    view = window.journeys.ensure_view()
    with qtbot.waitSignal(view.opened, timeout=10000):
        window.journeys.list.list.setCurrentRow(0)
    assert view.run_view.compare is not None  # built when first asked for
    duplicated = {n: count for n, count in _named(window).items() if count > 1}
    assert not duplicated, f"with the sample journey open: {duplicated}"
