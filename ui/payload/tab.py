"""One payload tab: the example editor beside its field tree, re-inferred when typing pauses."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.model.payload import Payload
from ui import icons
from ui.jsonedit import JsonEdit
from ui.naming import name_parts
from ui.payload.delegate import ModeDelegate
from ui.payload.infer import changed_rows, example_to_payload, field_count, merge, parse_example
from ui.payload.model import FIELD, MODE, OPTIONAL, TYPE, VALUE, FieldTreeModel
from ui.payload.patch import inferred_from, patch
from ui.payload.retire import retire
from ui.wraplabel import ElidedLabel


@dataclass(frozen=True)
class Inferred:
    """A re-inferred example, merged in the worker against the tree as it was then."""

    payload: Optional[Payload]
    # The tree the settings were taken from, by the model's revision: holding the tree itself would
    # free it on the UI thread when the editor drops this result (see retire.py).
    revision: int
    edit_count: int  # the model's edit count at that moment
    counts: Optional[tuple[int, int]]  # (fields, variables); None: those of that tree (same shape)
    # The rows whose settings differ from that tree's when both have one shape (else None): the
    # tree is then swapped under the view instead of reset (infer.changed_rows)
    changes: Optional[list[tuple[int, ...]]] = None
    doc: Any = None  # the parsed example: the next re-infer patches the tree against it (patch.py)
    patched: bool = False  # the tree shares the fields of that tree that did not change


class PayloadTab(QWidget):
    """Editor + tree for one payload (request, response or error response)."""

    changed = Signal()

    def __init__(self, where: str, edit_name: str, view_name: str, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.where = where  # "request payload"...: the prefix of its problems
        self._kept_values: frozenset[str] = frozenset()  # replaced, never mutated: workers read it
        # (model revision, the document the tree of that revision was inferred from): what a
        # re-infer patches against (patch.py); None after a load (a stored tree may differ from its example)
        self._basis: Optional[tuple[int, Any]] = None
        self._locked = False
        self._disabled_reason = ""
        self._status_timer = QTimer(self, singleShot=True, interval=250)
        self._status_timer.timeout.connect(self._update_status)
        self.editor = JsonEdit(self, validator=self._infer)
        self.editor.setObjectName(edit_name)
        self.editor.setAccessibleName(f"{where.capitalize()} example (JSON)")
        self.editor.setPlaceholderText("Paste an example JSON payload here")
        self.model = FieldTreeModel(self)
        self.view = self._make_view(view_name)
        self._build()
        name_parts(self, {"Status": self._status, "DisabledReason": self._reason, "EditRefused": self._refusal})
        self.setObjectName(edit_name.removesuffix("Edit"))  # requestPayload: requestPayloadStatus...
        self.editor.validated.connect(self._on_validated)
        self.editor.problemChanged.connect(self._on_problem)
        self.model.fieldEdited.connect(self._on_field_edited)
        self.model.constantEdited.connect(self._on_constant_edited)
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
        header.resizeSection(FIELD, 150)
        header.resizeSection(TYPE, 80)
        header.resizeSection(MODE, 75)
        header.resizeSection(OPTIONAL, 60)
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
        self._reason.setWordWrap(True)
        self._reason.hide()
        self._status = ElidedLabel(self)  # a narrow pane cuts the counts short rather than scrolling sideways
        self._refusal = QLabel(self)
        icons.tint(self._refusal, "warning")  # the palette's amber: readable on light and dark
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
        self._splitter.setSizes([380, 620])  # the tree has five columns; the editor wraps nothing
        layout = QVBoxLayout(self)
        layout.addWidget(self._reason)
        layout.addLayout(buttons)
        layout.addWidget(self._splitter, 1)

    # -- state -----------------------------------------------------------------------------
    def set_payload(self, payload: Optional[Payload]) -> None:
        """Load a stored payload (its modes, labels, values as saved); not a user edit.

        The given payload is never changed: the tree copies what an edit touches.
        """
        self._kept_values = frozenset()
        self._basis = None
        old = self.model.payload()
        self.model.set_payload(payload)
        retire(old)
        self._refusal.hide()
        self.editor.load(payload.example if payload is not None else "",
                         known_result=Inferred(payload, self.model.revision, self.model.edit_count, (0, 0)))
        self._update_status()

    def payload(self) -> Optional[Payload]:
        """The last valid payload (an invalid example does not replace it; problems() says so).

        Later edits here never change the returned object (copy on write in the model).
        """
        self.editor.flush()
        return self.model.snapshot()

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
    def _infer(self, text: str) -> Inferred:
        """The editor's validator (in a worker): infer the example and merge the current settings."""
        revision = self.model.revision  # first: a tree set meanwhile then shows as a newer revision
        old, edits = self.model.payload(), self.model.edit_count
        basis = self._basis
        if old is not None and text == old.example:
            return Inferred(old, revision, edits, (0, 0))  # unchanged text: nothing to re-infer
        data = parse_example(text, self.where)
        if old is not None and data is not None and (basis is None or basis[0] != revision):
            basis = self._checked_basis(old, revision)  # after a load: the tree may not be its example's
        if old is not None and data is not None and basis is not None:
            patched = patch(text, data, old, basis[1], self._kept_values)
            if patched is not None:
                counts = None if patched.same_shape else field_count(patched.payload)
                return Inferred(patched.payload, revision, edits, counts, patched.changes, data, patched=True)
        payload = example_to_payload(text, self.where, data)
        if payload is not None:
            merge(payload, old, self._kept_values)
        return Inferred(payload, revision, edits, field_count(payload), changed_rows(payload, old), data)

    def _checked_basis(self, old: Payload, revision: int) -> Optional[tuple[int, Any]]:
        """(revision, the parsed example of `old`) when `old` is that example's tree, else None."""
        try:
            doc = parse_example(old.example, self.where)
        except ValueError:
            return None
        return (revision, doc) if doc is not None and inferred_from(old, doc, self._kept_values) else None

    def _on_validated(self, result: Inferred, text: str) -> None:
        old = self.model.payload()
        if result.payload is old:
            return  # the stored payload itself (loading) or the same text again
        payload, changes, counts = result.payload, result.changes, result.counts
        stale = result.revision != self.model.revision or result.edit_count != self.model.edit_count
        if payload is not None and stale:  # the tree changed while the worker ran
            if result.patched:
                # Its unchanged fields are the older tree's: merging into them would change that
                # tree (an undo step may hold it). Its fields are patched again against the tree
                # shown now (a few ms: patch.py) and replace those of the result's own Payload.
                fresh = self._infer(text).payload or payload  # (the same text: never empty)
                object.__setattr__(payload, "root", fresh.root)
                object.__setattr__(payload, "fields", list(fresh.fields))
                counts = field_count(payload)
            else:
                merge(payload, old, self._kept_values)
        if payload is not None and changes is not None and not stale:
            self.model.swap_payload(payload, changes)  # `old` is the tree the rows were found in
        else:
            self.model.set_payload(payload)
        self._basis = (self.model.revision, result.doc) if payload is not None else None
        retire(old)  # freed off the UI thread, a field at a time
        self._refusal.hide()
        if counts is not None:
            self._status.setText(_status_text(*counts))
        self.changed.emit()

    def _on_problem(self, message: str) -> None:
        if message and not self.editor.is_pending():
            self.changed.emit()  # the edit is done and shown as wrong: Save will list it

    def _on_constant_edited(self, path: str) -> None:
        self._kept_values = self._kept_values | {path}

    def _on_field_edited(self, path: str) -> None:
        self._refusal.hide()
        self._status_timer.start()  # counting 20,000 fields waits for a pause
        self.changed.emit()

    def _show_refusal(self, message: str) -> None:
        self._refusal.setText("⚠ " + message)
        self._refusal.show()

    def _update_status(self) -> None:
        self._status.setText(_status_text(*field_count(self.model.payload())))


def _status_text(total: int, variables: int) -> str:
    return f"{total} fields · {variables} variable" if total else ""
