"""The form of one node in the journey editor: id and label, the fields of its type (an action's
Variable fields with their label, type and an expression box; a condition's paths; a wait's
duration; a split's percentages; a cap's limit) and where each port leads. A condition's paths
and a split's branches are added and removed here (a removed one takes where it led with it; the
percentages stay at 100 in total: app.journeys.editing). Every field commits
through `NodeEdits.commit`, one undoable step per finished edit."""
from __future__ import annotations

from typing import Any, Callable, Optional, Protocol

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.calls.values import inputs
from app.journeys.editing import (
    NodeData,
    add_branch,
    add_path,
    ports,
    remove_branch,
    remove_path,
    set_percent,
    target,
)
from app.journeys.findings import Finding
from app.model import Action
from ui.journeys.exprbox import ExprBox

NONE = "(none)"


class NodeEdits(Protocol):
    """What the form needs of the editor."""

    actions: dict[str, Action]
    action_names: list[str]

    def commit(self, text: str, change: Callable[[dict[str, Any]], None], rebuild: bool = False) -> None: ...
    def node_ids(self) -> list[str]: ...
    def check(self, node_id: str, field: str) -> Callable[[str], list[Finding]]: ...
    def words(self, node_id: str) -> Callable[[], list[str]]: ...


class NodeForm(QWidget):
    def __init__(self, edits: NodeEdits, node: NodeData, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("journeyNodeForm")
        self.edits, self.node, self.node_id = edits, node, node["id"]
        self.boxes: dict[str, ExprBox] = {}  # field -> its expression box
        self.port_combos: dict[str, QComboBox] = {}
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.id_edit = self._line(form, "&Id", node["id"], self._set_id)
        self.label_edit = self._line(form, "&Label", node.get("label", ""), lambda v: self._set("label", v))
        form.addRow("Type", QLabel(node["type"], self))
        layout.addLayout(form)
        kind = node["type"]
        if kind == "event":
            self._line(form, "E&vent", node.get("event", ""), lambda v: self._set("event", v))
        elif kind == "action":
            layout.addWidget(self._action_box())
        elif kind == "condition":
            layout.addWidget(self._paths_box())
        elif kind == "wait":
            self._line(form, "&Duration", node.get("duration") or "", lambda v: self._set("duration", v or None))
        elif kind == "split":
            layout.addWidget(self._branches_box())
        elif kind == "cap":
            spin = QSpinBox(self)
            spin.setRange(1, 10**9)
            spin.setValue(node.get("limit", 1))
            spin.editingFinished.connect(lambda s=spin: self._set("limit", s.value()))
            form.addRow("Li&mit", spin)
        layout.addWidget(self._ports_box())
        layout.addStretch(1)

    # -- fields ----------------------------------------------------------------------------------
    def _line(self, form: QFormLayout, label: str, value: str, apply: Callable[[str], None]) -> QLineEdit:
        edit = QLineEdit(value, self)
        edit.editingFinished.connect(lambda: apply(edit.text().strip()))  # an edit that changes nothing is no step
        form.addRow(label, edit)
        return edit

    def _set(self, key: str, value: Any, rebuild: bool = False) -> None:
        def change(data: dict[str, Any]) -> None:
            node = _node(data, self.node_id)
            if value is None:
                node.pop(key, None)
            else:
                node[key] = value
        self.edits.commit(f"edit {self.node_id} {key}", change, rebuild)

    def _set_id(self, new: str) -> None:
        from app.journeys.editing import rename_node

        if new and new not in self.edits.node_ids():
            self.edits.commit(f"rename node {self.node_id}", lambda data: rename_node(data, self.node_id, new), True)

    # -- a split's branches (their percentages always add up to 100) ------------------------------
    def _branches_box(self) -> QGroupBox:
        box = QGroupBox("Branches (the percentages add up to 100)", self)
        form = QFormLayout(box)
        branches = self.node.get("branches", [])
        for i, branch in enumerate(branches):
            label = QLineEdit(branch.get("label", ""), box)
            label.setObjectName(f"journeyBranchLabel_{i}")
            label.setPlaceholderText("label")
            label.editingFinished.connect(lambda i=i, e=label: self._item_label("branches", i, e.text().strip()))
            spin = QSpinBox(box)
            spin.setObjectName(f"journeyBranchPercent_{i}")
            spin.setRange(0, 100)
            spin.setSuffix(" %")
            spin.setValue(branch.get("percent", 0))
            spin.setToolTip("The other branches give or take the difference (the last ones first)")
            spin.editingFinished.connect(lambda i=i, s=spin: self._branch_percent(i, s.value()))
            remove = self._remove_button(box, f"journeyRemoveBranch_{i}", len(branches) > 2,
                                         "A split keeps at least two branches",
                                         lambda i=i: self._change(f"remove {self.node_id} branch {i + 1}",
                                                                  lambda d: remove_branch(d, self.node_id, i)))
            form.addRow(f"Branch {i + 1}", _row(box, label, spin, remove))
        add = QPushButton("Add &branch", box)
        add.setObjectName("journeyAddBranch")
        add.setToolTip("A new branch takes half of the largest one's share")
        add.clicked.connect(lambda: self._change(f"add {self.node_id} branch", lambda d: add_branch(d, self.node_id)))
        form.addRow(add)
        return box

    def _branch_percent(self, index: int, value: int) -> None:
        self._change(f"edit {self.node_id} split", lambda data: set_percent(data, self.node_id, index, value))

    def _item_label(self, kind: str, index: int, text: str) -> None:
        def change(data: dict[str, Any]) -> None:
            _node(data, self.node_id)[kind][index]["label"] = text
        self.edits.commit(f"edit {self.node_id} {kind} label", change, rebuild=True)

    def _change(self, text: str, change: Callable[[dict[str, Any]], Any]) -> None:
        """An edit that changes the form's rows (and the ports): the form is built again."""
        self.edits.commit(text, lambda data: _ignore(change(data)), rebuild=True)

    def _remove_button(self, parent: QWidget, name: str, enabled: bool, why_not: str,
                       remove: Callable[[], None]) -> QToolButton:
        button = QToolButton(parent)
        button.setObjectName(name)
        button.setText("Remove")
        button.setEnabled(enabled)
        button.setToolTip("Remove it (and where it led)" if enabled else why_not)
        button.clicked.connect(remove)
        return button

    # -- an action's Variable fields -------------------------------------------------------------
    def _action_box(self) -> QGroupBox:
        box = QGroupBox("Action", self)
        form = QFormLayout(box)
        combo = QComboBox(box)
        combo.setObjectName("journeyActionChoice")
        names = list(self.edits.action_names)
        current = self.node.get("action", "")
        if current not in names:
            names.insert(0, current)
        combo.addItems(names)
        combo.setCurrentText(current)
        combo.activated.connect(lambda _i: self._set("action", combo.currentText(), rebuild=True))
        form.addRow("&Action", combo)
        action = self.edits.actions.get(current)
        if action is None:
            form.addRow(QLabel(f"The action {current!r} is not loaded: choose one of the workspace", box))
            return box
        mapping = self.node.get("mapping", {})
        for item in inputs(action):
            if item.kind != "payload":
                continue
            key = next((k for k in mapping if k == item.key or k.lower() == item.label.lower()), item.key)
            field = f"mapping[{key}]"
            expr = ExprBox(mapping.get(key, ""), self.edits.check(self.node_id, field),
                           self.edits.words(self.node_id), box)
            expr.setObjectName(f"journeyMapping_{item.key}")
            expr.setPlaceholderText("optional" if item.optional else "required: an expression")
            expr.setAccessibleName(f"{item.label or item.key} ({item.type})")
            expr.committed.connect(lambda text, key=key: self._map(key, text))
            self.boxes[field] = expr
            holder = QWidget(box)
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(expr)
            column.addWidget(expr.problem)
            needed = "" if item.optional else " · required"
            caption = QLabel(f"{item.label or item.key}\n{item.key} · {item.type}{needed}", box)
            caption.setBuddy(expr)
            form.addRow(caption, holder)
        return box

    def _map(self, key: str, text: str) -> None:
        def change(data: dict[str, Any]) -> None:
            mapping = _node(data, self.node_id).setdefault("mapping", {})
            if text.strip():
                mapping[key] = text
            else:
                mapping.pop(key, None)
        self.edits.commit(f"edit mapping {key}", change)

    # -- a condition's paths -----------------------------------------------------------------------
    def _paths_box(self) -> QGroupBox:
        box = QGroupBox("Paths (the first true one is taken)", self)
        form = QFormLayout(box)
        paths = self.node.get("paths", [])
        for i, path in enumerate(paths):
            field = f"paths[{i}].expression"
            expr = ExprBox(path.get("expression", ""), self.edits.check(self.node_id, field),
                           self.edits.words(self.node_id), box)
            expr.setObjectName(f"journeyPath_{i}")
            expr.committed.connect(lambda text, i=i: self._path(i, text))
            self.boxes[field] = expr
            label = QLineEdit(path.get("label", ""), box)
            label.setObjectName(f"journeyPathLabel_{i}")
            label.setPlaceholderText(f"label (shown on the diagram; default: path {i + 1})")
            label.editingFinished.connect(lambda i=i, e=label: self._item_label("paths", i, e.text().strip()))
            remove = self._remove_button(box, f"journeyRemovePath_{i}", len(paths) > 1,
                                         "A condition keeps at least one path",
                                         lambda i=i: self._change(f"remove {self.node_id} path {i + 1}",
                                                                  lambda d: remove_path(d, self.node_id, i)))
            holder = QWidget(box)
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(_row(holder, label, remove))
            column.addWidget(expr)
            column.addWidget(expr.problem)
            form.addRow(f"Path {i + 1}", holder)
        add = QPushButton("Add &path", box)
        add.setObjectName("journeyAddPath")
        add.setToolTip("A new last path (tried after the others, before other cases)")
        add.clicked.connect(lambda: self._change(f"add {self.node_id} path", lambda d: add_path(d, self.node_id)))
        form.addRow(add)
        return box

    def _path(self, index: int, text: str) -> None:
        def change(data: dict[str, Any]) -> None:
            _node(data, self.node_id)["paths"][index]["expression"] = text
        self.edits.commit(f"edit {self.node_id} path {index + 1}", change)

    # -- where each port leads ---------------------------------------------------------------------
    def _ports_box(self) -> QGroupBox:
        box = QGroupBox("Goes to", self)
        form = QFormLayout(box)
        others = [i for i in self.edits.node_ids() if i != self.node_id]
        for port in ports(self.node):
            combo = QComboBox(box)
            combo.setObjectName(f"journeyPort_{port}")
            combo.addItem(NONE)
            combo.addItems(others)
            current = target(self.node, port)
            if current and current not in others:
                combo.addItem(current)  # a dangling target stays visible (validation names it)
            combo.setCurrentText(current or NONE)
            combo.activated.connect(lambda _i, port=port, c=combo: self._connect(port, c.currentText()))
            self.port_combos[port] = combo
            form.addRow(port, combo)
        if not ports(self.node):
            form.addRow(QLabel("An end node leads nowhere", box))
        return box

    def _connect(self, port: str, chosen: str) -> None:
        from app.journeys.editing import connect

        to = None if chosen == NONE else chosen
        if to != target(self.node, port):
            self.edits.commit(f"connect {self.node_id} {port}", lambda data: connect(data, self.node_id, port, to))

    def has_refused(self) -> list[str]:
        """The expression boxes holding a text with errors (refused: the journey keeps the last good one)."""
        return [field for field, box in self.boxes.items() if box.errors]


def _row(parent: QWidget, *widgets: QWidget) -> QWidget:
    holder = QWidget(parent)
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    for i, widget in enumerate(widgets):
        row.addWidget(widget, 1 if i == 0 else 0)
    return holder


def _ignore(_value: Any) -> None:
    return None


def _node(data: dict[str, Any], node_id: str) -> dict[str, Any]:
    from app.journeys.editing import find

    return find(data, node_id)
