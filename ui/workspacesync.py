"""The window follows the workspace on disk: rows inserted, removed and updated for what the command
line (or anything else) changed, the journeys' locks refreshed, and the action being edited
reloaded when it changed on disk while unmodified in the pane. With unsaved edits nothing is
reloaded: the save asks (keep mine / take theirs / show both, see `ui.pane.saving`).
The Send events panel, in turn, follows the window: its names, its choice, its reloads."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from PySide6.QtCore import QObject, QTimer, Signal

from app.store_writes import _free_name  # the store's own rule for a free name
from ui import message
from ui.current import CurrentAction
from ui.watcher import WorkspaceState, WorkspaceWatcher
from ui.writes import WorkspaceWrites

if TYPE_CHECKING:
    from app.store import Workspace
    from ui.sending.send_panel import SendPanel


class WorkspaceSync(QObject):
    """Built by the main window once the workspace is loaded; `stop()` at close."""

    namesChanged = Signal(list)  # the stored actions' names, once a change of the list is whole

    def __init__(self, current: CurrentAction, writes: WorkspaceWrites, workspace: "Workspace",
                 parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        assert current.pane is not None
        self.current = current
        self.pane = current.pane
        self.writes = writes
        # Coalesced: a rename or an update is a row removed then one inserted; a follower only
        # sees the list once the change is whole.
        self._names_timer = QTimer(self)
        self._names_timer.setSingleShot(True)
        self._names_timer.setInterval(0)
        self._names_timer.timeout.connect(lambda: self.namesChanged.emit(current.stored_names()))
        model = current.list.model
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(lambda *_: self._names_timer.start())
        self.watcher = WorkspaceWatcher(workspace, self)
        self.watcher.read.connect(self._on_read)
        self.watcher.context = self._context
        self._warned: tuple[str, Any] = ("", None)  # (name, stamp) the user was last told about
        current.shown.connect(self.watcher.follow)
        self.watcher.follow(current.current_name())

    def _context(self) -> tuple[int, int]:
        """What the window has written so far: a read that started before a later write is stale."""
        return self.current.list.model.revision, self.pane.saves

    def stop(self) -> None:
        self.watcher.stop()

    def follow_window(self, panel: "SendPanel") -> None:
        """The send panel lists what the list lists, chooses what the pane shows, reloads what changed."""
        self.namesChanged.connect(panel.set_actions)
        self.current.shown.connect(panel.select_action)
        self.current.changed.connect(panel.actions_changed)
        panel.set_actions(self.current.stored_names())
        panel.select_action(self.current.current_name())

    # -- applying a read -------------------------------------------------------------------------
    def _busy(self) -> bool:
        """Our own write, save or open is under way: what was read may be overtaken by it."""
        return self.writes.running() or self.pane.is_saving() or self.current.is_opening()

    def _on_read(self, state: WorkspaceState) -> None:
        current, actions, pane = self.current, self.current.list, self.pane
        if self._busy() or state.context != self._context():
            self.watcher.scan_later()  # read again once it is done
            return
        for problem in state.problems:
            message.warning(problem)
        self._move_draft_aside(state)
        name, dirty = current.current_name(), pane.is_dirty()
        row = actions.proxy.proxy_row_of(name)
        keep = {n for n in (current.draft_name(), name if dirty else "") if n}
        with actions.quiet():
            added, removed, changed = actions.model.sync(state.summaries, keep)
            actions.model.set_used_in(state.used_in)
        if name and actions.model.row_of(name) >= 0:
            actions.select(name)
        if added or removed:
            parts = [f"{len(added)} added" if added else "", f"{len(removed)} removed" if removed else ""]
            message.info("Changed outside the window: " + ", ".join(p for p in parts if p))
        self._follow_open_action(state, row)  # after: what happened to the open action is the last word
        if changed:
            current.changed.emit(changed)

    def _move_draft_aside(self, state: WorkspaceState) -> None:
        """A draft's row name taken on disk meanwhile: the draft moves to a free name (its row only;
        the name typed in the pane stays, and the pane says it is taken)."""
        draft = self.current.draft_name()
        stored = {s.name.lower() for s in state.summaries}
        if draft and draft.lower() in stored:
            listed = {n.lower() for n in self.current.list.model.names()}
            self.current.rename_draft(_free_name(draft, stored | listed))

    def _follow_open_action(self, state: WorkspaceState, row: int) -> None:
        current, pane = self.current, self.pane
        name = current.current_name()
        if not name or pane.is_draft() or state.name != name:
            return
        if state.stamp == pane.stamp():
            if not pane.is_dirty() and sorted(pane.used_in()) != sorted(state.used_in.get(name, [])):
                current.open_action(name)  # a journey started or stopped calling it: the lock follows
            return
        what = "deleted" if state.stamp is None else "changed"
        if pane.is_dirty():
            if self._warned != (name, state.stamp):
                self._warned = (name, state.stamp)
                message.warning(f"{name} was {what} outside the window; saving will ask what to keep")
            return
        if state.stamp is None:
            current.open_row(row)
            message.warning(f"{name} was deleted outside the window")
        else:
            current.open_action(name)
            message.info(f"Reloaded {name}: it was changed outside the window")
