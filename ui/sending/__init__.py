"""Calling actions from the window: the test-request dialog, the send panel, the history panel.

Entry points for the main window: `open_test_request(parent, services, action)` (the pane's "Test
request" button), `SendPanel(services)` and `HistoryPanel(services)` (docks or Tools menu).
"""
from ui.sending.history_panel import HistoryPanel
from ui.sending.send_panel import SendPanel
from ui.sending.test_request import open_test_request

__all__ = ["HistoryPanel", "SendPanel", "open_test_request"]
