"""The action table paints its rows itself (issue 14): the same pixels as Qt's own paint in every
state the list shows, without asking the model cell by cell."""
from __future__ import annotations

import cProfile
import pstats
from pathlib import Path
from typing import Any, Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QProxyStyle, QStyle, QTableView

import ui.actionlist.view as view
from app.listing import ActionSummary
from ui.actionlist.model import METHOD, NAME
from ui.actionlist.table import ActionTable

AUTHS = ("none", "basic", "apiKey", "customAuthorization")


class QtPainted(ActionTable):
    """The reference: the same table painted by QTableView and QStyledItemDelegate."""

    def paintEvent(self, event: Any) -> None:
        QTableView.paintEvent(self, event)


def rows(count: int) -> list[ActionSummary]:
    return [ActionSummary(name=f"action{i:04d}" + ("WithAVeryLongNameIndeed" if i % 3 == 0 else ""),
                          description=f"Sends event {i} " + "and a description longer than its column " * (i % 2),
                          method=("POST", "PUT", "GET")[i % 3], auth=AUTHS[i % 4],
                          modified=f"2026-0{1 + i % 9}-1{i % 10}T12:00:00+00:00", url=f"{{{{baseUrl}}}}/echo/{i}")
            for i in range(count)]


def make_list(qtbot: Any, monkeypatch: pytest.MonkeyPatch, table: type, count: int = 60) -> view.ActionListWidget:
    monkeypatch.setattr(view, "ActionTable", table)
    widget = view.ActionListWidget()
    qtbot.addWidget(widget)
    widget.resize(560, 700)
    summaries = rows(count)
    widget.model.set_summaries(summaries, {summaries[4].name: ["j1", "j2"], summaries[9].name: ["j1"]})
    widget.model.set_dirty(summaries[3].name, True)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def focus_table(widget: view.ActionListWidget, qtbot: Any) -> None:
    widget.activateWindow()
    widget.table.setFocus()
    qtbot.waitUntil(widget.table.hasFocus)


def focus_search(widget: view.ActionListWidget, qtbot: Any) -> None:
    widget.activateWindow()
    widget.search.setFocus()
    qtbot.waitUntil(widget.search.hasFocus)


def scrolled_and_filtered(widget: view.ActionListWidget, qtbot: Any) -> None:
    widget.search.setText("event 1")
    widget.select(widget.proxy.data(widget.proxy.index(5, NAME)))
    widget.table.verticalScrollBar().setValue(3)
    widget.table.setColumnHidden(METHOD, True)
    focus_table(widget, qtbot)


def narrow_and_scrolled_sideways(widget: view.ActionListWidget, qtbot: Any) -> None:
    widget.resize(300, 500)
    widget.select("action0010")
    widget.table.horizontalScrollBar().setValue(70)
    focus_table(widget, qtbot)


def disabled(widget: view.ActionListWidget, qtbot: Any) -> None:
    widget.select("action0002")
    widget.table.setEnabled(False)


def own_colours(widget: view.ActionListWidget, qtbot: Any) -> None:
    palette = QPalette(widget.table.palette())
    for role, colour in ((QPalette.ColorRole.Base, "#202124"), (QPalette.ColorRole.AlternateBase, "#2b2c30"),
                         (QPalette.ColorRole.Text, "#e8eaed"), (QPalette.ColorRole.Highlight, "#8ab4f8"),
                         (QPalette.ColorRole.HighlightedText, "#000000")):
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, role, QColor(colour))
    widget.table.setPalette(palette)
    widget.select("action0007")
    focus_table(widget, qtbot)


def right_to_left(widget: view.ActionListWidget, qtbot: Any) -> None:
    widget.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    widget.select("action0004")
    focus_table(widget, qtbot)


def a_cell_selected(widget: view.ActionListWidget, qtbot: Any) -> None:
    widget.select("action0005")
    selection = widget.table.selectionModel()
    selection.select(widget.proxy.index(6, 2), selection.SelectionFlag.Select)  # part of a row only
    focus_table(widget, qtbot)


class HoverStyle(QProxyStyle):
    """A style that shows the hovered and the focused cell's panel, as some native styles do (Fusion
    draws neither): the table must hand the style each cell's state as Qt does."""

    def drawPrimitive(self, element: Any, option: Any, painter: Any, widget: Any = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element == QStyle.PrimitiveElement.PE_PanelItemViewItem:
            half = option.rect.adjusted(0, 0, 0, -option.rect.height() // 2)
            if option.state & QStyle.StateFlag.State_MouseOver:
                painter.fillRect(half, QColor("#ffcc00"))
            if option.state & QStyle.StateFlag.State_HasFocus:
                painter.fillRect(half.adjusted(0, 0, -half.width() // 2, 0), QColor("#00cc66"))


STYLES: list[QProxyStyle] = []  # kept alive while the widgets use them


def hovered(widget: view.ActionListWidget, qtbot: Any) -> None:
    STYLES.append(HoverStyle("Fusion"))
    widget.table.setStyle(STYLES[-1])
    widget.table.viewport().setAttribute(Qt.WidgetAttribute.WA_Hover)
    widget.select("action0005")
    focus_table(widget, qtbot)
    qtbot.mouseMove(widget.table.viewport(), widget.table.visualRect(widget.proxy.index(8, 1)).center())


def hovered_in_the_selection(widget: view.ActionListWidget, qtbot: Any) -> None:
    hovered(widget, qtbot)
    qtbot.mouseMove(widget.table.viewport(), widget.table.visualRect(widget.proxy.index(5, 3)).center())


def font_changed_after_a_paint(widget: view.ActionListWidget, qtbot: Any) -> None:
    widget.select("action0003")  # the unsaved one: bold italic
    focus_table(widget, qtbot)
    widget.table.viewport().grab()  # its texts are cached for this font
    font = widget.table.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    widget.table.setFont(font)


STATES: dict[str, Callable[[view.ActionListWidget, Any], None]] = {
    "focused, current row selected": lambda w, qtbot: (w.select("action0005"), focus_table(w, qtbot)),
    "search focused (inactive selection)": lambda w, qtbot: (w.select("action0005"), focus_search(w, qtbot)),
    "nothing selected": lambda w, qtbot: focus_table(w, qtbot),
    "filtered, scrolled, a column hidden": scrolled_and_filtered,
    "narrow, scrolled sideways": narrow_and_scrolled_sideways,
    "disabled": disabled,
    "own colours": own_colours,
    "right to left": right_to_left,
    "a cell selected beside the row": a_cell_selected,
    "a cell under the mouse, a style that shows it": hovered,
    "a selected cell under the mouse": hovered_in_the_selection,
    "the font changed after a paint": font_changed_after_a_paint,
    "grid lines (Qt's paint)": lambda w, qtbot: (w.table.setShowGrid(True), w.select("action0002")),
    "no elision (Qt's paint)": lambda w, qtbot: w.table.setTextElideMode(Qt.TextElideMode.ElideNone),
    "elided in the middle": lambda w, qtbot: w.table.setTextElideMode(Qt.TextElideMode.ElideMiddle),
}


def painted(qtbot: Any, monkeypatch: pytest.MonkeyPatch, table: type, state: str) -> QImage:
    widget = make_list(qtbot, monkeypatch, table)
    STATES[state](widget, qtbot)
    images = [widget.table.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32) for _ in range(3)]
    widget.close()  # the next window takes the focus
    assert images[0] == images[2]  # the first paint of a text and later ones (from the table's caches) alike
    return images[0]


@pytest.mark.parametrize("state", list(STATES))
def test_the_table_paints_the_pixels_qt_would(qtbot, monkeypatch, tmp_path: Path, state: str) -> None:
    ours = painted(qtbot, monkeypatch, ActionTable, state)
    qts = painted(qtbot, monkeypatch, QtPainted, state)
    assert ours.size() == qts.size()
    if ours != qts:
        ours.save(str(tmp_path / "ours.png"))
        qts.save(str(tmp_path / "qt.png"))
        differing = [(x, y) for y in range(ours.height()) for x in range(ours.width())
                     if ours.pixel(x, y) != qts.pixel(x, y)]
        pytest.fail(f"{state}: {len(differing)} pixels differ from Qt's paint, first at {differing[:3]} "
                    f"(images in {tmp_path})")


def test_a_repaint_asks_the_model_nothing_cell_by_cell(qtbot, monkeypatch) -> None:
    """Qt's paint asked the proxy some 1,100 times per frame (index, flags, parent, multiData per cell):
    14 ms of a 16 ms keystroke with 10,000 actions. The table asks one row_texts per row shown."""
    widget = make_list(qtbot, monkeypatch, ActionTable, count=10_000)
    widget.select("action0005")
    shown = widget.table.rowAt(widget.table.viewport().height() - 1) + 1
    assert shown > 20
    profile = cProfile.Profile()
    profile.enable()
    widget.table.viewport().grab()  # paints it
    profile.disable()
    calls = {name: count for (path, _, name), (count, *_rest) in pstats.Stats(profile).stats.items()  # type: ignore[attr-defined]
             if path.replace("\\", "/").endswith(("ui/actionlist/filterproxy.py", "ui/actionlist/model.py"))}
    assert calls.get("row_texts", 0) <= 2 * shown  # the proxy's and the model's, once per row
    cell_by_cell = {name: n for name, n in calls.items() if name in ("data", "multiData", "flags", "index", "parent",
                                                                      "sibling", "fill", "cell")}
    assert sum(cell_by_cell.values()) < shown, cell_by_cell  # Qt's paint: several per cell (selection: a few)
