"""Headers and query parameters: a table model over raw rows and its view with add/remove.

Rows are plain dicts in the on-disk shape ({name, mode, value, label}; a secret value is
{"secret": ref}), so a half-typed, invalid row can live in the table while the user fixes it.
Content-Type and Charset are locked as the platform locks them: only Content-Type's value edits.
"""
from __future__ import annotations

import copy
from typing import Any, Callable, Optional

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.model import MASK
from app.model.endpoint import is_locked_header
from app.model.rules import http_name_problem, value_problem
from ui import icons, roles
from ui.rowsmodel import RowsTableModel

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Name", "Type", "Value / label", "Secret")
NAME, MODE, VALUE, SECRET = range(4)
MODES = {"constant": "Constant", "variable": "Variable"}
RowRole = Qt.ItemDataRole.UserRole + 1
# Combined once: or-ing Qt flags makes a new enum value each time, and views ask flags() per cell painted.
_BASE_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_EDITABLE_FLAGS = _BASE_FLAGS | Qt.ItemFlag.ItemIsEditable
_CHECKABLE_FLAGS = _BASE_FLAGS | Qt.ItemFlag.ItemIsUserCheckable
SecretMaker = Callable[[str, str], str]  # (plain value, hint) -> new secret ref key


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and "secret" in value


class ParamModel(RowsTableModel):
    """Editable rows of headers (kind 'header') or query parameters (kind 'query parameter')."""

    columns = COLUMNS
    column_tips = ("", "Constant: a fixed value. Variable: set in the journey, shown with its label.",
                   "The constant value, or the label journey authors see for a variable",
                   "Keep the value in the keyring, masked here and in exports")

    edited = Signal()  # one completed user edit (the pane records an undo step)

    def __init__(self, kind: str, make_secret: SecretMaker, pending: Callable[[str], Optional[str]],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._rows: list[dict[str, Any]] = []
        self._make_secret = make_secret
        self._pending = pending
        self._read_only = False

    # -- rows --------------------------------------------------------------------------------
    def rows(self) -> list[dict[str, Any]]:
        return copy.deepcopy(self._rows)

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = [{"name": r.get("name", ""), "mode": r.get("mode", "constant"),
                       "value": copy.deepcopy(r.get("value", "")), "label": r.get("label", "")} for r in rows]
        self.endResetModel()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1))

    def add_row(self) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append({"name": "", "mode": "constant", "value": "", "label": ""})
        self.endInsertRows()
        self.edited.emit()
        return row

    def remove_row(self, row: int) -> bool:
        if not 0 <= row < len(self._rows) or self._locked(row) or self._read_only:
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        self.edited.emit()
        return True

    def can_remove(self, row: int) -> bool:
        return 0 <= row < len(self._rows) and not self._locked(row) and not self._read_only

    def _locked(self, row: int) -> bool:
        """Content-Type and Charset as the platform put them: the first row of that name. Another
        row typed with the same name is an ordinary row (editable, removable) marked as a duplicate."""
        return self.kind == "header" and is_locked_header(self._rows[row]["name"]) \
            and self._first_row_named(self._rows[row]["name"]) == row

    def _first_row_named(self, name: str) -> int:
        key = name.lower()
        return next(i for i, r in enumerate(self._rows) if r["name"].lower() == key)

    def problems(self) -> list[str]:
        """What is wrong, one line per row ('header 3: the header name is empty')."""
        return [f"{self.kind} {i + 1}: {problem}" for i in range(len(self._rows))
                if (problem := self.row_problem(i))]

    def row_problem(self, row: int) -> Optional[str]:
        r = self._rows[row]
        what = "header" if self.kind == "header" else "query parameter"
        problem = http_name_problem(r["name"], what)
        if not problem and isinstance(r["value"], str):
            problem = value_problem(r["value"])
        first = self._first_row_named(r["name"]) if r["name"] else row
        if not problem and first != row:
            problem = (f"a {what} named {self._rows[first]['name']!r} already exists ({what} {first + 1}); "
                       "rename or remove this one")
        return problem

    # -- Qt model API ------------------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = _BASE_FLAGS
        if self._read_only:
            return base
        row, col = index.row(), index.column()
        r = self._rows[row]
        if self._locked(row):
            if col == VALUE and r["name"].lower() == "content-type":
                return _EDITABLE_FLAGS
            return base
        if col == SECRET:
            return _CHECKABLE_FLAGS if r["mode"] == "constant" else base
        return _EDITABLE_FLAGS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()  # -1 for an invalid index; views ask ~8 roles a cell at each paint: asked once
        if not 0 <= row < len(self._rows):
            return None
        col = index.column()
        r = self._rows[row]
        if role in (roles.DISPLAY, roles.ACCESSIBLE_TEXT):
            return self._display(r, col)
        if role == roles.EDIT:
            if col == NAME:
                return r["name"]
            if col == MODE:
                return r["mode"]
            if col == VALUE:
                if r["mode"] == "variable":
                    return r["label"]
                return "" if is_secret(r["value"]) else r["value"]
            return None
        if (role == roles.CHECK_STATE and col == SECRET and r["mode"] == "constant"
                and not self._locked(row)):
            return Qt.CheckState.Checked if is_secret(r["value"]) else Qt.CheckState.Unchecked
        if role == roles.DECORATION and col == NAME:
            if self._locked(row):
                return icons.icon("lock")
            if self.row_problem(row):
                return icons.icon("error", "error")
            return None
        if role == roles.FOREGROUND and col == NAME and self.row_problem(row):
            return icons.error_color()
        if role == roles.TOOLTIP:
            return self._tooltip(row, col)
        if role == roles.FONT:
            if col not in (NAME, VALUE):
                return None
            if col == VALUE and r["mode"] == "variable":
                font = QFont()
                font.setItalic(True)
                return font
            return icons.monospace_font()
        if role == RowRole:
            return dict(r)
        return None

    def _display(self, r: dict[str, Any], col: int) -> Any:
        if col == NAME:
            return r["name"]
        if col == MODE:
            return MODES.get(r["mode"], r["mode"])
        if col == VALUE:
            if r["mode"] == "variable":
                return r["label"] or r["name"]
            return MASK if is_secret(r["value"]) else r["value"]
        return None

    def _tooltip(self, row: int, col: int) -> Optional[str]:
        r = self._rows[row]
        if self._locked(row):
            if r["name"].lower() == "content-type":
                return "Locked by the platform: always present and Constant; only its value can change"
            return "Locked by the platform: always present, Constant, utf-8"
        problem = self.row_problem(row)
        if col == NAME and problem:
            return problem
        if col == VALUE and r["mode"] == "variable":
            return "The label journey authors see; the value is set in the journey"
        if col == VALUE and is_secret(r["value"]):
            return "A secret kept in the keyring; type to replace it"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        editable = Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable
        if not index.isValid() or not (self.flags(index) & editable):
            return False
        row, col = index.row(), index.column()
        r = self._rows[row]
        before = copy.deepcopy(r)
        if role == Qt.ItemDataRole.CheckStateRole and col == SECRET:
            self._set_secret(r, Qt.CheckState(value) == Qt.CheckState.Checked)
        elif role == Qt.ItemDataRole.EditRole:
            text = "" if value is None else str(value)
            if col == NAME:
                r["name"] = text.strip()
            elif col == MODE:
                r["mode"] = "variable" if text.lower().startswith("var") else "constant"
                if r["mode"] == "variable" and not r["label"]:
                    r["label"] = r["name"]
                if r["mode"] == "variable" and is_secret(r["value"]):
                    r["value"] = ""
            elif col == VALUE:
                if r["mode"] == "variable":
                    r["label"] = text
                elif is_secret(r["value"]):
                    r["value"] = {"secret": self._make_secret(text, r["name"])}
                else:
                    r["value"] = text
        else:
            return False
        if r == before:
            return True
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        self.edited.emit()
        return True

    def _set_secret(self, r: dict[str, Any], secret: bool) -> None:
        if secret and not is_secret(r["value"]):
            r["value"] = {"secret": self._make_secret(str(r["value"]), r["name"])}
        elif not secret and is_secret(r["value"]):
            # Only a value typed in this session comes back as plain text; a stored secret is not
            # revealed into the file by a click: the value is emptied for the user to retype.
            r["value"] = self._pending(r["value"]["secret"]) or ""


class ModeDelegate(QStyledItemDelegate):
    """Constant / Variable as a combo box that commits as soon as a choice is made."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName("Parameter type")
        for key, label in MODES.items():
            combo.addItem(label, key)
        combo.activated.connect(lambda *_: self._commit(combo))
        return combo

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class TextDelegate(QStyledItemDelegate):
    """Monospace line edit; a secret value is typed masked (the old value is never shown)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        edit = QLineEdit(parent)
        edit.setFont(icons.monospace_font())
        row = index.data(RowRole) or {}
        if index.column() == VALUE and row.get("mode") == "constant" and is_secret(row.get("value")):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setPlaceholderText("type a new secret value")
            edit.setAccessibleName("Secret value")
        else:
            edit.setAccessibleName(("Name", "Type", "Value or label", "Secret")[index.column()])
        return edit


def fit_columns(view: QTableView) -> None:
    """Type as wide as its header and as "Constant" or "Variable", Secret as its header and a check box:
    what ResizeToContents gave a table holding every kind of row, kept when rows come and go."""
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.font = view.font()
    model, sample = QStandardItemModel(), QStandardItem()
    model.appendRow(sample)  # the delegates measure a cell of the view's font and style
    grid = 1 if view.showGrid() else 0

    def cell(delegate: QAbstractItemDelegate, text: str, checkable: bool) -> int:
        sample.setText(text)
        sample.setCheckable(checkable)
        return delegate.sizeHint(option, sample.index()).width() + grid

    header = view.horizontalHeader()
    modes = [cell(view.itemDelegateForColumn(MODE), text, False) for text in MODES.values()]
    view.setColumnWidth(MODE, max(header.sectionSizeHint(MODE), *modes))
    view.setColumnWidth(SECRET, max(header.sectionSizeHint(SECRET), cell(view.itemDelegate(), "", True)))


class ParamTable(QWidget):
    """The table view plus '+ Header' / 'Remove' buttons and the row problems below it."""

    def __init__(self, model: ParamModel, object_name: str, add_text: str, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.model = model
        self.view = QTableView(self)
        self.view.setObjectName(object_name)
        self.view.setAccessibleName(f"{model.kind.capitalize()}s")
        self.view.setModel(model)
        self.view.setItemDelegate(TextDelegate(self.view))
        self.view.setItemDelegateForColumn(MODE, ModeDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed
                                  | QAbstractItemView.EditTrigger.SelectedClicked)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        # Type and Secret hold the same few things whatever the rows: sized once (see fit_columns), not
        # ResizeToContents, which measured every cell again at each layout pass (~6 passes an open).
        header.setSectionResizeMode(MODE, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(VALUE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SECRET, QHeaderView.ResizeMode.Fixed)
        self.view.setColumnWidth(NAME, 190)
        fit_columns(self.view)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)

        self.add_button = QPushButton(icons.icon("add"), add_text, self)
        self.add_button.setObjectName(f"{object_name}Add")
        self.add_button.setAccessibleName(add_text)
        self.add_button.clicked.connect(self.on_add)
        self.remove_button = QPushButton(icons.icon("remove"), "Remove", self)
        self.remove_button.setObjectName(f"{object_name}Remove")
        self.remove_button.setAccessibleName(f"Remove the selected {model.kind}")
        self.remove_button.clicked.connect(self.on_remove)
        self.problems = QLabel(self)
        self.problems.setObjectName(f"{object_name}Problems")
        self.problems.setWordWrap(True)
        self.problems.hide()

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        layout.addWidget(self.problems)

        delete = self.view.addAction  # Delete key removes the selected row when the table has focus
        from PySide6.QtGui import QAction

        remove_action = QAction("Remove row", self.view)
        remove_action.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove_action.triggered.connect(self.on_remove)
        delete(remove_action)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        model.modelReset.connect(self.refresh)
        model.dataChanged.connect(lambda *_: self.refresh())
        model.rowsInserted.connect(lambda *_: self.refresh())
        model.rowsRemoved.connect(lambda *_: self.refresh())
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            fit_columns(self.view)  # the texts measure differently now
        super().changeEvent(event)

    def set_read_only(self, read_only: bool) -> None:
        self.model.set_read_only(read_only)
        self.add_button.setEnabled(not read_only)
        self._update_buttons()

    def on_add(self) -> None:
        row = self.model.add_row()
        index = self.model.index(row, NAME)
        self.view.setCurrentIndex(index)
        self.view.setFocus()
        self.view.edit(index)

    def on_remove(self) -> None:
        self.model.remove_row(self.view.currentIndex().row())

    def refresh(self) -> None:
        problems = self.model.problems()
        self.problems.setVisible(bool(problems))
        self.problems.setText("\n".join(problems))
        icons.tint(self.problems, "error")
        self.view.updateGeometry()
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.model.can_remove(self.view.currentIndex().row()))
