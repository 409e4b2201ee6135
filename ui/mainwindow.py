"""The main window: action list on the left, configuration pane on the right, menus, status bar.

The window shows at once; the workspace (and the heavy imports behind it) loads in a worker, then
the pane is built and `ready` is emitted. Workspace changes (save, add, duplicate, delete, import)
run in workers; results come back by signal.

This module holds the window's core: layout, saved window state, loading, the current action and
closing. The rest is in mixins, one per feature: `ui.menus` (actions, menus, Help),
`ui.statusbar` (keyring banner, status bar), `ui.panels` (environments, sandbox, docks, test
requests), `ui.fileops` (import, export, drag and drop), `ui.actionedits` (add, duplicate, delete).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Optional

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from ui import ask, message, qtfixes  # noqa: F401  (qtfixes: PySide6 6.12 emit() refcount bug)
from ui.actionedits import ActionEditsMixin
from ui.actionlist.view import ActionListWidget
from ui.fileops import FileOpsMixin
from ui.menus import MenusMixin
from ui.panels import PanelsMixin
from ui.statusbar import StatusMixin, probe_keyring
from ui.workers import run_in_background

SETTINGS_ENV = "ACTION_STUDIO_SETTINGS"


def open_settings(path: Optional[str | Path] = None) -> QSettings:
    """Window state lives outside any workspace: the user config dir, or `path` / $ACTION_STUDIO_SETTINGS."""
    path = path or os.environ.get(SETTINGS_ENV)
    if path:
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "ActionStudio", "ActionStudio")


# The mixins come before QMainWindow so their Qt event overrides (drag and drop) are the ones Qt calls.
class MainWindow(MenusMixin, StatusMixin, PanelsMixin, FileOpsMixin, ActionEditsMixin, QMainWindow):
    ready = Signal()  # the workspace is loaded and the pane built
    actionShown = Signal(str)  # the action the pane now edits ("" for none)
    actionsChanged = Signal(list)  # names whose stored content changed (saved here or on disk)

    def __init__(self, home: Path, services: Any = None, sample: bool = False,
                 settings: Optional[QSettings] = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.home = Path(home)
        self.services: Any = None
        self.pane: Any = None
        self.sandbox_panel: Any = None
        self.docks: dict[str, Any] = {}  # the Send events and History docks, built on first use
        self._request_dialogs: list[Any] = []
        self._draft: Optional[str] = None  # the list row of a new action not saved yet
        self._writes = 0  # workspace writes running in workers (the watcher waits for them)
        self.sync: Any = None  # follows the workspace on disk, once it is loaded
        self._ready = False
        self._deleted: list[Any] = []
        self._closing = False
        self._shut_down = False
        self._settings = settings or open_settings()
        self.undo_stack = QUndoStack(self)
        self.setWindowTitle(f"[*]Action Studio — {self.home.name}")
        self.setAcceptDrops(True)
        self.resize(1400, 900)

        self.list = ActionListWidget(self)
        self.placeholder = QLabel("Loading the workspace…", self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setEnabled(False)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(self.placeholder)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([560, 840])
        self.splitter.setChildrenCollapsible(False)
        self._build_keyring_banner()
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.keyring_banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._restore_state()

        self.list.currentNameChanged.connect(self._on_list_selection)
        self.list.addRequested.connect(self.add_action)
        self.list.duplicateRequested.connect(self.duplicate_action)
        self.list.deleteRequested.connect(self.delete_action)
        message.bridge().shown.connect(self._on_message)
        message.bridge().undoOffered.connect(self._on_undo_offered)

        from ui.actionlist.ops import load_workspace

        run_in_background(load_workspace, self.home, services, sample,
                          owner=self, on_done=self._on_loaded, on_error=self._on_load_failed)

    # -- settings -------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        s = self._settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        splitter = s.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        header = s.value("list/header")
        if isinstance(header, QByteArray) and not header.isEmpty():
            self.list.table.horizontalHeader().restoreState(header)

    def save_state(self) -> None:
        s = self._settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("list/header", self.list.table.horizontalHeader().saveState())
        if self.pane is not None and self.pane.saved_name():
            s.setValue(self._last_key(), self.pane.saved_name())
        s.sync()

    def _last_key(self) -> str:
        """Per-workspace key for the last action shown (a hash: paths make poor INI keys)."""
        import hashlib

        return "last/" + hashlib.sha1(str(self.home.resolve()).encode()).hexdigest()[:12]

    # -- loading --------------------------------------------------------------------------------
    def is_ready(self) -> bool:
        return self._ready

    def _on_loaded(self, loaded: Any) -> None:
        from ui.pane.pane import ConfigPane  # pydantic and the models are imported by now

        self.services = loaded.services
        self.list.model.set_summaries(loaded.summaries, loaded.used_in)
        self.pane = ConfigPane(self.services, self.undo_stack, self._name_taken, self)
        self.pane.dirtyChanged.connect(self._on_dirty)
        self.pane.saved.connect(self._on_saved)
        self.pane.theirsTaken.connect(self._on_theirs_taken)
        self.pane.duplicateRequested.connect(self.duplicate_action)
        self.pane.testRequested.connect(self.open_test_request)
        self.splitter.replaceWidget(1, self.pane)
        self.placeholder.deleteLater()
        self.save_act.setEnabled(True)
        for problem in loaded.problems:
            message.warning(problem)
        last = self._settings.value(self._last_key())
        first = last if isinstance(last, str) and self.list.model.row_of(last) >= 0 else None
        if first is None and self.list.proxy.rowCount():
            first = self.list.proxy.data(self.list.proxy.index(0, 0))
        if first:
            self.open_action(first)
        else:
            self.pane.clear()
        from ui.workspacesync import WorkspaceSync

        self.sync = WorkspaceSync(self)
        self._fill_env_combo()
        self.update_sandbox_status()
        self._sandbox_timer.start()
        self._ready = True
        message.info(f"Opened {self.home}")
        self.ready.emit()
        run_in_background(probe_keyring, self.services.secrets, owner=self, on_done=self._on_keyring)

    def _on_load_failed(self, exc: BaseException) -> None:
        self.placeholder.setText(f"The workspace could not be opened:\n{exc}")
        message.error(f"The workspace could not be opened: {exc}")

    # -- the current action -----------------------------------------------------------------------
    def _name_taken(self, name: str) -> bool:
        return self.services.workspace.exists(name)

    def current_name(self) -> str:
        return self.pane.saved_name() if self.pane is not None else ""

    def open_action(self, name: str) -> bool:
        """Load an action into the pane (no dirty check: callers guard first)."""
        from app.store import StoreError

        try:
            action, stamp = self.services.workspace.load_stamped(name)
        except StoreError as exc:
            message.error(str(exc))
            self.list.model.remove(name)
            return False
        self._drop_draft()
        self.undo_stack.clear()
        self.pane.load(action, self.list.model.used_in(action.name), stamp=stamp)
        self.list.select(action.name)
        self._after_open(action.name)
        return True

    def _after_open(self, name: str) -> None:
        self._on_dirty(self.pane.is_dirty())
        for act in (self.dup_act, self.delete_act, self.export_act, self.test_auth_act, self.test_request_act):
            act.setEnabled(True)
        self.setWindowTitle(f"{name}[*] — Action Studio — {self.home.name}")
        self.actionShown.emit(name)

    def stored_names(self) -> list[str]:
        """The actions in the workspace as the list knows them (not a draft), by name."""
        return sorted((n for n in self.list.model.names() if n != self._draft), key=str.lower)

    def toggle_dock(self, which: str, show: Optional[bool] = None) -> None:
        """PanelsMixin builds the dock on first use; a new Send events panel is made to follow the window."""
        new = which not in self.docks
        super().toggle_dock(which, show)
        if new and which == "send" and which in self.docks:
            self.sync.follow_window(self.docks[which].panel)

    def _on_list_selection(self, name: str) -> None:
        if self.pane is None or name == self.current_name():
            return
        self.guard(lambda: self.open_action(name), self._reselect_current)

    def _reselect_current(self) -> None:
        """Back to the row of the action being edited: now, and again once the click that changed the
        row is handled (the view selects the clicked row after this slot returns)."""
        self.list.select(self.current_name())
        QTimer.singleShot(0, self, lambda: self.list.select(self.current_name()))

    def guard(self, proceed: Callable[[], Any], cancel: Callable[[], Any] = lambda: None) -> None:
        """Run `proceed` once unsaved edits are saved or discarded; `cancel` if the user backs out."""
        if self.pane is None or not self.pane.is_dirty():
            proceed()
            return
        answer = ask.save_discard_cancel(self, self.pane.names.values()[0] or self.current_name())
        if answer == "save":
            self.pane.save(then=lambda ok: proceed() if ok else cancel())
        elif answer == "discard":
            self.list.model.set_dirty(self.current_name(), False)
            proceed()
        else:
            cancel()

    def _on_dirty(self, dirty: bool) -> None:
        self.setWindowModified(dirty)
        if self.pane is not None and self.current_name():
            self.list.model.set_dirty(self.current_name(), dirty)

    def save(self) -> None:
        if self.pane is not None and self.pane.action() is not None:
            self.pane.save()

    def _on_saved(self, action: Any, previous: str) -> None:
        from ui.actionlist.ops import summary_of

        if previous == self._draft:
            self._draft = None  # saved: a stored action from now on
            self.export_act.setEnabled(True)
        with self.list.quiet():
            self.list.model.set_dirty(previous, False)
            self.list.model.upsert(summary_of(action), old_name=previous)
        if previous != action.name:
            self.list.model.rename_used(previous, action.name)
        self.list.select(action.name)
        self.setWindowTitle(f"{action.name}[*] — Action Studio — {self.home.name}")
        self.actionsChanged.emit([action.name])
        self.actionShown.emit(action.name)

    def _on_theirs_taken(self, name: str, kind: str) -> None:
        """A save conflict settled for the disk's version: reload it, or let a deleted one go."""
        if kind == "changed":
            self.open_action(name)
            return
        row = self.list.proxy.proxy_row_of(name)
        with self.list.quiet():
            self.list.model.remove(name)
        self.open_row(row)

    def run_write(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None],
                  on_error: Callable[[BaseException], None]) -> None:
        """A workspace write in a worker; what the watcher reads meanwhile waits until it is done."""
        self._writes += 1

        def finished(callback: Callable[[Any], None]) -> Callable[[Any], None]:
            def call(value: Any) -> None:
                self._writes -= 1
                callback(value)
            return call

        run_in_background(fn, *args, owner=self, on_done=finished(on_done), on_error=finished(on_error))

    def writes_running(self) -> bool:
        return self._writes > 0

    def _failed(self, what: str) -> Callable[[BaseException], None]:
        """The worker error callback every window feature uses: the failure goes to the status bar."""
        return lambda exc: message.error(f"{what}: {exc}")

    # -- closing ---------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing or self._shut_down:
            event.accept()
            return
        if self.pane is not None and self.pane.is_dirty():
            answer = ask.save_discard_cancel(self, self.pane.names.values()[0] or self.current_name())
            if answer == "cancel":
                event.ignore()
                return
            if answer == "save":
                event.ignore()
                self.pane.save(then=lambda ok: self._close_now() if ok else None)
                return
        self._shutdown()
        event.accept()

    def _close_now(self) -> None:
        self._closing = True
        self._shutdown()
        self.close()

    def _shutdown(self) -> None:
        """Remember the window; forget deleted actions' secrets; let running workers finish."""
        if self._shut_down:
            return
        self._shut_down = True
        self._closed_down = True  # workers owned by the window deliver nothing from now on
        self._sandbox_timer.stop()
        if self.sync is not None:
            self.sync.stop()
        if self.pane is not None:
            self.pane.shut_down()
        self.save_state()
        if self.sandbox_panel is not None:
            self.sandbox_panel.stop_polling()
        message.bridge().shown.disconnect(self._on_message)
        message.bridge().undoOffered.disconnect(self._on_undo_offered)
        from ui.workers import wait_idle

        wait_idle()
        if self._deleted and self.services is not None:
            from ui.actionlist.ops import forget_secrets

            forget_secrets(self.services, self._deleted)
            self._deleted.clear()
