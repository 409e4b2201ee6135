"""One payload tab: the example editor beside its field tree, re-inferred when typing pauses."""
from __future__ import annotations

from functools import partial
from typing import Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter, QTreeView, QVBoxLayout, QWidget,
)

from app.model.payload import Payload
from ui.jsonedit import JsonEdit
from ui.payload.delegate import ModeDelegate
from ui.payload.infer import clone, example_to_payload, field_count, merge
from ui.payload.model import FIELD, MODE, OPTIONAL, TYPE, VALUE, FieldTreeModel

AMBER = "#b36b00"


class PayloadTab(QWidget):
    """Editor + tree for one payload (request, response or error response)."""

    changed = Signal()

    def __init__(self, where: str, edit_name: str, view_name: str, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.where = where  # "request payload"...: the prefix of its problems
        self._payload: Optional[Payload] = None
        self._snapshot: Optional[Payload] = None  # an untouched copy of _payload for apply_to
        self._snapshot_ok = True
        self._kept_values: set[str] = set()
        self._locked = False
        self._disabled_reason = ""
        self.editor = JsonEdit(self, validator=partial(example_to_payload, where=where))
        self.editor.setObjectName(edit_name)
        self.editor.setAccessibleName(f"{where.capitalize()} example (JSON)")
        self.editor.setPlaceholderText("Paste an example JSON payload here")
        self.model = FieldTreeModel(self)
        self.view = self._make_view(view_name)
        self._build()
        self.editor.validated.connect(self._on_validated)
        self.editor.problemChanged.connect(self._on_problem)
        self.model.fieldEdited.connect(self._on_field_edited)
        self.model.editRefused.connect(self._show_refusal)

    def _make_view(self, name: str) -> QTreeView:
        view = QTreeView(self)
        view.setObjectName(name)
        view.setAccessibleName(f"{self.where.capitalize()} fields")
        view.setModel(self.model)
        view.setUniformRowHeights(True)  # lets the view lay out 20,000 rows lazily
        view.setAlternatingRowColors(True)
        view.setItemDelegate(ModeDelegate(view))
        view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.SelectedClicked)
        header = view.header()
        header.setStretchLastSection(False)
        for column, mode in ((FIELD, QHeaderView.ResizeMode.Interactive), (TYPE, QHeaderView.ResizeMode.Interactive),
                             (MODE, QHeaderView.ResizeMode.Interactive), (VALUE, QHeaderView.ResizeMode.Stretch),
                             (OPTIONAL, QHeaderView.ResizeMode.Interactive)):
            header.setSectionResizeMode(column, mode)
        header.resizeSection(FIELD, 180)
        header.resizeSection(TYPE, 90)
        header.resizeSection(MODE, 80)
        header.resizeSection(OPTIONAL, 70)
        return view

    def _build(self) -> None:
        self._paste = QPushButton("Paste example", self)
        self._paste.setToolTip("Replace the example with the clipboard's JSON")
        self._paste.clicked.connect(self.paste_example)
        self._pretty = QPushButton("Pretty-print", self)
        self._pretty.setToolTip("Re-indent the example (Ctrl+Shift+F)")
        self._pretty.clicked.connect(self.editor.pretty_print)
        self._clear = QPushButton("Clear", self)
        self._clear.setToolTip("Remove this payload")
        self._clear.clicked.connect(lambda: self.replace_text(""))
        self._reason = QLabel(self)
        self._reason.setObjectName("payloadDisabledReason")
        self._reason.setWordWrap(True)
        self._reason.hide()
        self._status = QLabel(self)
        self._status.setObjectName("payloadStatus")
        self._refusal = QLabel(self)
        self._refusal.setObjectName("payloadEditRefused")
        self._refusal.setStyleSheet(f"color: {AMBER};")
        self._refusal.setWordWrap(True)
        self._refusal.hide()
        buttons = QHBoxLayout()
        for button in (self._paste, self._pretty, self._clear):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self._status)
        self._splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self._splitter.addWidget(self.editor)
        tree_box = QWidget(self._splitter)
        tree_layout = QVBoxLayout(tree_box)
        tree_layout.setContentsMargins(0, 0, 0, 0)
        tree_layout.addWidget(self.view)
        tree_layout.addWidget(self._refusal)
        self._splitter.addWidget(tree_box)
        self._splitter.setSizes([400, 500])
        layout = QVBoxLayout(self)
        layout.addWidget(self._reason)
        layout.addLayout(buttons)
        layout.addWidget(self._splitter, 1)

    # -- state -----------------------------------------------------------------------------
    def set_payload(self, payload: Optional[Payload]) -> None:
        """Load a stored payload (its modes, labels, values as saved); not a user edit.

        The tab edits a copy; the given payload is never changed.
        """
        self._snapshot, self._snapshot_ok = payload, True
        payload = clone(payload)
        self._payload = payload
        self._kept_values = set()
        self.model.set_payload(payload)
        self._refusal.hide()
        self.editor.load(payload.example if payload is not None else "", known_result=payload)
        self._update_status()

    def payload(self) -> Optional[Payload]:
        """A copy of the last valid payload (an invalid example does not replace it; problems() says so).

        The copy is not changed by later edits here; it is made again only after an edit.
        """
        self.editor.flush()
        if not self._snapshot_ok:
            self._snapshot, self._snapshot_ok = clone(self._payload), True
        return self._snapshot

    def problem(self) -> Optional[str]:
        if self._disabled_reason:
            return None
        problem = self.editor.problem()
        return f"{self.where}: {problem}" if problem else None

    def set_locked(self, locked: bool) -> None:
        self._locked = locked
        self._apply_editable()

    def set_disabled_reason(self, reason: str) -> None:
        """Disable this payload (e.g. a GET request sends no body) and say why; "" enables it."""
        self._disabled_reason = reason
        self._reason.setText(reason)
        self._reason.setVisible(bool(reason))
        self._apply_editable()

    def _apply_editable(self) -> None:
        read_only = self._locked or bool(self._disabled_reason)
        self.editor.setReadOnly(read_only)
        self.model.set_read_only(read_only)
        for button in (self._paste, self._pretty, self._clear):
            button.setEnabled(not read_only)
        self._splitter.setEnabled(not self._disabled_reason)

    # -- user actions ----------------------------------------------------------------------
    def paste_example(self) -> None:
        text = QGuiApplication.clipboard().text()
        if text.strip():
            self.replace_text(text)

    def replace_text(self, text: str) -> None:
        """Replace the example as a user edit (one undo step in the editor)."""
        if self.editor.isReadOnly():
            return
        self.editor.selectAll()
        self.editor.insertPlainText(text)

    # -- slots -----------------------------------------------------------------------------
    def _on_validated(self, result: Optional[Payload], text: str) -> None:
        old = self._payload
        if (old is None and result is None) or (old is not None and text == old.example):
            return  # the stored payload itself (loading), nothing to re-infer
        self._payload = merge(result, old, frozenset(self._kept_values)) if result is not None else None
        self._snapshot_ok = False
        self.model.set_payload(self._payload)
        self._refusal.hide()
        self._update_status()
        self.changed.emit()

    def _on_problem(self, message: str) -> None:
        if message and not self.editor.is_pending():
            self.changed.emit()  # the edit is done and shown as wrong: Save will list it

    def _on_field_edited(self, path: str) -> None:
        field = self._payload.find(path) if self._payload is not None else None
        if field is not None and field.mode == "constant":
            self._kept_values.add(path)
        self._snapshot_ok = False
        self._refusal.hide()
        self._update_status()
        self.changed.emit()

    def _show_refusal(self, message: str) -> None:
        self._refusal.setText("⚠ " + message)
        self._refusal.show()

    def _update_status(self) -> None:
        total, variables = field_count(self._payload)
        self._status.setText(f"{total} fields · {variables} variable" if total else "")
