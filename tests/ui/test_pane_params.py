"""The headers and query tables: headers named like the locked ones (only the platform's own rows are locked,
a new one is a duplicate), their columns' widths, the query table made when its section opens."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QHeaderView, QTableView, QToolButton, QWidget

from tests.ui.tabwalk import framed, tab_stops
from tests.ui.test_mainwindow import select
from tests.ui.test_pane import params
from ui.pane.params import MODE, NAME, SECRET, ParamTable
from ui.pane.url import UrlSection


def test_a_new_charset_or_content_type_row_stays_editable_and_removable(qtbot):
    model = params()
    table = ParamTable(model, "headersTable", "+ Header")
    qtbot.addWidget(table)
    for name in ("charset", "CONTENT-TYPE"):
        row = model.add_row()
        assert model.setData(model.index(row, NAME), name)
        assert model.flags(model.index(row, NAME)) & Qt.ItemFlag.ItemIsEditable
        assert model.can_remove(row)
        assert "already exists" in model.index(row, NAME).data(Qt.ItemDataRole.ToolTipRole)
    assert model.problems() == [
        "header 4: a header named 'Charset' already exists (header 2); rename or remove this one",
        "header 5: a header named 'Content-Type' already exists (header 1); rename or remove this one",
    ]
    assert not model.can_remove(0) and not model.can_remove(1)  # the platform's own rows stay locked
    assert "already exists" in table.problems.text()

    assert model.setData(model.index(4, NAME), "x-content-type")  # renamed: fine
    table.view.setCurrentIndex(model.index(3, NAME))
    assert table.remove_button.isEnabled()
    qtbot.mouseClick(table.remove_button, Qt.MouseButton.LeftButton)
    assert [r["name"] for r in model.rows()] == ["Content-Type", "Charset", "x-key", "x-content-type"]
    assert model.problems() == []


def test_a_duplicate_locked_header_blocks_saving_until_it_is_removed(window, qtbot, services):
    select(qtbot, window, "notifyWebhook")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "notifyWebhook")
    headers = window.pane.url.headers
    row = headers.add_row()
    headers.setData(headers.index(row, NAME), "Charset")
    assert not window.pane.save()
    assert any("already exists" in p for p in window.pane.problems_shown())
    assert headers.remove_row(row)
    with qtbot.waitSignal(window.pane.saved, timeout=10000):
        assert window.pane.save()
    assert [h.name for h in services.workspace.load("notifyWebhook").endpoint.headers][:2] == ["Content-Type",
                                                                                               "Charset"]


def _widths(table: ParamTable) -> tuple[int, int]:
    QApplication.processEvents()  # laid out as shown (ResizeToContents sized the columns at layout)
    header = table.view.horizontalHeader()
    return header.sectionSize(MODE), header.sectionSize(SECRET)


def _fitted_by_qt(table: ParamTable) -> tuple[int, int]:
    """What Qt's ResizeToContents gives the Type and Secret columns of the table as it is now."""
    header = table.view.horizontalHeader()
    for column in (MODE, SECRET):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.resizeSections()
    fitted = _widths(table)
    for column in (MODE, SECRET):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
    return fitted


def test_the_type_and_secret_columns_fit_every_kind_of_row_and_keep_their_width_as_rows_come_and_go(qtbot):
    model = params()
    model.set_rows([])
    table = ParamTable(model, "headersTable", "+ Header")
    qtbot.addWidget(table)
    table.resize(600, 300)
    table.show()
    empty = _widths(table)
    rows = [{"name": "Content-Type", "mode": "constant", "value": "application/json", "label": ""},
            {"name": "x-key", "mode": "constant", "value": {"secret": "k"}, "label": ""},
            {"name": "x-user", "mode": "variable", "value": "", "label": "User"}]
    model.set_rows(rows)
    assert _widths(table) == empty  # the columns do not jump when the first row comes
    assert _fitted_by_qt(table) == empty  # as wide as Qt fits "Constant", "Variable", a check box and the headers
    model.remove_row(model.add_row())
    assert _widths(table) == empty

    font = QFont(table.font())
    font.setPointSize(font.pointSize() * 2)
    table.setFont(font)  # a bigger font measures again
    bigger = _widths(table)
    assert bigger[0] > empty[0] and bigger[1] > empty[1]
    assert _fitted_by_qt(table) == bigger


def test_the_query_table_is_made_when_its_section_opens_in_its_place_of_the_tab_order(qtbot):
    host, before, url, after = framed(qtbot, lambda parent: UrlSection(lambda _v, _h: "k", lambda _k: None, parent))
    url.set_values("https://example.com/a", "POST", [], [])
    url.set_locked(True)
    assert url.findChild(QWidget, "queryTable") is None  # no query parameter: the section stays folded
    qtbot.mouseClick(url.query_box.findChild(QToolButton, "querySectionToggle"), Qt.MouseButton.LeftButton)
    table = url.findChild(QTableView, "queryTable")
    assert table is not None and table.isVisible()
    assert not url.query_table.add_button.isEnabled()  # locked as the action is
    assert url.query.flags(url.query.index(0, 0)) == Qt.ItemFlag.NoItemFlags  # (no row to edit)
    url.set_locked(False)
    assert url.query_table.add_button.isEnabled()
    # Where Tab visits it had it been made with the rest: after its section's title, before what follows.
    assert tab_stops(qtbot, host, before, after) == [
        "before", "methodCombo", "urlEdit", "headersTable", "headersTableAdd", "querySectionToggle",
        "queryTable", "queryTableAdd", "after"]
    url.set_values("https://example.com/a", "POST", [], [{"name": "q", "mode": "constant", "value": "1", "label": ""}])
    assert url.query_box.is_expanded() and url.query_table.view is table
