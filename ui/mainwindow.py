"""The main window: action list on the left, configuration pane on the right, menus, status bar.

The window shows at once; the workspace (and the heavy imports behind it) loads in a worker, then
the pane is built and `ready` is emitted. Workspace changes (save, add, duplicate, delete, import)
run in workers; results come back by signal.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Optional

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox, QFrame, QHBoxLayout, QLabel, QMainWindow, QPushButton, QSizePolicy, QSplitter, QVBoxLayout,
    QWidget,
)

from ui import ask, icons, message, qtfixes  # noqa: F401  (qtfixes: PySide6 6.12 emit() refcount bug)
from ui.actionlist.view import ActionListWidget
from ui.workers import run_in_background

SETTINGS_ENV = "ACTION_STUDIO_SETTINGS"
SHORTCUTS = (
    ("Ctrl+N", "New action"), ("Ctrl+D", "Duplicate the selected action"),
    ("Delete", "Delete the selected action (in the list)"), ("Ctrl+S", "Save"),
    ("Ctrl+Z", "Undo"), ("Ctrl+Shift+Z", "Redo"), ("Ctrl+F", "Search actions"),
    ("Ctrl+O", "Import actions"), ("Ctrl+E", "Export the selected action"),
    ("Ctrl+T", "Test authentication"), ("Ctrl+Return", "Send a test request"),
    ("Ctrl+Shift+B", "Show or hide the sandbox panel"), ("Ctrl+Shift+E", "Show or hide the Send events panel"),
    ("Ctrl+Shift+H", "Show or hide the history"),
    ("Ctrl+Q", "Quit"),
)


def open_settings(path: Optional[str | Path] = None) -> QSettings:
    """Window state lives outside any workspace: the user config dir, or `path` / $ACTION_STUDIO_SETTINGS."""
    path = path or os.environ.get(SETTINGS_ENV)
    if path:
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "ActionStudio", "ActionStudio")


class MainWindow(QMainWindow):
    ready = Signal()  # the workspace is loaded and the pane built

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

    # -- building -------------------------------------------------------------------------------
    def _action(self, text: str, slot: Callable[..., Any], shortcut: Any = None, icon: str = "",
                name: str = "") -> QAction:
        act = QAction(text, self)
        if icon:
            act.setIcon(icons.icon(icon))
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        if name:
            act.setObjectName(name)
        act.triggered.connect(lambda *_: slot())
        return act

    def _build_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.new_act = self._action("&New action", self.add_action, K.New, "add", "newAction")
        self.import_act = self._action("&Import…", self.import_dialog, K.Open, "import", "importAction")
        self.export_act = self._action("&Export selected…", self.export_selected, "Ctrl+E", "export", "exportSelected")
        self.export_all_act = self._action("Export &all…", self.export_all, None, "export", "exportAll")
        self.env_act = self._action("E&nvironments…", self.edit_environments, None, "environment", "environments")
        self.quit_act = self._action("&Quit", self.close, K.Quit, "", "quitAction")
        self.save_act = self._action("&Save", self.save, K.Save, "save", "saveAction")
        self.undo_act = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_act.setShortcut(QKeySequence(K.Undo))
        self.undo_act.setIcon(icons.icon("undo"))
        self.redo_act = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_act.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence(K.Redo)])
        self.redo_act.setIcon(icons.icon("redo"))
        self.dup_act = self._action("&Duplicate", self.duplicate_action, "Ctrl+D", "duplicate", "duplicateAction")
        self.delete_act = self._action("De&lete", self.delete_action, K.Delete, "delete", "deleteAction")
        # Delete acts in the list only, so it never fights a text field's own Delete key.
        self.delete_act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.list.addAction(self.delete_act)
        self.find_act = self._action("&Find action", self.list.focus_search, K.Find, "search", "findAction")
        self.sandbox_act = self._action("&Sandbox panel", self.toggle_sandbox_panel, "Ctrl+Shift+B", "sandbox",
                                        "sandboxPanelAction")
        self.sandbox_act.setCheckable(True)
        self.test_request_act = self._action("Send &test request…", lambda: self.pane and self.pane.request_test(),
                                             "Ctrl+Return", "send", "testRequestAction")
        self.send_panel_act = self._action("Send &events", lambda: self.toggle_dock("send"), "Ctrl+Shift+E",
                                           "send", "sendPanelAction")
        self.history_act = self._action("&History", lambda: self.toggle_dock("history"), "Ctrl+Shift+H",
                                        "", "historyAction")
        for act in (self.send_panel_act, self.history_act):
            act.setCheckable(True)
        self.test_auth_act = self._action("Test &authentication", self.test_authentication, "Ctrl+T", "send",
                                          "testAuthAction")
        self.shortcuts_act = self._action("&Keyboard shortcuts", self.show_shortcuts, K.HelpContents, "", "shortcuts")
        self.about_act = self._action("&About Action Studio", self.show_about, None, "info", "about")
        for act in (self.save_act, self.dup_act, self.delete_act, self.export_act, self.test_auth_act,
                    self.test_request_act):
            act.setEnabled(False)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        for act in (self.new_act, self.import_act, None, self.save_act, self.export_act, self.export_all_act,
                    None, self.env_act, None, self.quit_act):
            file.addSeparator() if act is None else file.addAction(act)
        edit = bar.addMenu("&Edit")
        for act in (self.undo_act, self.redo_act, None, self.dup_act, self.delete_act, None, self.find_act):
            edit.addSeparator() if act is None else edit.addAction(act)
        tools = bar.addMenu("&Tools")
        for act in (self.sandbox_act, self.send_panel_act, self.history_act, None, self.test_request_act,
                    self.test_auth_act):
            tools.addSeparator() if act is None else tools.addAction(act)
        help_ = bar.addMenu("&Help")
        help_.addAction(self.shortcuts_act)
        help_.addAction(self.about_act)

    def _build_toolbar(self) -> None:
        """The right end of the menu bar: `env: [sandbox ▾]` and the sandbox status dot."""
        corner = QWidget(self)
        row = QHBoxLayout(corner)
        row.setContentsMargins(0, 0, 8, 0)
        row.setSpacing(6)
        label = QLabel("env:", corner)
        self.env_combo = QComboBox(corner)
        self.env_combo.setObjectName("envCombo")
        self.env_combo.setAccessibleName("Active environment")
        self.env_combo.setToolTip("The environment whose {{variables}} the URL and authentication use")
        self.env_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.env_combo.setEnabled(False)
        self.env_combo.activated.connect(self._on_env_chosen)
        label.setBuddy(self.env_combo)
        self.sandbox_dot = QLabel(corner)
        self.sandbox_dot.setObjectName("sandboxDot")
        self.sandbox_text = QPushButton(corner)
        self.sandbox_text.setObjectName("sandboxStatus")
        self.sandbox_text.setFlat(True)
        self.sandbox_text.setAccessibleName("Sandbox status")
        self.sandbox_text.setToolTip("Show the sandbox panel")
        self.sandbox_text.clicked.connect(lambda: self.toggle_sandbox_panel(True))
        row.addWidget(label)
        row.addWidget(self.env_combo)
        row.addSpacing(10)
        row.addWidget(self.sandbox_dot)
        row.addWidget(self.sandbox_text)
        self.menuBar().setCornerWidget(corner, Qt.Corner.TopRightCorner)
        self._sandbox_timer = QTimer(self)
        self._sandbox_timer.setInterval(1000)
        self._sandbox_timer.timeout.connect(self.update_sandbox_status)
        self.update_sandbox_status()

    def _build_keyring_banner(self) -> None:
        self.keyring_banner = QFrame(self)
        self.keyring_banner.setObjectName("keyringBanner")
        self.keyring_banner.setFrameShape(QFrame.Shape.StyledPanel)
        icon = QLabel(self.keyring_banner)
        icon.setPixmap(icons.icon("warning", "warning").pixmap(20, 20))
        self.keyring_text = QLabel(self.keyring_banner)
        self.keyring_text.setObjectName("keyringBannerText")
        self.keyring_text.setWordWrap(True)
        self.session_button = QPushButton("Use session-only storage", self.keyring_banner)
        self.session_button.setObjectName("sessionOnlyButton")
        self.session_button.setAccessibleName("Keep secrets in memory for this session only")
        self.session_button.clicked.connect(self.use_session_only)
        row = QHBoxLayout(self.keyring_banner)
        row.setContentsMargins(12, 6, 12, 6)
        row.addWidget(icon)
        row.addWidget(self.keyring_text, 1)
        row.addWidget(self.session_button)
        self.keyring_banner.hide()

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_message = QLabel(self)
        self.status_message.setObjectName("statusMessage")
        self.status_message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.undo_link = QPushButton("Undo", self)
        self.undo_link.setObjectName("statusUndoButton")
        self.undo_link.setFlat(True)
        self.undo_link.setAccessibleName("Undo the last operation")
        self.undo_link.clicked.connect(self.undo_stack.undo)
        self.undo_link.hide()
        self.count_status = QLabel(self)
        self.count_status.setObjectName("statusCount")
        self.keyring_status = QLabel("keyring: …", self)
        self.keyring_status.setObjectName("statusKeyring")
        bar.addWidget(self.status_message, 1)
        bar.addWidget(self.undo_link)
        bar.addPermanentWidget(self.count_status)
        bar.addPermanentWidget(self.keyring_status)
        for signal in (self.list.model.rowsInserted, self.list.model.rowsRemoved, self.list.model.modelReset):
            signal.connect(self._update_count)

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
        self._fill_env_combo()
        self.update_sandbox_status()
        self._sandbox_timer.start()
        self._ready = True
        message.info(f"Opened {self.home}")
        self.ready.emit()
        run_in_background(_probe_keyring, self.services.secrets, owner=self, on_done=self._on_keyring)

    def _on_load_failed(self, exc: BaseException) -> None:
        self.placeholder.setText(f"The workspace could not be opened:\n{exc}")
        message.error(f"The workspace could not be opened: {exc}")

    def _on_keyring(self, probe: tuple[bool, str, Optional[str]]) -> None:
        available, name, problem = probe
        self.keyring_status.setText(f"keyring: {name}")
        self.keyring_status.setToolTip("Where secrets are kept" if available else (problem or ""))
        if not available:
            self.keyring_text.setText(
                f"<b>No keyring is available</b>: {problem or 'secrets cannot be stored'}. Secrets are never "
                "written to disk in plain text. Keep them in memory for this session (they are forgotten on quit)?")
            self.keyring_banner.show()
        else:
            self.keyring_banner.hide()

    def use_session_only(self) -> None:
        if self.services is None:
            return
        self.services.secrets.use_session_only()
        from app.sample import seed_sample_secrets

        if (self.home / "actions" / "writeJourneyEvent.json").exists():
            seed_sample_secrets(self.services.secrets)  # the sample's demo secrets, in memory this time
        message.warning("Secrets are kept in memory for this session only")
        self._on_keyring((True, self.services.secrets.backend_name, None))

    # -- the current action -----------------------------------------------------------------------
    def _name_taken(self, name: str) -> bool:
        return self.services.workspace.exists(name)

    def current_name(self) -> str:
        return self.pane.saved_name() if self.pane is not None else ""

    def open_action(self, name: str) -> bool:
        """Load an action into the pane (no dirty check: callers guard first)."""
        from app.store import StoreError

        try:
            action = self.services.workspace.load(name)
        except StoreError as exc:
            message.error(str(exc))
            self.list.model.remove(name)
            return False
        self.undo_stack.clear()
        self.pane.load(action, self.list.model.used_in(action.name))
        self.list.select(action.name)
        self._on_dirty(False)
        for act in (self.dup_act, self.delete_act, self.export_act, self.test_auth_act, self.test_request_act):
            act.setEnabled(True)
        self.setWindowTitle(f"{action.name}[*] — Action Studio — {self.home.name}")
        return True

    def _on_list_selection(self, name: str) -> None:
        if self.pane is None or name == self.current_name():
            return
        previous = self.current_name()
        self.guard(lambda: self.open_action(name), lambda: self.list.select(previous))

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

        with self.list.quiet():
            self.list.model.set_dirty(previous, False)
            self.list.model.upsert(summary_of(action), old_name=previous)
        if previous != action.name:
            self.list.model.rename_used(previous, action.name)
        self.list.select(action.name)
        self.setWindowTitle(f"{action.name}[*] — Action Studio — {self.home.name}")

    # -- add, duplicate, delete ------------------------------------------------------------------
    def add_action(self) -> None:
        if self.services is None:
            return
        from ui.actionlist import ops

        def created(action: Any) -> None:
            self._insert_and_open(action)
            message.info(f"Added {action.name}: give it a name and a URL")
            self.pane.names.name_edit.setFocus()
            self.pane.names.name_edit.selectAll()

        self.guard(lambda: run_in_background(ops.create_action, self.services, owner=self, on_done=created,
                                             on_error=self._failed("Could not add an action")))

    def _insert_and_open(self, action: Any) -> None:
        from ui.actionlist.ops import summary_of

        with self.list.quiet():
            self.list.model.upsert(summary_of(action))
        self.open_action(action.name)

    def duplicate_action(self) -> None:
        name = self.current_name()
        if not name:
            return
        from ui.actionlist import ops

        def done(result: tuple[Any, list[str]]) -> None:
            action, missing = result
            self._insert_and_open(action)
            note = f" ({len(missing)} secret(s) were missing and must be entered again)" if missing else ""
            message.info(f"Duplicated {name} as {action.name}{note}")

        self.guard(lambda: run_in_background(ops.duplicate_action, self.services, name, owner=self, on_done=done,
                                             on_error=self._failed(f"Could not duplicate {name}")))

    def delete_action(self) -> None:
        name = self.current_name()
        if not name:
            return
        used = self.list.model.used_in(name)
        detail = f"It is used in {', '.join(used)}." if used else ""
        if self.pane.is_dirty():
            detail += " Its unsaved changes will be lost."
        if not ask.confirm(self, "Delete action", f"Delete “{name}”?", "Delete",
                           (detail + " You can undo this (Ctrl+Z).").strip()):
            return
        from ui.actionlist import ops

        row = self.list.proxy.proxy_row_of(name)
        run_in_background(ops.delete_action, self.services, name,
                          owner=self, on_done=lambda action: self._on_deleted(action, row),
                          on_error=self._failed(f"Could not delete {name}"))

    def _on_deleted(self, action: Any, row: int) -> None:
        self._deleted.append(action)
        with self.list.quiet():
            self.list.model.remove(action.name)
        count = self.list.proxy.rowCount()
        if count:
            self.open_action(self.list.proxy.data(self.list.proxy.index(min(max(row, 0), count - 1), 0)))
        else:
            self.undo_stack.clear()
            self.pane.clear()
            self.list.select("")
        from ui.undo import CallbackCommand

        self.undo_stack.push(CallbackCommand(f"delete {action.name}", lambda: self._undelete(action), lambda: None))
        message.offer_undo(f"Deleted {action.name}")

    def _undelete(self, action: Any) -> None:
        from ui.actionlist import ops

        def restored(saved: Any) -> None:
            if action in self._deleted:
                self._deleted.remove(action)
            self.guard(lambda: self._insert_and_open(saved), lambda: self._insert_quietly(saved))
            message.info(f"Restored {saved.name}")

        run_in_background(ops.restore_action, self.services, action, owner=self, on_done=restored,
                          on_error=self._failed(f"Could not restore {action.name}"))

    def _insert_quietly(self, action: Any) -> None:
        from ui.actionlist.ops import summary_of

        with self.list.quiet():
            self.list.model.upsert(summary_of(action))
        self.list.select(self.current_name())

    def _failed(self, what: str) -> Callable[[BaseException], None]:
        return lambda exc: message.error(f"{what}: {exc}")

    # -- import / export -------------------------------------------------------------------------
    def import_dialog(self) -> None:
        path = ask.open_file(self, "Import actions")
        if path is not None:
            self.import_paths([path])

    def import_paths(self, paths: list[Path]) -> None:
        if self.services is None:
            return
        from ui.actionlist import ops

        def done(report: Any) -> None:
            for action in report.saved:
                self._insert_quietly_only(action)
            if report.saved:
                last = report.saved[-1].name
                self.guard(lambda: self.open_action(last))
            parts = [f"Imported {len(report.saved)} action{'s' if len(report.saved) != 1 else ''}"]
            parts += [f"{old} was renamed {new} (the name was taken)" for old, new in report.renamed]
            parts += [f"enter secrets for {name}: {', '.join(fields)}" for name, fields in report.missing.items()]
            (message.warning if report.renamed or report.missing else message.info)("; ".join(parts))

        run_in_background(ops.import_files, self.services, list(paths), owner=self, on_done=done,
                          on_error=self._failed("Import failed"))

    def _insert_quietly_only(self, action: Any) -> None:
        from ui.actionlist.ops import summary_of

        with self.list.quiet():
            self.list.model.upsert(summary_of(action))

    def export_selected(self) -> None:
        name = self.current_name()
        if name:
            self._export([name], f"{name}.json")

    def export_all(self) -> None:
        if self.services is not None:
            self._export(None, "actions.json")

    def _export(self, names: Optional[list[str]], suggested: str) -> None:
        path = ask.save_file(self, "Export actions (secrets are masked)", suggested)
        if path is None:
            return
        from ui.actionlist import ops

        run_in_background(ops.export_actions, self.services, names, path,
                          owner=self, on_done=lambda n: message.info(f"Exported {n} action{'s' if n != 1 else ''} to {path} "
                                                         "(secrets masked)"),
                          on_error=self._failed("Export failed"))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.toLocalFile().lower().endswith(".json")
                                              for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.toLocalFile().lower().endswith(".json")]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # -- environments and sandbox ------------------------------------------------------------------
    def _fill_env_combo(self) -> None:
        def filled(envs: Any) -> None:
            self.env_combo.clear()
            for env in envs.environments:
                self.env_combo.addItem(env.name)
            self.env_combo.setCurrentText(envs.active)
            self.env_combo.setEnabled(bool(envs.environments))

        run_in_background(self.services.environments, owner=self, on_done=filled, on_error=self._failed("Environments"))

    def _on_env_chosen(self, _index: int) -> None:
        name = self.env_combo.currentText()
        envs = self.services.environments()
        if name == envs.active:
            return
        updated = envs.model_copy(update={"active": name})

        def saved(_: Any) -> None:
            message.info(f"Active environment: {name}")
            if self.pane is not None:
                self.pane.refresh_resolved()

        run_in_background(self.services.save_environments, updated, owner=self, on_done=saved,
                          on_error=self._failed("Could not switch environment"))

    def edit_environments(self) -> None:
        if self.services is None:
            return
        from ui.environments import EnvironmentsDialog

        dialog = EnvironmentsDialog(self.services, self)
        dialog.saved.connect(lambda: (self._fill_env_combo(), self.pane and self.pane.refresh_resolved()))
        ask.show_dialog(dialog)
        dialog.deleteLater()

    def toggle_sandbox_panel(self, show: Optional[bool] = None) -> None:
        if self.services is None:
            return
        if self.sandbox_panel is None:
            from ui.sandbox_panel import SandboxPanel

            self.sandbox_panel = SandboxPanel(self.services, self)
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.sandbox_panel)
            self.sandbox_panel.visibilityChanged.connect(self.sandbox_act.setChecked)
            self.sandbox_panel.stateChanged.connect(self.update_sandbox_status)
        visible = (not self.sandbox_panel.isVisible()) if show is None else show
        self.sandbox_panel.setVisible(visible)
        self.sandbox_act.setChecked(visible)

    def toggle_dock(self, which: str, show: Optional[bool] = None) -> None:
        """The Send events and History panels, as docks at the bottom, built on first use."""
        if self.services is None:
            return
        dock = self.docks.get(which)
        if dock is None:
            from PySide6.QtWidgets import QDockWidget

            from ui.sending import HistoryPanel, SendPanel

            title, panel_type, act = {"send": ("Send events", SendPanel, self.send_panel_act),
                                      "history": ("History", HistoryPanel, self.history_act)}[which]
            dock = QDockWidget(title, self)
            dock.setObjectName(f"{which}Dock")
            dock.setWidget(panel_type(self.services, dock))
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            others = [d for d in (self.sandbox_panel, *self.docks.values()) if d is not None]
            if others:
                self.tabifyDockWidget(others[-1], dock)
            else:  # a third of the window, once shown: the list and the pane stay usable above it
                # The window is the timer's context: no call if it is gone by then.
                QTimer.singleShot(0, self, lambda d=dock: self.resizeDocks([d], [max(220, self.height() // 3)],
                                                                            Qt.Orientation.Vertical))
            # Checked means open: a dock tabbed behind another is still open.
            dock.visibilityChanged.connect(lambda _visible, d=dock, a=act: a.setChecked(not d.isHidden()))
            self.docks[which] = dock
        visible = (not dock.isVisible()) if show is None else show
        dock.setVisible(visible)
        if visible:
            dock.raise_()

    def open_test_request(self) -> None:
        """The test-request dialog on the pane's saved action (non-modal: several may be open)."""
        action = self.pane.action() if self.pane is not None else None
        if action is None or self.services is None:
            return
        from ui.sending import open_test_request

        dialog = open_test_request(self, self.services, action)
        self._request_dialogs = [d for d in self._request_dialogs if d.isVisible()] + [dialog]

    def update_sandbox_status(self) -> None:
        running = self.services is not None and self.services.sandbox is not None
        self.sandbox_dot.setPixmap(icons.dot("ok" if running else ""))
        self.sandbox_text.setText("sandbox running" if running else "sandbox stopped")
        if running:
            self.sandbox_text.setToolTip(f"The local sandbox answers at {self.services.sandbox.base_url}")

    def test_authentication(self) -> None:
        button = self.pane.findChild(QPushButton, "testAuthButton") if self.pane is not None else None
        if button is None or not button.isEnabled():
            message.warning("Nothing to test: choose an authentication mode first")
            return
        self.pane.scroll_to("auth")
        button.click()

    # -- help ------------------------------------------------------------------------------------
    def show_shortcuts(self) -> None:
        dialog = shortcuts_dialog(self)
        ask.show_dialog(dialog)
        dialog.deleteLater()

    def show_about(self) -> None:
        from PySide6 import __version__ as pyside

        ask.inform(self, "About Action Studio", "<b>Action Studio</b> 0.1",
                   "A native desktop studio for journey custom actions: configure, test authentication, "
                   f"send events against a local sandbox.\n\nWorkspace: {self.home}\nQt for Python {pyside}")

    # -- status bar ------------------------------------------------------------------------------
    def _on_message(self, level: str, text: str) -> None:
        self.undo_link.hide()
        self.status_message.setText(text)
        self.status_message.setToolTip(text)
        icons.tint(self.status_message, {"error": "error", "warning": "warning"}.get(level, ""))
        # A message is news, not state: it fades so a fixed problem is not still reported.
        if not hasattr(self, "_message_timer"):
            self._message_timer = QTimer(self, singleShot=True, timeout=self._clear_message)
        self._message_timer.start(10_000 if level == "info" else 30_000)

    def _clear_message(self) -> None:
        if not self.undo_link.isVisible():
            self.status_message.clear()
            self.status_message.setToolTip("")

    def _on_undo_offered(self, text: str) -> None:
        self._on_message("info", text)
        self.undo_link.show()

    def _update_count(self, *_: Any) -> None:
        n = self.list.model.rowCount()
        self.count_status.setText(f"{n} action{'s' if n != 1 else ''}")

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


def shortcuts_dialog(parent: QWidget) -> Any:
    """A small dialog listing the keyboard shortcuts."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout

    dialog = QDialog(parent)
    dialog.setObjectName("shortcutsDialog")
    dialog.setWindowTitle("Keyboard shortcuts")
    form = QFormLayout()
    for keys, what in SHORTCUTS:
        key = QLabel(QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText), dialog)
        key.setFont(icons.monospace_font())
        form.addRow(key, QLabel(what, dialog))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(buttons)
    return dialog


def _probe_keyring(secrets: Any) -> tuple[bool, str, Optional[str]]:
    """Worker: probing the keyring imports it and may talk to D-Bus (slow-ish)."""
    return secrets.available, secrets.backend_name, secrets.problem
