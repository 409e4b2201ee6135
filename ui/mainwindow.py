"""The main window: action list on the left, configuration pane on the right, menus, status bar.

The window shows at once. A first worker reads the list's rows from the workspace index (no models,
no pydantic: `app.listing`) and the list is filled (`listed`); a second one opens the workspace (and
the heavy imports behind it), then the pane is built, the first action is shown and `ready` is
emitted.

The window is a shell that composes parts, each owning its state, and wires them in
`_connect_signals` (as qutebrowser composes its main window):

- `current` (`ui.current.CurrentAction`): which action the pane edits, opening one, the unsaved-changes
  guard, the draft;
- `menus` (`ui.menus.Menus`): every QAction, the menu bar, Help;
- `status` (`ui.statusbar.StatusArea`): keyring banner and status bar;
- `panels` (`ui.panels.Panels`): environments, the sandbox / Send events / History docks, test requests;
- `files` (`ui.fileops.FileOps`): import, export; `interop` (`ui.importexport.ImportExport`): Postman, OpenAPI,
  cURL and httpx, and drops; `edits` (`ui.actionedits.ActionEdits`): add, duplicate, delete;
- `writes` (`ui.writes.WorkspaceWrites`): workspace writes in workers; `sync` (`ui.workspacesync`): the disk, followed;
- `journeys` (`ui.journeys.area.JourneysArea`): the Journeys tab beside the actions and the journey view
  shown in the right-hand area in place of the pane (Ctrl+J).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui import ask, icons, message
from ui.about import app_icon
from ui.actionedits import ActionEdits
from ui.actionlist.view import ActionListWidget
from ui.current import CurrentAction
from ui.fileops import FileOps
from ui.importexport import ImportExport, importable_paths
from ui.journeys.area import JourneysArea
from ui.menus import Menus
from ui.paintonce import settle_layouts
from ui.panels import Panels
from ui.statusbar import StatusArea
from ui.windowstate import WindowState, open_settings
from ui.workers import run_in_background
from ui.writes import WorkspaceWrites

if TYPE_CHECKING:
    from app.services import Services
    from ui.actionlist.ops import Loaded
    from ui.pane.pane import ConfigPane
    from ui.sending.send_panel import SendPanel
    from ui.welcome import WelcomePage
    from ui.workspacesync import WorkspaceSync


JOURNEY_LIST_WIDTH = 200


class MainWindow(QMainWindow):
    listed = Signal()  # the list is filled (from the index; the workspace may still be loading)
    ready = Signal()  # the workspace is loaded, the pane built and the first action shown
    actionShown = Signal(str)  # the action the pane now edits ("" for none)
    actionsChanged = Signal(list)  # names whose stored content changed (saved here or on disk)

    def __init__(self, home: Path, services: Optional["Services"] = None, sample: bool = False,
                 settings: Optional[QSettings] = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.home = Path(home)
        self.services: Optional["Services"] = None
        self.pane: Optional["ConfigPane"] = None
        self.welcome: Optional["WelcomePage"] = None  # the first-run page, while the workspace has no action
        self._paste_curl_next = False
        self.sync: Optional["WorkspaceSync"] = None  # follows the workspace on disk, once it is loaded
        self._ready = False
        self._listed = False
        self._closing = False
        self._shut_down = False
        self._state = WindowState(settings or open_settings(), self.home)
        self.undo_stack = QUndoStack(self)
        self.setWindowTitle(f"[*]Action Studio — {self.home.name}")
        self.setWindowIcon(app_icon())  # the launcher's icon (files read at first paint)
        self.setAcceptDrops(True)
        self.resize(1400, 900)

        self.list = ActionListWidget(self)
        self.placeholder = QLabel("Loading the workspace…", self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        icons.tint(self.placeholder, "quiet")
        self.journeys = JourneysArea(self.undo_stack, self)
        # Left: actions and journeys as tabs; right: the pane or the journey view, as the tab says.
        self.left = QTabWidget(self)
        self.left.setObjectName("leftTabs")
        self.left.addTab(self.list, "Actions")
        self.left.addTab(self.journeys.list, "Journeys")
        # Tab goes from the list straight to the pane; Ctrl+J / Ctrl+F switch between the tabs.
        self.left.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.left.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.left.setTabToolTip(0, "Actions (Ctrl+F searches them)")
        self.left.setTabToolTip(1, "Journeys (Ctrl+J)")
        self.right = QStackedWidget(self)
        self.right.setObjectName("rightStack")
        self.right.addWidget(self.placeholder)
        self.right.addWidget(self.journeys.page)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([560, 840])
        self.splitter.setChildrenCollapsible(False)
        self._policies: dict[QWidget, QSizePolicy] = {}
        self.right.currentChanged.connect(lambda _i: self._size_by_current(self.right))

        self.writes = WorkspaceWrites(self)
        self.current = CurrentAction(self.list, self.undo_stack, self)
        self.menus = Menus(self, self.undo_stack, self.home)
        self.status = StatusArea(self, self.undo_stack, self.list.model)
        self.panels = Panels(self)
        self.files = FileOps(self.current, self.writes, self)
        self.interop = ImportExport(self.current, self.writes, self.files.import_paths, self)
        self.interop.add_menus(self.menus.file_menu, before=self.menus.save_act)
        self.edits = ActionEdits(self.current, self.writes, self)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.status.keyring_banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self._state.restore(self, self.splitter, self.list.table.horizontalHeader())
        self._connect_signals()

        from ui.actionlist.ops import quick_rows

        run_in_background(quick_rows, self.home, owner=self, on_done=lambda rows: self._on_rows(rows, services, sample),
                          on_error=lambda _exc: self._on_rows(None, services, sample))

    def _connect_signals(self) -> None:
        m, edits, files, panels = self.menus, self.edits, self.files, self.panels
        for act, slot in ((m.new_act, edits.add_action), (m.import_act, files.import_dialog),
                          (m.export_act, files.export_selected), (m.export_all_act, files.export_all),
                          (m.env_act, panels.edit_environments), (m.quit_act, self.close), (m.save_act, self.save),
                          (m.dup_act, edits.duplicate_action), (m.delete_act, edits.delete_action),
                          (m.find_act, self.list.focus_search), (m.sandbox_act, panels.toggle_sandbox_panel),
                          (m.test_request_act, self._request_test),
                          (m.send_panel_act, lambda: panels.toggle_dock("send")),
                          (m.history_act, lambda: panels.toggle_dock("history")),
                          (m.test_auth_act, self.test_authentication), (m.check_act, self.open_check)):
            act.triggered.connect(lambda *_, slot=slot: slot())  # `checked` is not an argument of the slots
        self.list.addAction(m.delete_act)  # Delete is a shortcut of the list only (see Menus)
        m.find_act.triggered.connect(self.show_actions)
        QShortcut(QKeySequence("Ctrl+J"), self, self.show_journeys)
        self.left.currentChanged.connect(self._left_changed)
        self._size_by_current(self.left)
        self._size_by_current(self.right)
        self.list.addRequested.connect(edits.add_action)
        self.list.duplicateRequested.connect(edits.duplicate_action)
        self.list.deleteRequested.connect(edits.delete_action)
        self.current.shown.connect(self._on_shown)
        self.current.changed.connect(self.actionsChanged)
        self.current.dirtyChanged.connect(self.setWindowModified)
        panels.dockShown.connect(m.dock_shown)
        panels.environmentChanged.connect(self._on_environment_changed)
        panels.sendPanelMade.connect(self._on_send_panel_made)

    def _on_environment_changed(self) -> None:
        if self.pane is not None:
            self.pane.refresh_resolved()

    def _on_send_panel_made(self, panel: "SendPanel") -> None:
        """The Send events panel follows the window: its names, its choice, its reloads."""
        if self.sync is not None:
            self.sync.follow_window(panel)

    # -- loading --------------------------------------------------------------------------------
    def is_ready(self) -> bool:
        return self._ready

    def _on_rows(self, rows: Optional[list[Any]], services: Optional["Services"], sample: bool) -> None:
        """The index's rows are in (None: the workspace must be opened first): show them, then open it."""
        from ui.actionlist.ops import load_workspace

        def load() -> None:
            run_in_background(load_workspace, self.home, services, sample,
                              owner=self, on_done=self._on_loaded, on_error=self._on_load_failed)

        if rows is None:
            load()
            return
        self.list.model.set_summaries(rows)
        self._announce_listed(then=load)  # the worker's imports would hold the GIL over the first paint

    def _announce_listed(self, then: Optional[Callable[[], None]] = None) -> None:
        def announce() -> None:
            self.listed.emit()
            if then is not None:
                then()

        if not self._listed:
            self._listed = True
            QTimer.singleShot(0, announce)  # once the filled list has been painted

    def _on_loaded(self, loaded: "Loaded") -> None:
        from ui.pane.pane import ConfigPane  # pydantic and the models are imported by now

        services = self.services = loaded.services
        if self._listed:  # the checked rows: the same unless a file was broken (set aside) or changed
            self.list.model.sync(loaded.summaries)
            self.list.model.set_used_in(loaded.used_in)
        else:
            self.list.model.set_summaries(loaded.summaries, loaded.used_in)
            self._announce_listed()
        pane = self.pane = ConfigPane(services, self.undo_stack, self.current.name_taken, self)
        self.current.attach(services, pane)
        pane.duplicateRequested.connect(self.edits.duplicate_action)
        pane.testRequested.connect(self.open_test_request)
        self.right.insertWidget(0, pane)  # behind the placeholder until the first action fills it
        self.menus.workspace_loaded()
        for problem in loaded.problems:
            message.warning(problem)
        last = self._state.last_action()
        first = last if last and self.list.model.row_of(last) >= 0 else None
        if first is None and self.list.proxy.rowCount():
            first = self.list.proxy.data(self.list.proxy.index(0, 0))
        if first:
            self.current.open_action(first, then=lambda _ok: self._show_pane_then_ready())
        else:
            pane.clear()
            self._show_pane()
            self._show_welcome()
            self._become_ready()

    def _show_pane_then_ready(self) -> None:
        self._show_pane()
        self._become_ready()

    def _show_pane(self) -> None:
        """The pane in place of the placeholder, once it shows the first action: it is laid out and
        painted once, full, not once empty and again filled (~15 ms of CPU at each start)."""
        assert self.pane is not None
        self.right.setCurrentWidget(self.pane if self.left.currentIndex() == 0 else self.journeys.page)
        self.placeholder.deleteLater()

    # -- the first run ------------------------------------------------------------------------------
    def _show_welcome(self) -> None:
        """An empty workspace: the ways in, instead of an empty pane."""
        from ui.welcome import WelcomePage

        page = self.welcome = WelcomePage(self.home, self)
        page.sampleRequested.connect(self.open_sample)
        page.newRequested.connect(self.edits.add_action)
        page.importRequested.connect(self.files.import_dialog)
        page.curlRequested.connect(self._new_from_curl)
        self.right.addWidget(page)
        if self.left.currentIndex() == 0:
            self.right.setCurrentWidget(page)

    def _actions_page(self) -> Optional[QWidget]:
        return self.welcome or self.pane

    def _new_from_curl(self) -> None:
        self._paste_curl_next = True  # once the new action is shown (_on_shown), its Paste cURL
        self.edits.add_action()

    def open_sample(self) -> None:
        """This window gives way to one on the sample workspace (installed there on first use)."""
        from app.sample import sample_home
        from ui.app import open_workspace

        open_workspace(self, sample_home(), sample=True)

    def _become_ready(self) -> None:
        """The first action is shown (or none could be): follow the disk, show the tools, go."""
        from ui.workspacesync import WorkspaceSync

        assert self.services is not None
        self.sync = WorkspaceSync(self.current, self.writes, self.services.workspace, self)
        self.panels.attach(self.services)
        self.panels.reopen(self._state.open_docks())
        self.journeys.attach(self.services)
        if self.journeys_shown():  # the Journeys tab came back shown: its view is needed now
            self.journeys.ensure_view()
        self.sync.watcher.read.connect(self.journeys.reload)  # journeys/ is watched with actions/
        self._ready = True
        message.info(f"Opened {self.home}")
        self.ready.emit()
        self.status.attach(self.services, self.home)

    def _on_load_failed(self, exc: BaseException) -> None:
        self.placeholder.setText(f"The workspace could not be opened:\n{exc}")
        message.error(f"The workspace could not be opened: {exc}")

    # -- actions or journeys -----------------------------------------------------------------------
    def show_journeys(self) -> None:
        """Ctrl+J: the Journeys tab, its list focused; the right-hand area shows the journey view."""
        self.left.setCurrentWidget(self.journeys.list)
        self.journeys.list.list.setFocus()

    def show_actions(self) -> None:
        self.left.setCurrentWidget(self.list)

    def _size_by_current(self, stack: "QStackedWidget | QTabWidget") -> None:
        """Only the shown page of a stack counts for its minimum size: the action table and pane
        do not widen the window while the journey view is shown, nor the journey view the pane."""
        current = stack.currentWidget()
        for i in range(stack.count()):
            page = stack.widget(i)
            original = self._policies.setdefault(page, page.sizePolicy())
            page.setSizePolicy(original if page is current else QSizePolicy(QSizePolicy.Policy.Ignored,
                                                                            QSizePolicy.Policy.Ignored))

    def _left_changed(self, index: int) -> None:
        # The journey list needs less room than the action table; the journey view needs more.
        self._size_by_current(self.left)
        sizes, total = self.splitter.sizes(), sum(self.splitter.sizes())
        if index == 1:
            self.status.clear_message()  # the action pane's news (an unsaved problem) is not about journeys
            self._actions_width = sizes[0]
            self.splitter.setSizes([JOURNEY_LIST_WIDTH, max(total - JOURNEY_LIST_WIDTH, 0)])
            self.journeys.ensure_view()  # built the first time the tab is shown
            self.right.setCurrentWidget(self.journeys.page)
            return
        width = getattr(self, "_actions_width", sizes[0])
        self.splitter.setSizes([width, max(total - width, 0)])
        page = self._actions_page()
        if page is not None:
            self.right.setCurrentWidget(page)

    def journeys_shown(self) -> bool:
        return self.left.currentIndex() == 1

    # -- the current action -----------------------------------------------------------------------
    def current_name(self) -> str:
        return self.current.current_name()

    def _on_shown(self, name: str) -> None:
        if name and self.welcome is not None and self.pane is not None:  # the workspace has an action now
            if self.right.currentWidget() is self.welcome:
                self.right.setCurrentWidget(self.pane)
            self.welcome.deleteLater()
            self.welcome = None
        if name and self._paste_curl_next and self.pane is not None:
            self._paste_curl_next = False
            self.pane.scroll_to("auth")
            self.pane.auth.modebar.pasteClicked.emit()
        if name:
            self.menus.action_shown(draft=name == self.current.draft_name())
            self.interop.action_shown(draft=name == self.current.draft_name())
            self.setWindowTitle(f"{name}[*] — Action Studio — {self.home.name}")
        self.actionShown.emit(name)

    def save(self) -> None:
        if self.journeys_shown():
            if self.journeys.view is not None and self.journeys.view.path is not None:
                self.journeys.view.editor.save()
            return
        if self.pane is not None and self.pane.action() is not None:
            self.pane.save()

    def _request_test(self) -> None:
        if self.pane is not None:
            self.pane.request_test()

    def open_test_request(self) -> None:
        """The test-request dialog on the pane's saved action."""
        self.panels.open_test_request(self.pane.action() if self.pane is not None else None)

    def open_check(self) -> None:
        """The readiness check dialog on the pane's saved action."""
        self.panels.open_check(self.pane.action() if self.pane is not None else None)

    def test_authentication(self) -> None:
        if self.pane is not None:
            self.pane.test_authentication()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest:
            settle_layouts()  # painted once, in the layout the change ends up with (ui.paintonce)
        return super().event(event)

    # -- drops ------------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if importable_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = importable_paths(event.mimeData())
        if paths:  # the format of each is sniffed in a worker; our own exports go the native way
            event.acceptProposedAction()
            self.interop.import_paths(paths)

    # -- closing ---------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing or self._shut_down:
            event.accept()
            return
        view = self.journeys.view
        if view is not None and view.is_dirty():
            answer = ask.save_discard_cancel(self, view.editor.data.get("name") or "the journey")
            if answer == "cancel":
                event.ignore()
                return
            if answer == "save":
                event.ignore()
                view.editor.saved.connect(lambda _path: self.close())
                view.editor.save()
                return
            view.editor.saved_data = view.editor.data  # discarded: closing asks no more about it
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
        self._closed_down = True  # workers owned by the window (or its parts) deliver nothing from now on
        self.panels.stop()
        self.journeys.stop()
        if self.sync is not None:
            self.sync.stop()
        if self.pane is not None:
            self.pane.shut_down()
        self._state.save(self, self.splitter, self.list.table.horizontalHeader(), self.current_name(),
                         self.panels.open_docks())
        self.status.stop()
        from ui.workers import wait_idle

        wait_idle()
        self.edits.forget_deleted()
