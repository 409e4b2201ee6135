"""multiData (one call per painted cell) answers every role exactly as data() does: the action list's
search proxy and the payload field tree."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan, Qt
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from ui.actionlist.filterproxy import ActionFilterProxy
from ui.actionlist.model import ActionListModel, DirtyRole, NameRole, SortRole, SummaryRole
from ui.payload.infer import example_to_payload
from ui.payload.model import FieldRole, FieldTreeModel, PathRole

ROLES = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.DecorationRole,
         Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ForegroundRole,
         Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.ToolTipRole,
         Qt.ItemDataRole.AccessibleTextRole, SortRole, SummaryRole, NameRole, DirtyRole, FieldRole, PathRole]


@dataclass(frozen=True)
class Summary:
    name: str
    description: str
    url: str = "https://example.com"
    method: str = "POST"
    auth: str = "basic"
    modified: str = "2026-11-23T12:00:00+00:00"


def cells(model: Any) -> list[Any]:
    found, parents = [], [None]
    while parents:
        parent = parents.pop()
        args = () if parent is None else (parent,)
        for row in range(model.rowCount(*args)):
            for column in range(model.columnCount(*args)):
                index = model.index(row, column, *args)
                found.append(index)
                if column == 0 and model.hasChildren(index):
                    parents.append(index)
    return found


def same_answers(model: Any) -> None:
    indexes = cells(model)
    assert indexes
    for index in indexes:
        for role in ROLES:
            answer = QModelRoleData(int(role))
            model.multiData(index, QModelRoleDataSpan(answer))  # a span over `answer`, as Qt passes
            expected = model.data(index, role)
            assert answer.data() == expected, (index.row(), index.column(), role)


def test_the_action_list_answers_alike(qapp) -> None:
    model = ActionListModel()
    model.set_summaries([Summary(f"a{i}", f"d{i}") for i in range(6)], {"a2": ["j"]})
    model.set_dirty("a3", True)
    proxy = ActionFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_text("a")
    same_answers(proxy)


def test_the_payload_tree_answers_alike_and_paints_its_check_boxes(qapp) -> None:
    model = FieldTreeModel()
    model.set_payload(example_to_payload('{"a": null, "b": {"c": [{"d": 1}]}, "e": "x"}', "request"))
    model.setData(model.index(2, 2), "variable")
    same_answers(model)
    option = QStyleOptionViewItem()
    QStyledItemDelegate().initStyleOption(option, model.index(0, 4))  # "a": null is optional
    assert option.checkState == Qt.CheckState.Checked
    assert option.features & QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
