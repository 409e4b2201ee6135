"""Name / value / secret tables for the custom token request's headers and body parameters."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.masking import is_secret_key
from app.model.base import MASK, SecretRef, Value, only_placeholder
from ui import icons, roles
from ui.auth.pending import PendingSecrets, as_value
from ui.auth.secretedit import where_typed_goes
from ui.rowsmodel import RowsTableModel

NAME, VALUE, SECRET = range(3)
Index = QModelIndex | QPersistentModelIndex


@dataclass
class Row:
    name: str
    value: Value
    secret: bool


class ParamsModel(RowsTableModel):
    """Rows of (name, value, secret). A secret row holds a SecretRef and shows ********."""

    columns = ("Name", "Value", "Secret")

    edited = Signal()

    def __init__(self, pending: PendingSecrets, hint: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._pending, self._hint = pending, hint
        self._rows: list[Row] = []
        self._read_only = False

    # -- content ---------------------------------------------------------------------------
    def set_values(self, values: dict[str, Value]) -> None:
        self.beginResetModel()
        self._rows = [Row(name, value, isinstance(value, SecretRef)) for name, value in values.items()]
        self.endResetModel()

    def values(self) -> dict[str, Value]:
        """The rows as the document's map (rows without a name are left out; the last name wins)."""
        return {row.name: row.value for row in self._rows if row.name}

    def refs(self) -> list[SecretRef]:
        return [row.value for row in self._rows if isinstance(row.value, SecretRef)]

    def set_read_only(self, read_only: bool) -> None:
        self.layoutAboutToBeChanged.emit()
        self._read_only = read_only
        self.layoutChanged.emit()

    def add_row(self) -> QModelIndex:
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(Row("", "", False))
        self.endInsertRows()
        return self.index(len(self._rows) - 1, NAME)

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
            self.edited.emit()

    def is_secret_row(self, row: int) -> bool:
        return 0 <= row < len(self._rows) and self._rows[row].secret

    # -- Qt model --------------------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._read_only:
            return flags
        if index.column() == SECRET:
            return flags | Qt.ItemFlag.ItemIsUserCheckable
        return flags | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if column == SECRET and role == roles.CHECK_STATE:
            return Qt.CheckState.Checked if row.secret else Qt.CheckState.Unchecked
        if column == SECRET and role == roles.TOOLTIP:
            return f"{where_typed_goes(self._pending.place())}; shown as ********"
        if role == roles.DISPLAY:
            if column == NAME:
                return row.name
            if column == VALUE:
                return MASK if isinstance(row.value, SecretRef) else row.value
        if role == roles.EDIT:
            if column == NAME:
                return row.name
            if column == VALUE:  # a secret row's editor starts with what was typed, or empty
                return (self._pending.plain(row.value) or "") if isinstance(row.value, SecretRef) else row.value
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self._read_only:
            return False
        row, column = self._rows[index.row()], index.column()
        if column == NAME and role == Qt.ItemDataRole.EditRole:
            row.name = str(value).strip()
            if is_secret_key(row.name) and not row.secret and row.value and not only_placeholder(str(row.value)):
                self._make_secret(row, True)
        elif column == VALUE and role == Qt.ItemDataRole.EditRole:
            self._set_value(row, str(value))
        elif column == SECRET and role == Qt.ItemDataRole.CheckStateRole:
            state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(int(value))
            self._make_secret(row, state == Qt.CheckState.Checked)
        else:
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), 2))
        self.edited.emit()
        return True

    def _set_value(self, row: Row, text: str) -> None:
        if isinstance(row.value, SecretRef) and not text and not self._pending.is_pending(row.value):
            return  # an empty editor over a stored secret: keep the secret
        if row.secret or (is_secret_key(row.name) and text):
            reuse = row.value if isinstance(row.value, SecretRef) else None
            row.value = as_value(text, self._pending, f"{self._hint}/{row.name}", reuse)
            row.secret = isinstance(row.value, SecretRef) or row.secret
        else:
            row.value = text

    def _make_secret(self, row: Row, secret: bool) -> None:
        row.secret = secret
        if secret and isinstance(row.value, str):
            row.value = as_value(row.value, self._pending, f"{self._hint}/{row.name}")
        elif not secret and isinstance(row.value, SecretRef):
            row.value = self._pending.plain(row.value) or ""  # a stored secret is not read back


class _MaskedDelegate(QStyledItemDelegate):
    """Edits a secret row's value in a password field."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = super().createEditor(parent, option, index)
        model = index.model()
        if isinstance(editor, QLineEdit) and index.column() == VALUE and isinstance(model, ParamsModel) \
                and model.is_secret_row(index.row()):
            editor.setEchoMode(QLineEdit.EchoMode.Password)
            editor.setPlaceholderText("type to replace the stored secret")
        return editor


class ParamsEditor(QWidget):
    """The table with add and remove buttons."""

    def __init__(self, pending: PendingSecrets, hint: str, what: str, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.model = ParamsModel(pending, hint, self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName(what)
        self.view.setItemDelegate(_MaskedDelegate(self.view))
        self.view.setFont(icons.monospace_font())
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(VALUE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SECRET, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(NAME, 160)
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._fit_height)
        self._add = QToolButton(self)
        self._add.setIcon(icons.icon("add"))
        self._add.setToolTip(f"Add a row to {what.lower()}")
        self._add.setAccessibleName(f"Add to {what.lower()}")
        self._add.clicked.connect(self._on_add)
        self._remove = QToolButton(self)
        self._remove.setIcon(icons.icon("remove"))
        self._remove.setToolTip("Remove the selected row")
        self._remove.setAccessibleName(f"Remove from {what.lower()}")
        self._remove.clicked.connect(self._on_remove)
        buttons = QVBoxLayout()
        buttons.addWidget(self._add)
        buttons.addWidget(self._remove)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self._fit_height()

    def _fit_height(self, *_: object) -> None:
        """As tall as its rows (at least two, at most six): no big empty box for an empty table."""
        rows = min(6, max(2, self.model.rowCount() + 1))
        row = self.view.verticalHeader().defaultSectionSize()
        self.view.setFixedHeight(self.view.horizontalHeader().sizeHint().height() + rows * row
                                 + 2 * self.view.frameWidth())

    def set_read_only(self, read_only: bool) -> None:
        self.model.set_read_only(read_only)
        self._add.setEnabled(not read_only)
        self._remove.setEnabled(not read_only)

    def _on_add(self) -> None:
        index = self.model.add_row()
        self.view.setCurrentIndex(index)
        self.view.edit(index)

    def _on_remove(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.model.remove_row(index.row())
