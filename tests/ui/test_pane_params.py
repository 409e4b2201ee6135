"""Headers named like the locked ones: only the platform's own rows are locked, a new one is a duplicate."""
from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.test_mainwindow import select
from tests.ui.test_pane import params
from ui.pane.params import NAME, ParamTable


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
