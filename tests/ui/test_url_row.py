"""The URL row keeps its height while the URL resolves (a worker, after the action is painted): what is
under it (the headers table) does not move between the first paint and the settled state."""
from __future__ import annotations

import json
from typing import Any, Optional

from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.conftest import close_window, open_window, wait_idle
from tests.ui.test_mainwindow import replace_text, select


class PaintedPlaces(QObject):
    """Where the pane's headers table is in its column each time it is painted while the pane shows
    `name` (any action if None). It watches the whole application: at start the pane is built later."""

    def __init__(self, window: Any, name: Optional[str]) -> None:
        super().__init__(window)
        self.window, self.name = window, name
        self.places: list[int] = []
        QApplication.instance().installEventFilter(self)

    def place(self) -> int:
        table = self.window.pane.url.headers_table
        return int(table.mapTo(self.window.pane.findChild(QWidget, "paneColumn"), QPoint(0, 0)).y())

    def stop(self) -> None:
        QApplication.instance().removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        pane = self.window.pane
        if event.type() == QEvent.Type.Paint and pane is not None and watched is pane.url.headers_table:
            shown = pane.action()
            if shown is not None and self.name in (None, shown.name):
                self.places.append(self.place())
        return False


def add_literal_action(home: Any) -> None:
    """An action whose URL has no {{variables}}: nothing to resolve, no resolved line."""
    action = json.loads((home / "actions" / "notifyWebhook.json").read_text())
    action.update(name="literalHook", id="1" * 32)
    action["endpoint"]["url"] = "https://hooks.example.com/order"
    (home / "actions" / "literalHook.json").write_text(json.dumps(action))


def test_the_rows_under_the_url_do_not_move_when_it_resolves(qtbot: Any, services: Any, answers: Any) -> None:
    add_literal_action(services.workspace.home)
    window = open_window(qtbot, services.workspace.home, services)
    url = window.pane.url
    select(qtbot, window, "literalHook")
    assert url.resolved.isHidden()  # a URL as typed is not repeated under itself
    for name, path in (("notifyWebhook", "/echo/notify"), ("literalHook", ""), ("writeJourneyEvent", "/collection/")):
        painted = PaintedPlaces(window, name)
        select(qtbot, window, name)
        if path:
            qtbot.waitUntil(lambda p=path: p in url.resolved.text(), timeout=15000)  # type: ignore[misc]
        wait_idle(qtbot)
        qtbot.waitUntil(lambda p=painted: bool(p.places))  # type: ignore[misc]
        assert set(painted.places) == {painted.place()}, f"{name}: the headers were painted at {painted.places}"
        assert url.resolved.isHidden() == (not path)
        painted.stop()
    close_window(qtbot, window, answers)


def test_a_url_that_cannot_resolve_says_why_on_the_same_line(qtbot: Any, window: Any) -> None:
    url = window.pane.url
    qtbot.waitUntil(lambda: "127.0.0.1" in url.resolved.text(), timeout=15000)
    painted = PaintedPlaces(window, window.pane.saved_name())
    url.url_edit.selectAll()
    url.url_edit.insert("{{noSuchVariable}}/x")  # pasted over the URL: from one resolved line to the next
    qtbot.waitUntil(lambda: "noSuchVariable" in url.resolved.text(), timeout=15000)
    wait_idle(qtbot)
    assert url.resolved.isVisibleTo(window) and url.resolved.accessibleName() == "Resolved URL"
    assert set(painted.places) <= {painted.place()}, f"the headers were painted at {painted.places}"
    painted.stop()
    replace_text(qtbot, url.url_edit, "https://hooks.example.com/order")
    qtbot.waitUntil(url.resolved.isHidden)
    assert window.pane.url.url_edit.accessibleName() == "URL"


def test_a_resolution_that_comes_back_after_the_url_changed_is_not_shown(qtbot: Any, window: Any) -> None:
    url = window.pane.url
    qtbot.waitUntil(lambda: "127.0.0.1" in url.resolved.text(), timeout=15000)
    window.pane.refresh_resolved()  # a worker resolves the URL shown...
    url.url_edit.selectAll()
    url.url_edit.insert("https://hooks.example.com/order")  # ...which is replaced before it is back
    wait_idle(qtbot)
    assert url.resolved.isHidden(), f"a URL with nothing to resolve shows {url.resolved.text()!r} under it"


def test_the_action_shown_at_start_is_painted_with_its_url_row_at_its_height(qtbot: Any, services: Any,
                                                                             answers: Any) -> None:
    from ui import create_main_window

    window = create_main_window(services.workspace.home, services)
    qtbot.addWidget(window)
    painted = PaintedPlaces(window, None)
    window.show()  # as the app starts: shown while it loads
    qtbot.waitUntil(window.is_ready, timeout=15000)
    url = window.pane.url
    qtbot.waitUntil(lambda: "127.0.0.1" in url.resolved.text(), timeout=15000)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: bool(painted.places))
    assert set(painted.places) == {painted.place()}, f"the headers were painted at {painted.places}"
    painted.stop()
    close_window(qtbot, window, answers)
