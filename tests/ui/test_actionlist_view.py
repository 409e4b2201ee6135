"""The action list's keyboard and search: Tab leaves the list, Esc clears, URLs match, the label follows."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication

from app.store import ActionSummary
from ui.actionlist.model import NAME
from ui.actionlist.view import ActionListWidget

ROWS = [
    ActionSummary("airshipCustomEvent", "Send a custom event", "POST", "apiKey", "2026-01-01T00:00:00+00:00",
                  "{{airshipUrl}}/api/custom-events"),
    ActionSummary("notifyWebhook", "A plain webhook", "POST", "none", "2026-01-01T00:00:00+00:00",
                  "{{baseUrl}}/echo/notify"),
    ActionSummary("writeJourneyEvent", "Write journey step events", "POST", "customAuthorization",
                  "2026-01-01T00:00:00+00:00", "{{baseUrl}}/collection/{{inletId}}"),
]


def shown(widget: ActionListWidget) -> list[str]:
    return [widget.proxy.index(r, NAME).data() for r in range(widget.proxy.rowCount())]


def make_list(qtbot) -> ActionListWidget:
    widget = ActionListWidget()
    qtbot.addWidget(widget)
    widget.model.set_summaries(ROWS, {})
    widget.show()
    return widget


def test_search_matches_urls_and_descriptions(qtbot):
    widget = make_list(qtbot)
    qtbot.keyClicks(widget.search, "/echo/")
    assert shown(widget) == ["notifyWebhook"]
    widget.search.clear()
    qtbot.keyClicks(widget.search, "JOURNEY STEP")
    assert shown(widget) == ["writeJourneyEvent"]


def test_the_match_label_quotes_the_text_even_when_the_rows_stay_the_same(qtbot):
    widget = make_list(qtbot)
    qtbot.keyClicks(widget.search, "notif")
    assert widget.count_label.text() == "1 of 3 actions match “notif”"
    qtbot.keyClicks(widget.search, "yweb")  # still the same single row
    assert shown(widget) == ["notifyWebhook"]
    assert widget.count_label.text() == "1 of 3 actions match “notifyweb”"


class PaintCounter(QObject):
    paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        self.paints += event.type() == QEvent.Type.Paint
        return False


def test_a_key_that_keeps_the_rows_repaints_none_of_them(qtbot):
    """Issue 14: the list repainted the current row at every key, even when the rows shown stayed."""
    widget = make_list(qtbot)
    widget.select("notifyWebhook")
    qtbot.waitExposed(widget)
    qtbot.keyClicks(widget.search, "notify")  # one row left
    QApplication.processEvents()
    counter = PaintCounter()
    widget.table.viewport().installEventFilter(counter)
    qtbot.keyClicks(widget.search, "web")  # still that row
    QApplication.processEvents()
    assert shown(widget) == ["notifyWebhook"] and widget.current_name() == "notifyWebhook"
    assert widget.table.selectionModel().isRowSelected(0)
    assert counter.paints == 0
    qtbot.keyClick(widget.search, Qt.Key.Key_Backspace)
    qtbot.keyClicks(widget.search, "x")  # no row left, then the row back with its selection
    qtbot.keyClick(widget.search, Qt.Key.Key_Backspace)
    QApplication.processEvents()
    assert counter.paints > 0
    assert widget.table.selectionModel().isRowSelected(0) and widget.table.currentIndex().row() == 0


def test_escape_clears_the_search_then_returns_to_the_list(qtbot):
    widget = make_list(qtbot)
    widget.search.setFocus()
    qtbot.keyClicks(widget.search, "webhook")
    assert shown(widget) == ["notifyWebhook"]
    qtbot.keyClick(widget.search, Qt.Key.Key_Escape)
    assert widget.search.text() == ""
    assert len(shown(widget)) == 3
    assert not widget.count_label.isVisibleTo(widget)
    qtbot.keyClick(widget.search, Qt.Key.Key_Escape)  # nothing left to clear: back to the list
    qtbot.waitUntil(lambda: widget.focusWidget() is widget.table)


def test_tab_leaves_the_list_for_the_pane_without_opening_another_action(window, qtbot):
    table = window.list.table
    table.setFocus()
    first = window.pane.saved_name()
    for _ in range(7):  # more Tabs than the list has columns: each used to move one cell along
        if window.focusWidget() is not table:
            break
        qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert window.pane.isAncestorOf(window.focusWidget()), window.focusWidget()
    assert window.pane.saved_name() == first and window.list.current_name() == first
