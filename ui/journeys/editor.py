"""The journey editor (objectName `journeyEditor`): the journey's properties (the list's first row,
ui.journeys.propertiesform) and its nodes as a list (add after the selected one, remove, select),
the selected row's form (ui.journeys.nodeform: a condition's paths and a split's branches are
added and removed there), Save.

The editor works on the journey's JSON data; each finished edit is one command on the window's
undo stack holding the data before and after (ui.undo.SnapshotCommand), and `edited` carries the
journey the data now makes (None while it makes none) so the diagram follows. An expression with
errors is refused: its box shows each problem with its line and column and the journey keeps the
last good text; Save refuses while one is refused, and while the data makes no journey. Saving
writes the file atomically in a worker, only over the version it opened (app.journeys.stamped: a
file changed or deleted meanwhile asks keep mine / take theirs / show both, as actions do); the
workspace watcher then brings the actions' "used in" counts and locks up to date."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.journeys.completions import completions
from app.journeys.editing import add_node, build, field_findings, field_text, remove_node, snapshot
from app.journeys.findings import Finding
from app.journeys.model import NODE_TYPES, Journey
from app.journeys.stamped import Refused, Saved, save_checked
from app.journeys.validate import validate
from app.model import Action
from ui import ask
from ui.conflict import Conflict
from ui.journeys.nodeform import NodeForm
from ui.journeys.propertiesform import PropertiesForm
from ui.undo import SnapshotCommand
from ui.workers import run_in_background

Data = dict[str, Any]


class JourneyEditor(QWidget):
    edited = Signal(object)  # the Journey the data now makes, or None
    saved = Signal(object)  # the file written
    theirsTaken = Signal(str)  # a save found the file "changed" or "deleted" and the user took the disk's version

    def __init__(self, services: Any, undo_stack: QUndoStack, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("journeyEditor")
        self.services, self.undo_stack = services, undo_stack
        self.data: Data = {"name": "", "nodes": []}
        self.saved_data: Data = snapshot(self.data)
        self.path: Optional[Path] = None
        self.stamp: Optional[str] = None  # the file's stamp when opened or saved: a save checks it
        self.actions: dict[str, Action] = {}
        self.action_names: list[str] = []
        self.profile_rows: Callable[[], list[dict[str, Any]]] = lambda: []
        self.form: Optional[NodeForm | PropertiesForm] = None
        self.saving = False
        self._checked: Optional[_Checked] = None  # the data's journey and findings, as last computed
        self._build()

    def _build(self) -> None:
        self.nodes = QListWidget(self)
        self.nodes.setObjectName("journeyNodeList")
        self.nodes.setAccessibleName("Journey nodes")
        self.kind = QComboBox(self)
        self.kind.setObjectName("journeyNodeType")
        self.kind.addItems(NODE_TYPES)
        self.add_button = QPushButton("&Add node", self)
        self.add_button.setObjectName("journeyAddNode")
        self.add_button.setToolTip("Add a node of this type after the selected one, connected from its first free path")
        self.remove_button = QPushButton("Re&move", self)
        self.remove_button.setObjectName("journeyRemoveNode")
        self.remove_button.setToolTip("Remove the selected node; the paths that led to it are unset")
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.problems = QLabel(self)
        self.problems.setObjectName("journeyEditorProblems")
        self.problems.setWordWrap(True)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton("&Save journey", self)  # Ctrl+S: the window's Save saves the journey shown
        self.save_button.setObjectName("journeySaveButton")
        left = QWidget(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.nodes, 1)
        row = QHBoxLayout()
        row.addWidget(self.kind, 1)
        row.addWidget(self.add_button)
        column.addLayout(row)
        column.addWidget(self.remove_button)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.scroll)
        split.setSizes([260, 640])
        bottom = QHBoxLayout()
        bottom.addWidget(self.problems, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self.nodes.currentItemChanged.connect(lambda *_: self._show_form())
        self.add_button.clicked.connect(self.add_node)
        self.remove_button.clicked.connect(self.remove_node)
        self.save_button.clicked.connect(self.save)

    # -- the journey -------------------------------------------------------------------------------
    def set_journey(self, journey: Journey, path: Path, actions: dict[str, Action], names: list[str],
                    stamp: Optional[str] = None) -> None:
        self.data, self.path, self.stamp = journey.dump(), Path(path), stamp
        self.saved_data = snapshot(self.data)
        self.actions, self.action_names = dict(actions), list(names)
        self.undo_stack.clear()  # the commands of another journey (or action) restore nothing here
        self._refresh(rebuild=True)

    def journey(self) -> Optional[Journey]:
        return build(self.data)[0]

    @property
    def dirty(self) -> bool:
        return self.data != self.saved_data

    def node_ids(self) -> list[str]:
        return [n.get("id", "") for n in self.data.get("nodes", [])]

    def current_node(self) -> str:
        """The selected node's id ("" for none, or the journey's properties row)."""
        item = self.nodes.currentItem()
        return (item.data(Qt.ItemDataRole.UserRole) or "") if item is not None else ""

    def showing_properties(self) -> bool:
        return self.nodes.count() > 0 and self.nodes.currentRow() == 0

    def show_properties(self) -> None:
        """Select the first row: the journey's properties form."""
        self.nodes.setCurrentRow(0)

    def select_node(self, node_id: str) -> None:
        for i in range(self.nodes.count()):
            if self.nodes.item(i).data(Qt.ItemDataRole.UserRole) == node_id:
                self.nodes.setCurrentRow(i)
                return

    def set_profiles(self, rows: Optional[Callable[[], list[dict[str, Any]]]]) -> None:
        """Where example profile attributes come from (the run bar's profiles preview)."""
        self.profile_rows = rows or (lambda: [])

    # -- what a node form asks -----------------------------------------------------------------------
    def check(self, node_id: str, field: str) -> Callable[[str], list[Finding]]:
        """A box's checker. The text the data already holds is judged by the data's own validation,
        computed once for every box of a form (a form of n boxes validated the journey n times when
        built, and once more for the diagram)."""
        def findings(text: str) -> list[Finding]:
            if field_text(self.data, node_id, field) == text:
                return [f for f in self.findings() if f.node == node_id and f.field == field]
            return field_findings(self.data, self.actions, node_id, field, text)
        return findings

    def findings(self) -> list[Finding]:
        """Every finding of the journey the data makes (empty while it makes none). Validated with
        the workspace's action names, which only add a "did you mean" to an unknown action's finding."""
        return self._check()[2]

    def _check(self) -> "_Checked":
        memo = self._checked
        if memo is None or memo[3] != self.data or memo[4] != self.actions or memo[5] != self.action_names:
            journey, problems = build(self.data)
            found = validate(journey, self.actions, names=self.action_names).findings if journey is not None else []
            memo = self._checked = (journey, problems, found, snapshot(self.data), dict(self.actions),
                                    list(self.action_names))
        return memo

    def words(self, node_id: str) -> Callable[[], list[str]]:
        def listed() -> list[str]:
            journey = self.journey()
            if journey is None:
                return []
            responses = {n: a.response.example for n, a in self.actions.items() if a.response is not None}
            return completions(journey, node_id, responses, self.profile_rows())
        return listed

    def commit(self, text: str, change: Callable[[Data], None], rebuild: bool = False) -> None:
        """One edit: applied to the data, pushed on the undo stack, shown."""
        before = snapshot(self.data)
        change(self.data)
        if self.data == before:
            return
        self.undo_stack.push(SnapshotCommand(self._restore, before, snapshot(self.data), text))
        self._refresh(rebuild)

    def _restore(self, data: Data) -> None:
        self.data = snapshot(data)
        self._refresh(rebuild=True)

    # -- adding and removing -------------------------------------------------------------------------
    def add_node(self) -> None:
        kind = self.kind.currentText()
        after = self.current_node() or None
        added: list[str] = []
        default = self.action_names[0] if self.action_names else ""
        self.commit(f"add {kind} node", lambda data: added.append(add_node(data, kind, after, default)), True)
        if added:
            self.select_node(added[0])

    def remove_node(self) -> None:
        node = self.current_node()
        if node:
            row = self.nodes.currentRow()
            self.commit(f"remove node {node}", lambda data: remove_node(data, node), True)
            self.nodes.setCurrentRow(min(row, self.nodes.count() - 1))

    # -- showing -------------------------------------------------------------------------------------
    def _refresh(self, rebuild: bool) -> None:
        current, properties = self.current_node(), self.showing_properties()
        self.nodes.blockSignals(True)
        self.nodes.clear()
        item = QListWidgetItem(f"Journey properties · {self.data.get('name') or 'no name'}")
        item.setToolTip("Name, description, timeout, time zone, reentrance, capping and throttling")
        self.nodes.addItem(item)
        for node in self.data.get("nodes", []):
            label = f" · {node['label']}" if node.get("label") else ""
            item = QListWidgetItem(f"{node.get('id')} — {node.get('type')}{label}")
            item.setData(Qt.ItemDataRole.UserRole, node.get("id"))
            self.nodes.addItem(item)
        ids = self.node_ids()
        if properties or not ids:
            self.nodes.setCurrentRow(0)
        else:
            self.select_node(current if current in ids else ids[0])
        self.nodes.blockSignals(False)  # the same row again: the form (and the focus in it) stays
        if rebuild or self.form is None or self.form.node_id != self.current_node():
            self._show_form()
        journey, problems, *_ = self._check()
        self.problems.setText("; ".join(problems))
        self.edited.emit(journey)
        self._load_missing()

    def _load_missing(self) -> None:
        """An action node now calls an action not read yet: read it (a worker), then show its fields."""
        wanted = {n.get("action") for n in self.data.get("nodes", []) if n.get("type") == "action"}
        missing = sorted(n for n in wanted if n in self.action_names and n not in self.actions)
        if missing:
            run_in_background(_load_actions, self.services.workspace, missing, owner=self, on_done=self._loaded)

    def _loaded(self, actions: dict[str, Action]) -> None:
        if set(actions) - set(self.actions):
            self.actions.update(actions)
            self._show_form()
            self.edited.emit(self.journey())

    def _show_form(self) -> None:
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()  # it may be the sender of the edit being handled
        if self.showing_properties():
            self.form = PropertiesForm(self)
            self.scroll.setWidget(self.form)
            return
        node_id = self.current_node()
        node = next((n for n in self.data.get("nodes", []) if n.get("id") == node_id), None)
        self.form = NodeForm(self, node) if node is not None else None
        self.scroll.setWidget(self.form or QLabel("Add a node to start", self))

    # -- saving --------------------------------------------------------------------------------------
    def refusals(self) -> list[str]:
        """Why Save refuses now (empty: it may save)."""
        out = []
        if isinstance(self.form, PropertiesForm):
            out += self.form.has_refused()
        elif self.form is not None:
            for field, box in self.form.boxes.items():
                for finding in box.errors:
                    where = f"{self.form.node_id}, {field}, line {finding.line}, column {finding.column}"
                    out.append(f"{where}: {finding.message}")
        out += build(self.data)[1]
        return out

    def save(self, force: bool = False) -> None:
        """Write the journey unless its file changed or went since it was opened (then ask: keep
        mine / take theirs / show both); `force`: the user chose to keep theirs over it."""
        refusals = self.refusals()
        if refusals:
            self.problems.setText("Not saved: " + "; ".join(refusals))
            return
        journey = self.journey()
        if journey is None or self.path is None or self.saving:
            return
        self.saving = True
        data = snapshot(self.data)
        run_in_background(save_checked, self.services.workspace, journey, self.path, self.stamp, force, owner=self,
                          on_done=lambda result: self._written(result, data), on_error=self._not_saved)

    def _written(self, result: Saved | Refused, data: Data) -> None:
        self.saving = False
        if isinstance(result, Refused):
            self._resolve(result)
            return
        self.path, self.stamp, self.saved_data = result.path, result.stamp, data
        self.problems.setText(f"Saved {result.path.name}")
        self.saved.emit(result.path)

    def _resolve(self, refused: Refused) -> None:
        """Keep mine (saved over it), take theirs (my edits dropped, the disk's version shown) or cancel."""
        conflict = Conflict(refused.name, refused.kind, json.dumps(self.data, indent=2, ensure_ascii=False),
                            refused.theirs)
        choice = ask.save_conflict(self, conflict)
        if choice == "mine":
            self.save(force=True)
        elif choice == "theirs":
            self.saved_data = snapshot(self.data)  # nothing left to save: the view shows the disk's version
            self.undo_stack.clear()
            self.problems.setText(f"Took the version on disk: {refused.name} was {refused.kind} outside the window")
            self.theirsTaken.emit(refused.kind)
        else:
            self.problems.setText(f"Not saved: {conflict.question()} Your changes are kept: save again to choose.")

    def _not_saved(self, exc: BaseException) -> None:
        self.saving = False
        self.problems.setText(f"Not saved: {exc}")


# (journey, its problems, its findings) and the data, actions and names they were computed from.
_Checked = tuple[Optional[Journey], list[str], list[Finding], Data, dict[str, Action], list[str]]


def _load_actions(workspace: Any, names: list[str]) -> dict[str, Action]:
    """Worker: the actions that load (one that does not is reported by validation at its node)."""
    from app.store_errors import StoreError

    out = {}
    for name in names:
        try:
            out[name] = workspace.load(name)
        except StoreError:
            pass
    return out
