"""The payload field tree as a lazy QAbstractItemModel: nodes are made only for rows the view asks for.

Columns: field, type, mode (Constant/Variable), value or label, optional. A 20,000-field example
costs one small node per row the user has scrolled past, never a widget per row.

Copy on write: the payload given to `set_payload` and every `snapshot()` handed out are never
changed; an edit first copies the fields on the path from the root to the edited one (and the
subtree a mode toggle carries), so a snapshot costs nothing however big the payload.
"""
from __future__ import annotations

import json
from typing import Any, Optional

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from app import jsonstrict
from app.model.payload import Payload, PayloadField, set_mode, type_problem

COLUMNS = ("Field", "Type", "Mode", "Value / label", "Optional")
FIELD, TYPE, MODE, VALUE, OPTIONAL = range(5)
FieldRole = Qt.ItemDataRole.UserRole + 1  # the PayloadField itself
PathRole = Qt.ItemDataRole.UserRole + 2  # its dotted path (items[].sku)
MODE_TEXT = {"constant": "Constant", "variable": "Variable"}
_CONTAINERS = ("object", "listObject")
_TEXT_TYPES = ("string", "dateTime", "dateOnly")
Index = QModelIndex | QPersistentModelIndex
# Flags made once: a paint asks them per cell, and combining Qt's enum flags costs Python calls.
_SHOWN = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_EDITABLE = _SHOWN | Qt.ItemFlag.ItemIsEditable
_CHECKABLE = _SHOWN | Qt.ItemFlag.ItemIsUserCheckable
_ANSWERED = frozenset(int(role) for role in (  # every role _value may answer
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.CheckStateRole,
    Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole, FieldRole, PathRole))


class _Node:
    """One row: the field, its parent node and its row; children are made on first use."""

    __slots__ = ("field", "parent", "row", "_children")

    def __init__(self, field: Optional[PayloadField], parent: Optional["_Node"], row: int,
                 fields: Optional[list[PayloadField]] = None) -> None:
        self.field, self.parent, self.row = field, parent, row
        self._children: Optional[list[_Node]] = None
        if fields is not None:  # the invisible root
            self._children = [_Node(f, self, i) for i, f in enumerate(fields)]

    def child_fields(self) -> list[PayloadField]:
        return self.field.children if self.field is not None else []

    def children(self) -> list["_Node"]:
        if self._children is None:
            self._children = [_Node(f, self, i) for i, f in enumerate(self.child_fields())]
        return self._children

    def count(self) -> int:
        return len(self._children) if self._children is not None else len(self.child_fields())

    def made_children(self) -> list["_Node"]:
        return self._children or []

    def unlink(self) -> None:
        """Break this subtree's parent/child cycles, so dropping it frees it by reference count.

        Left as cycles, the nodes of a replaced tree kept every field of it alive until a garbage
        collection found them: after a few 1 MB re-infers, one collection of ~900,000 objects
        stalled every thread ~600 ms (issue 14), and the tree was never freed off the UI thread."""
        stack = [self]
        while stack:
            node = stack.pop()
            stack.extend(node._children or ())
            node._children, node.parent = None, None

    def path(self) -> str:
        parent = self.parent
        if parent is None or parent.field is None:
            return self.field.name if self.field else ""
        prefix = parent.path() + ("[]" if parent.field.type == "listObject" else "")
        return f"{prefix}.{self.field.name}" if self.field else prefix

    def under_variable(self) -> bool:
        """Whether an enclosing object or array of objects is Variable (the journey fills it whole)."""
        node = self.parent
        while node is not None and node.field is not None:
            if node.field.mode == "variable" and node.field.type in _CONTAINERS:
                return True
            node = node.parent
        return False


def parse_constant(ftype: str, text: str) -> Any:
    """The value typed in the tree, read for its field type; raises ValueError saying why not."""
    if ftype in _TEXT_TYPES:
        value: Any = text
    else:
        try:
            value = jsonstrict.loads(text)
        except json.JSONDecodeError:
            raise ValueError(f"{text!r} is not a valid {ftype} value") from None
    problem = type_problem(ftype, value)  # type: ignore[arg-type]
    if problem:
        raise ValueError(problem)
    return value


def show_value(field: PayloadField) -> str:
    if field.type in _CONTAINERS:
        return ""
    if field.value is None:
        return "null"
    if isinstance(field.value, str):
        return field.value
    return json.dumps(field.value, ensure_ascii=False)


class FieldTreeModel(QAbstractItemModel):
    """Edits a Payload's fields in place; `fieldEdited(path)` after each accepted change."""

    fieldEdited = Signal(str)  # the path of a field changed by the user
    constantEdited = Signal(str)  # the path of a field whose constant value the user typed
    editRefused = Signal(str)  # why a typed value was not accepted

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._payload: Optional[Payload] = None
        self._root = _Node(None, None, 0, [])
        self._read_only = False
        self._owned: dict[int, PayloadField] = {}  # fields copied since the last snapshot
        self._payload_owned = False
        self.edit_count = 0  # bumped on every accepted edit (workers check it before merging)
        self.revision = 0  # bumped by every set_payload (workers check it before merging)
        self._italic = QFont()
        self._italic.setItalic(True)

    # -- content ---------------------------------------------------------------------------
    def set_payload(self, payload: Optional[Payload]) -> None:
        """Show a payload; it is not changed by later edits (they copy what they touch)."""
        self.beginResetModel()
        old_root = self._root
        self._payload = payload
        self._owned = {}
        self._payload_owned = False
        self._root = _Node(None, None, 0, payload.fields if payload is not None else [])
        self.revision += 1  # after the tree: a worker reads the revision first, then the tree
        self.endResetModel()
        old_root.unlink()  # after the reset: no index points at the old nodes any more

    def swap_payload(self, payload: Payload, changed: list[tuple[int, ...]]) -> None:
        """Show a payload with the shown one's rows (`infer.changed_rows` or `patch.patch` said so,
        listing the rows that show differently: what is under them repaints too) without a reset:
        the rows made so far show its fields, and only the changed ones repaint. A reset re-lays out
        and repaints the whole tree on the UI thread after every re-infer of a 1 MB example (issue 14:
        UI stalls); the view keeps what is expanded."""
        self._payload = payload
        self._owned = {}
        self._payload_owned = False
        stack: list[tuple[_Node, list[PayloadField]]] = [(self._root, payload.fields)]
        while stack:  # only nodes already made: the others are made from the new fields when asked
            node, fields = stack.pop()
            for child in node.made_children():
                child.field = fields[child.row]
                stack.append((child, child.field.children))
        self.revision += 1
        for rows in changed:
            made: Optional[_Node] = self._root
            for row in rows:
                children = made.made_children() if made is not None else []
                made = children[row] if row < len(children) else None
            if made is not None:  # not made: no view has shown it
                first = self.createIndex(made.row, 0, made)
                self.dataChanged.emit(first, first.siblingAtColumn(len(COLUMNS) - 1))
                self._descendants_changed(made)  # a container's mode sets its children's flags

    def payload(self) -> Optional[Payload]:
        """The payload as shown now (read it, do not change it)."""
        return self._payload

    def snapshot(self) -> Optional[Payload]:
        """The current payload, frozen: later edits here no longer change it."""
        self._owned = {}
        self._payload_owned = False
        return self._payload

    # -- copy on write ---------------------------------------------------------------------
    def _own(self, field: PayloadField) -> PayloadField:
        if id(field) in self._owned:
            return field
        copied = field.__copy__()  # pydantic's shallow copy: its own __dict__, no validation
        copied.__dict__["children"] = list(field.children)
        self._owned[id(copied)] = copied
        return copied

    def _detach(self, node: _Node) -> PayloadField:
        """Make the fields from the root down to `node` this model's own; returns node's field."""
        if not self._payload_owned and self._payload is not None:
            payload = self._payload.__copy__()
            payload.__dict__["fields"] = list(self._payload.fields)
            self._payload, self._payload_owned = payload, True
        chain = []
        current: Optional[_Node] = node
        while current is not None and current.field is not None:
            chain.append(current)
            current = current.parent
        siblings = self._payload.fields if self._payload is not None else []
        for link in reversed(chain):
            owned = self._own(link.field)
            siblings[link.row] = link.field = owned
            siblings = owned.children
        return node.field

    def _detach_subtree(self, field: PayloadField, node: Optional[_Node]) -> None:
        """Own every descendant of an owned field (a mode toggle changes them all)."""
        made = node.made_children() if node is not None else []
        for row, child in enumerate(field.children):
            owned = self._own(child)
            field.children[row] = owned
            child_node = made[row] if row < len(made) else None
            if child_node is not None:
                child_node.field = owned
            self._detach_subtree(owned, child_node)

    def set_read_only(self, read_only: bool) -> None:
        if read_only == self._read_only:
            return
        self.layoutAboutToBeChanged.emit()
        self._read_only = read_only
        self.layoutChanged.emit()

    def index_of_path(self, path: str) -> QModelIndex:
        """The index of a field by its path (items[].sku), making nodes along the way."""
        node = self._root
        parent = QModelIndex()
        for part in _split_path(path):
            match = next((c for c in node.children() if c.field is not None and c.field.name == part), None)
            if match is None:
                return QModelIndex()
            node = match
            parent = self.createIndex(node.row, 0, node)
        return parent

    # -- structure -------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        node = self._node(parent)
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        if row >= node.count():
            return QModelIndex()
        return self.createIndex(row, column, node.children()[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node: _Node = index.internalPointer()
        parent = node.parent
        if parent is None or parent.field is None:
            return QModelIndex()
        return self.createIndex(parent.row, 0, parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return self._node(parent).count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(COLUMNS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:
        return self.rowCount(parent) > 0

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None

    def _node(self, index: Index) -> _Node:
        return index.internalPointer() if index.isValid() else self._root

    # -- data ------------------------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._read_only:
            return _SHOWN
        node: _Node = index.internalPointer()
        field = node.field
        column = index.column()
        if column == MODE and not node.under_variable():
            return _EDITABLE
        if column == VALUE and (field.mode == "variable" or field.type not in _CONTAINERS):
            return _EDITABLE
        return _CHECKABLE if column == OPTIONAL else _SHOWN

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self._value(index.internalPointer(), index.column(), role)

    def multiData(self, index: Index, roleDataSpan: Any) -> None:  # noqa: N803 - Qt's name
        """Every role a delegate paints a cell with, in one call (Qt 6's delegates ask so): a repaint
        of the tree calls into Python once per cell instead of seven times (issue 14: UI stalls).
        Roles the tree never answers (alignment, colours, icon: most of what a paint asks) are
        cleared without a look-up: a repaint after a re-infer asks ~1,700 of them."""
        node: Optional[_Node] = index.internalPointer() if index.isValid() else None
        column = index.column()
        for role_data in roleDataSpan:
            role = role_data.role()
            value = self._value(node, column, role) if node is not None and role in _ANSWERED else None
            if value is None:
                role_data.clearData()
            else:
                role_data.setData(value)

    def _value(self, node: _Node, column: int, role: int) -> Any:
        field = node.field
        if role == FieldRole:
            return field
        if role == PathRole:
            return node.path()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(field, column, role)
        if role == Qt.ItemDataRole.CheckStateRole and column == OPTIONAL:
            return Qt.CheckState.Checked if field.optional else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(node, column)
        if role == Qt.ItemDataRole.FontRole and column == VALUE and field.mode == "variable":
            return self._italic
        return None

    def _text(self, field: PayloadField, column: int, role: int) -> Any:
        if column == FIELD:
            return field.name
        if column == TYPE:
            return field.type
        if column == MODE:
            return field.mode if role == Qt.ItemDataRole.EditRole else MODE_TEXT[field.mode]
        if column == VALUE:
            return field.label if field.mode == "variable" else show_value(field)
        return None

    def _tooltip(self, node: _Node, column: int) -> Optional[str]:
        if column == MODE and node.under_variable():
            return "Set by the enclosing Variable object: the journey author fills it whole"
        if column == VALUE:
            return ("The label journey authors see" if node.field.mode == "variable"
                    else "The constant value sent (hidden from journey authors)")
        if column == OPTIONAL:
            return "The journey author may leave this field out"
        return node.path()

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        editable = Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable
        if not index.isValid() or not (self.flags(index) & editable):
            return False
        node: _Node = index.internalPointer()
        column = index.column()
        if column == MODE and role == Qt.ItemDataRole.EditRole:
            return self._set_mode(index, node, str(value).strip().lower())
        if column == VALUE and role == Qt.ItemDataRole.EditRole:
            return self._set_value(index, node, "" if value is None else str(value))
        if column == OPTIONAL and role == Qt.ItemDataRole.CheckStateRole:
            state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(int(value))
            self._detach(node).optional = state == Qt.CheckState.Checked
            self._changed(index, node)
            return True
        return False

    def _set_mode(self, index: Index, node: _Node, mode: str) -> bool:
        if mode not in MODE_TEXT:
            return False
        if node.field.mode == mode:
            return True
        field = self._detach(node)
        if field.type in _CONTAINERS:
            self._detach_subtree(field, node)
        set_mode(field, mode)  # type: ignore[arg-type]
        if mode == "constant" and field.type in _CONTAINERS:
            _all_constant(field.children)  # toggling back carries the children too
        if mode == "variable":
            _default_labels(field)
        self._changed(index, node)
        self._descendants_changed(node)
        return True

    def _set_value(self, index: Index, node: _Node, text: str) -> bool:
        if node.field.mode == "variable":
            field = self._detach(node)
            field.label = text.strip() or field.name
        else:
            try:
                value = parse_constant(node.field.type, text)
            except ValueError as exc:
                self.editRefused.emit(f"{node.path()}: {exc}")
                return False
            self._detach(node).value = value
            self.constantEdited.emit(node.path())
        self._changed(index, node)
        return True

    def _changed(self, index: Index, node: _Node) -> None:
        self.edit_count += 1
        first = self.index(index.row(), 0, index.parent())
        last = self.index(index.row(), len(COLUMNS) - 1, index.parent())
        self.dataChanged.emit(first, last)
        self.fieldEdited.emit(node.path())

    def _descendants_changed(self, node: _Node) -> None:
        stack = [node]
        while stack:
            current = stack.pop()
            made = current.made_children()
            if made:
                parent = self.createIndex(current.row, 0, current)
                self.dataChanged.emit(self.index(0, 0, parent), self.index(len(made) - 1, len(COLUMNS) - 1, parent))
                stack.extend(made)


def _split_path(path: str) -> list[str]:
    return [part for part in path.replace("[]", "").split(".") if part] if path else []


def _all_constant(fields: list[PayloadField]) -> None:
    for field in fields:
        field.mode = "constant"
        _all_constant(field.children)


def _default_labels(field: PayloadField) -> None:
    """A Variable needs a label for journey authors: default it to the field name."""
    if field.mode == "variable" and not field.label:
        field.label = field.name
    for child in field.children:
        _default_labels(child)
