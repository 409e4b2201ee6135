"""The window's bottom docks and test-request dialogs: the pane stays usable, closed dialogs go away."""
from __future__ import annotations

import pytest
import shiboken6

from tests.ui.conftest import wait_idle
from tests.ui.test_mainwindow import select
from ui.panels import PANE_MIN_HEIGHT


@pytest.mark.parametrize("size", [(1400, 900), (800, 600)])
def test_docks_open_tabbed_and_the_pane_keeps_a_usable_height(window, qtbot, size):
    window.resize(*size)
    window.panels.toggle_dock("send", True)
    window.panels.toggle_dock("history", True)
    window.panels.toggle_sandbox_panel(True)
    send, history, sandbox = window.panels.docks["send"], window.panels.docks["history"], window.panels.sandbox_panel
    # A third of the window for the docks when there is room; never less than the minimum for the pane.
    wanted = max(PANE_MIN_HEIGHT, size[1] // 2)
    qtbot.waitUntil(lambda: window.pane.height() >= wanted, timeout=5000)
    assert (window.width(), window.height()) == size  # the docks did not push the window bigger
    assert window.list.table.height() > 100
    assert set(window.tabifiedDockWidgets(send)) == {history, sandbox}
    assert send.panel.services is window.services
    wait_idle(qtbot)


def test_closed_test_request_dialogs_leave_the_window(window, qtbot):
    select(qtbot, window, "notifyWebhook")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "notifyWebhook")
    for _ in range(3):
        window.open_test_request()
        dialog = window.panels.request_dialogs[-1]
        assert dialog.isVisible()
        dialog.close()
        qtbot.waitUntil(lambda d=dialog: not shiboken6.isValid(d))
        assert window.panels.request_dialogs == []  # the window let go of it too
    window.open_test_request()
    window.open_test_request()  # several may be open at once
    assert len(window.panels.request_dialogs) == 2 and all(d.isVisible() for d in window.panels.request_dialogs)
    window.panels.request_dialogs[0].close()
