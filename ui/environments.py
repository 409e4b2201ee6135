"""The Environments dialog: environments, their {{variables}} (secret ones in the keyring), the active one."""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Optional

from pydantic import ValidationError
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.model import MASK, EnvironmentSet, error_lines
from ui import icons, message
from ui.rowsmodel import RowsTableModel
from ui.workers import run_in_background

if TYPE_CHECKING:
    from app.services import Services

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Variable", "Value", "Secret")


def _is_secret(value: Any) -> bool:
    return isinstance(value, dict) and "secret" in value


class VariablesModel(RowsTableModel):
    """The variables of one environment as raw rows {name, value} (value may be {"secret": ref})."""

    columns = COLUMNS

    edited = Signal()

    def __init__(self, dialog: "EnvironmentsDialog", parent: Any = None) -> None:
        super().__init__(parent)
        self._dialog = dialog
        self._rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = rows  # shared with the dialog's working copy on purpose
        self.endResetModel()

    def add_row(self) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append({"name": "", "value": ""})
        self.endInsertRows()
        return row

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        return base | (Qt.ItemFlag.ItemIsUserCheckable if index.column() == 2 else Qt.ItemFlag.ItemIsEditable)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        r, col = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == 0:
                return r["name"]
            if col == 1:
                return MASK if _is_secret(r["value"]) else r["value"]
            return None
        if role == Qt.ItemDataRole.EditRole and col in (0, 1):
            return r["name"] if col == 0 else ("" if _is_secret(r["value"]) else r["value"])
        if role == Qt.ItemDataRole.CheckStateRole and col == 2:
            return Qt.CheckState.Checked if _is_secret(r["value"]) else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.FontRole and col in (0, 1):
            return icons.monospace_font()
        if role == Qt.ItemDataRole.ToolTipRole and col == 1 and _is_secret(r["value"]):
            return "A secret kept in the keyring; type to replace it"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        r, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == 2:
            secret = Qt.CheckState(value) == Qt.CheckState.Checked
            if secret and not _is_secret(r["value"]):
                r["value"] = {"secret": self._dialog.make_secret(str(r["value"]), r["name"])}
            elif not secret and _is_secret(r["value"]):
                r["value"] = self._dialog.pending.get(r["value"]["secret"], "")
        elif role == Qt.ItemDataRole.EditRole and col == 0:
            r["name"] = str(value).strip()
        elif role == Qt.ItemDataRole.EditRole and col == 1:
            r["value"] = ({"secret": self._dialog.make_secret(str(value), r["name"])} if _is_secret(r["value"])
                          else str(value))
        else:
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), 2))
        self.edited.emit()
        return True


class EnvironmentsDialog(QDialog):
    """Edit a working copy; Save validates it, stores typed secrets and writes environments.json."""

    saved = Signal()

    def __init__(self, services: Services, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("environmentsDialog")
        self.setWindowTitle("Environments")
        self.resize(820, 480)
        self.services = services
        self.pending: dict[str, str] = {}
        current = services.environments().dump()
        self._envs: list[dict[str, Any]] = copy.deepcopy(current.get("environments", []))
        for env in self._envs:
            env.setdefault("variables", [])

        self.env_list = QListWidget(self)
        self.env_list.setObjectName("envList")
        self.env_list.setAccessibleName("Environments")
        add_env = QPushButton(icons.icon("add"), "Environment", self)
        add_env.setObjectName("envAddButton")
        add_env.setAccessibleName("Add an environment")
        add_env.clicked.connect(self.on_add_env)
        self.remove_env = QPushButton(icons.icon("remove"), "Remove", self)
        self.remove_env.setObjectName("envRemoveButton")
        self.remove_env.setAccessibleName("Remove the selected environment")
        self.remove_env.clicked.connect(self.on_remove_env)

        self.model = VariablesModel(self, self)
        self.table = QTableView(self)
        self.table.setObjectName("variablesTable")
        self.table.setAccessibleName("Variables")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(0, 170)
        add_var = QPushButton(icons.icon("add"), "Variable", self)
        add_var.setObjectName("variableAddButton")
        add_var.setAccessibleName("Add a variable")
        add_var.clicked.connect(self.on_add_variable)
        remove_var = QPushButton(icons.icon("remove"), "Remove", self)
        remove_var.setObjectName("variableRemoveButton")
        remove_var.setAccessibleName("Remove the selected variable")
        remove_var.clicked.connect(lambda: self.model.remove_row(self.table.currentIndex().row()))
        hint = QLabel("Use a variable as {{name}} in URLs, header values and authentication fields. "
                      "{{sandbox.url}} is the local sandbox (started when needed).", self)
        hint.setWordWrap(True)
        icons.tint(hint, "quiet")

        self.active_combo = QComboBox(self)
        self.active_combo.setObjectName("activeEnvCombo")
        self.active_combo.setAccessibleName("Active environment")
        self.problems = QLabel(self)
        self.problems.setObjectName("envProblems")
        self.problems.setWordWrap(True)
        icons.tint(self.problems, "error")
        self.problems.hide()
        buttons = QDialogButtonBox.StandardButton
        self.buttons = QDialogButtonBox(buttons.Save | buttons.Cancel, self)
        self.buttons.accepted.connect(self.on_save)
        self.buttons.rejected.connect(self.reject)

        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.env_list, 1)
        lb = QHBoxLayout()
        lb.addWidget(add_env)
        lb.addWidget(self.remove_env)
        lv.addLayout(lb)
        right = QWidget(self)
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.table, 1)
        rb = QHBoxLayout()
        rb.addWidget(add_var)
        rb.addWidget(remove_var)
        rb.addStretch(1)
        rv.addLayout(rb)
        rv.addWidget(hint)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([200, 600])
        form = QFormLayout()
        form.addRow("Active environment", self.active_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

        self.env_list.currentRowChanged.connect(self._on_env_row)
        self.env_list.itemChanged.connect(self._on_env_renamed)
        self._fill(current.get("active", ""))

    # -- environments ---------------------------------------------------------------------------
    def _fill(self, active: str, select: int = 0) -> None:
        self.env_list.blockSignals(True)
        self.env_list.clear()
        for env in self._envs:
            self.env_list.addItem(env["name"])
            item = self.env_list.item(self.env_list.count() - 1)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.env_list.blockSignals(False)
        self.active_combo.clear()
        self.active_combo.addItems([e["name"] for e in self._envs])
        self.active_combo.setCurrentText(active)
        self.remove_env.setEnabled(bool(self._envs))
        if self._envs:
            self.env_list.setCurrentRow(min(select, len(self._envs) - 1))
            self._on_env_row(self.env_list.currentRow())
        else:
            self.model.set_rows([])

    def _on_env_row(self, row: int) -> None:
        self.model.set_rows(self._envs[row]["variables"] if 0 <= row < len(self._envs) else [])

    def _on_env_renamed(self, item: Any) -> None:
        row = self.env_list.row(item)
        old = self._envs[row]["name"]
        self._envs[row]["name"] = item.text().strip()
        active = self.active_combo.currentText()
        self._fill(item.text().strip() if active == old else active, row)

    def on_add_env(self) -> None:
        names = {e["name"] for e in self._envs}
        name = next(f"environment{n}" if n else "environment" for n in range(1000)
                    if (f"environment{n}" if n else "environment") not in names)
        self._envs.append({"name": name, "variables": []})
        self._fill(self.active_combo.currentText() or name, len(self._envs) - 1)
        self.env_list.editItem(self.env_list.currentItem())

    def on_remove_env(self) -> None:
        row = self.env_list.currentRow()
        if 0 <= row < len(self._envs):
            del self._envs[row]
            self._fill(self.active_combo.currentText(), max(0, row - 1))

    def on_add_variable(self) -> None:
        if self.env_list.currentRow() < 0:
            return
        row = self.model.add_row()
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    # -- secrets and saving ---------------------------------------------------------------------
    def make_secret(self, plain: str, hint: str) -> str:
        key = self.services.secrets.new_ref(f"env/{hint or 'variable'}").secret
        self.pending[key] = plain
        return key

    def environment_set(self) -> EnvironmentSet:
        """The edited set, validated (raises ValidationError)."""
        return EnvironmentSet.model_validate({"active": self.active_combo.currentText(), "environments": self._envs})

    def on_save(self) -> None:
        try:
            envs = self.environment_set()
        except ValidationError as exc:
            self.problems.setText("\n".join(error_lines(exc)))
            self.problems.show()
            return
        refs = {v.value.secret for e in envs.environments for v in e.variables if not isinstance(v.value, str)}
        secrets = {k: v for k, v in self.pending.items() if k in refs}
        self.buttons.setEnabled(False)
        services = self.services  # the worker gets the collaborators, never the dialog

        def write() -> None:
            from app.model import SecretRef

            for key, value in secrets.items():
                services.secrets.put(value, ref=SecretRef(secret=key))
            services.save_environments(envs)

        def done(_: Any) -> None:
            import shiboken6

            if not shiboken6.isValid(self):
                return  # the dialog was closed (Escape) while the save ran: it is saved anyway
            message.info(f"Saved {len(envs.environments)} environment(s); active: {envs.active or 'none'}")
            self.saved.emit()
            self.accept()

        def failed(exc: BaseException) -> None:
            self.buttons.setEnabled(True)
            self.problems.setText(f"Not saved: {exc}")
            self.problems.show()

        run_in_background(write, owner=self, on_done=done, on_error=failed)
