"""The pane's least width follows no text of the action shown: the window's divider stays where it is
at every switch (in an 800 px wide window the splitter holds the pane at its least width, and a
least width that followed the action's name or its journeys moved the divider and relaid out and
repainted the whole window at each switch)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.test_mainwindow import replace_text, select
from ui.pane.banners import LockBanner

LONG_NAME = "aVeryLongActionNameThatGoesOnAndOnWellPastWhatTheTitleCanShowWhole"[:64]
NAMES = ("airshipCustomEvent", "notifyWebhook", "writeJourneyEvent")  # the last one is locked


def narrow(qtbot: Any, window: Any) -> None:
    window.resize(800, 700)
    qtbot.waitUntil(lambda: window.width() == 800)
    QApplication.processEvents()


def test_the_divider_and_the_pane_least_width_stay_at_every_switch(window, qtbot):
    narrow(qtbot, window)
    sizes, least = window.splitter.sizes(), window.pane.minimumSizeHint().width()
    assert sizes[1] == least  # the splitter holds the pane at its least width: the case that moved
    for name in NAMES + NAMES[::-1]:
        select(qtbot, window, name)
        QApplication.processEvents()
        assert (window.splitter.sizes(), window.pane.minimumSizeHint().width()) == (sizes, least), name
    replace_text(qtbot, window.pane.names.name_edit, LONG_NAME)  # the title follows the typed name
    QApplication.processEvents()
    assert window.pane.header.title.text() == LONG_NAME + " *"
    assert (window.splitter.sizes(), window.pane.minimumSizeHint().width()) == (sizes, least)


def test_a_long_name_is_elided_in_the_title_and_readable_whole(window, qtbot):
    sizes = window.splitter.sizes()
    replace_text(qtbot, window.pane.names.name_edit, LONG_NAME)
    QApplication.processEvents()
    title = window.pane.header.title
    assert window.splitter.sizes() == sizes  # the pane took no width from the list
    assert title.width() < title.sizeHint().width()  # too long for its room: painted with "…"
    assert title.text() == LONG_NAME + " *"
    assert title.toolTip() == LONG_NAME + " (not saved)" == title.accessibleDescription()
    assert window.pane.column.horizontalScrollBar().maximum() == 0  # nothing scrolls sideways
    assert window.pane.header.width() == window.pane.width()


def test_the_lock_banner_is_as_wide_at_least_whatever_the_journeys(qtbot):
    banner = LockBanner()
    qtbot.addWidget(banner)
    banner.show_lock(["j"])
    least = banner.minimumSizeHint().width()
    long_names = ["sampleJourney", "x" * 80, "aJourneyWithAVeryLongNameIndeedThatNeverEnds"]
    banner.show_lock(long_names)
    assert banner.minimumSizeHint().width() == least
    assert "sampleJourney" in banner.text.text()  # a name of usual length is shown whole
    assert "x" * 80 not in banner.text.text() and "…" in banner.text.text()
    assert banner.text.toolTip() == f"Used in 3 journeys ({', '.join(long_names)})"  # every name, whole


class Painted(QObject):
    """The widgets painted while it listens."""

    def __init__(self) -> None:
        super().__init__()
        self.widgets: list[QWidget] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            self.widgets.append(watched)
        return False


def test_a_switch_repaints_the_pane_and_the_list_only(window, qtbot):
    narrow(qtbot, window)
    sizes = window.splitter.sizes()
    painted = Painted()
    app = QApplication.instance()
    app.installEventFilter(painted)
    try:
        for name in NAMES[1:] + NAMES[:1]:
            select(qtbot, window, name)
            QApplication.processEvents()
    finally:
        app.removeEventFilter(painted)
    assert window.splitter.sizes() == sizes
    # Besides the pane and the list, only what lies behind the list (its row's highlight and buttons
    # are not opaque): not the right side's stack behind the pane, nor the divider's handle.
    behind_list = [w for w in painted.widgets if w.isAncestorOf(window.list)]
    outside = {w.objectName() or type(w).__name__ for w in painted.widgets
               if not (window.pane.isAncestorOf(w) or w is window.pane or window.list.isAncestorOf(w)
                       or w is window.list or w in behind_list)}
    assert outside == set()
    assert any(window.pane.isAncestorOf(w) for w in painted.widgets)
