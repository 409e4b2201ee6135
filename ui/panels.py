"""The window's tools: the menu-bar corner (active environment, sandbox status), the sandbox,
Send events and History docks, and the test-request dialogs."""
from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, Optional

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenuBar,
    QPushButton,
    QScrollArea,
    QWidget,
)

from ui import ask, icons, message
from ui.workers import run_in_background

if TYPE_CHECKING:
    from app.model import Action, EnvironmentSet
    from app.services import Services
    from ui.sandbox_panel import SandboxPanel


STATUS_POLL_MS = 1000  # how often the menu bar's sandbox status is read again
PANE_MIN_HEIGHT = 300  # the list and the pane above the bottom docks never get less (800x600 included)


class PanelDock(QDockWidget):
    """A bottom dock whose panel scrolls: the dock can be shorter than the panel's own minimum
    (the Send events panel needs ~530 px), so opening it never squeezes the pane to a thin band."""

    def set_panel(self, panel: QWidget) -> None:
        self.panel = panel
        scroll = QScrollArea(self)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        scroll.setWidget(panel)
        self.setWidget(scroll)


def _forget_deleted(dialogs: list[Any], *_: Any) -> None:
    """A closed dialog deleted itself: let its Python side go too (and never touch it again)."""
    dialogs[:] = [d for d in dialogs if shiboken6.isValid(d)]


class Panels(QObject):
    """Environments, sandbox and the bottom docks (each built on first use), the test-request dialogs."""

    dockShown = Signal(str, bool)  # "sandbox", "send" or "history"; checked means open, even tabbed behind
    sendPanelMade = Signal(object)  # the Send events panel, built: the window makes it follow the list
    environmentChanged = Signal()  # the active environment or its variables changed: resolve again

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.services: Optional["Services"] = None
        self.sandbox_panel: Optional["SandboxPanel"] = None
        self.docks: dict[str, PanelDock] = {}  # the Send events and History docks
        self.request_dialogs: list[QDialog] = []
        self._build_corner(window.menuBar())
        self._sandbox_timer = QTimer(self)
        self._sandbox_timer.setInterval(STATUS_POLL_MS)
        self._sandbox_timer.timeout.connect(self.update_sandbox_status)
        self.update_sandbox_status()

    def _build_corner(self, bar: QMenuBar) -> None:
        """The right end of the menu bar: `env: [sandbox ▾]` and the sandbox status dot."""
        corner = QWidget(bar)
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
        bar.setCornerWidget(corner, Qt.Corner.TopRightCorner)

    def attach(self, services: "Services") -> None:
        """The workspace is loaded: its environments in the combo, the sandbox's state followed."""
        self.services = services
        self._fill_env_combo()
        self.update_sandbox_status()
        self._sandbox_timer.start()

    def stop(self) -> None:
        """The window is closing: no more polling."""
        self._sandbox_timer.stop()
        if self.sandbox_panel is not None:
            self.sandbox_panel.stop_polling()

    # -- environments ---------------------------------------------------------------------------
    def _fill_env_combo(self) -> None:
        assert self.services is not None

        def filled(envs: "EnvironmentSet") -> None:
            self.env_combo.clear()
            for env in envs.environments:
                self.env_combo.addItem(env.name)
            self.env_combo.setCurrentText(envs.active)
            self.env_combo.setEnabled(bool(envs.environments))

        run_in_background(self.services.environments, owner=self, on_done=filled,
                          on_error=message.failure("Environments"))

    def _on_env_chosen(self, _index: int) -> None:
        assert self.services is not None
        name = self.env_combo.currentText()
        envs = self.services.environments()
        if name == envs.active:
            return
        updated = envs.model_copy(update={"active": name})

        def saved(_: Any) -> None:
            message.info(f"Active environment: {name}")
            self.environmentChanged.emit()

        run_in_background(self.services.save_environments, updated, owner=self, on_done=saved,
                          on_error=message.failure("Could not switch environment"))

    def edit_environments(self) -> None:
        if self.services is None:
            return
        from app.store import StoreError
        from ui.environments import EnvironmentsDialog

        try:
            dialog = EnvironmentsDialog(self.services, self._window)
        except StoreError as exc:  # a broken environments.json: named, and never edited over
            message.failure("Environments")(exc)
            return
        dialog.saved.connect(self._on_environments_saved)
        ask.show_dialog(dialog)
        dialog.deleteLater()

    def _on_environments_saved(self) -> None:
        self._fill_env_combo()
        self.environmentChanged.emit()

    # -- docks ----------------------------------------------------------------------------------
    def toggle_sandbox_panel(self, show: Optional[bool] = None) -> None:
        if self.services is None:
            return
        if self.sandbox_panel is None:
            from ui.sandbox_panel import SandboxPanel

            self.sandbox_panel = SandboxPanel(self.services, self._window)
            self._add_bottom_dock(self.sandbox_panel)
            self.sandbox_panel.visibilityChanged.connect(lambda visible: self.dockShown.emit("sandbox", visible))
            self.sandbox_panel.stateChanged.connect(self.update_sandbox_status)
        visible = (not self.sandbox_panel.isVisible()) if show is None else show
        self.sandbox_panel.setVisible(visible)
        self.dockShown.emit("sandbox", visible)
        if visible:
            self.sandbox_panel.raise_()

    def open_docks(self) -> tuple[str, ...]:
        """The panels open now (a dock tabbed behind another is open), for the next start."""
        docks = {"sandbox": self.sandbox_panel, **self.docks}
        return tuple(name for name, dock in docks.items() if dock is not None and not dock.isHidden())

    def reopen(self, names: list[str]) -> None:
        """Open the panels that were open when the window last closed."""
        for name in names:
            self.toggle_sandbox_panel(True) if name == "sandbox" else self.toggle_dock(name, True)

    def toggle_dock(self, which: str, show: Optional[bool] = None) -> None:
        """The Send events and History panels, as docks at the bottom, built on first use."""
        if self.services is None:
            return
        dock = self.docks.get(which)
        if dock is None:
            from ui.sending import HistoryPanel, SendPanel

            title, panel_type = {"send": ("Send events", SendPanel), "history": ("History", HistoryPanel)}[which]
            dock = PanelDock(title, self._window)
            dock.setObjectName(f"{which}Dock")
            dock.set_panel(panel_type(self.services, dock))
            self._add_bottom_dock(dock)
            dock.visibilityChanged.connect(lambda _visible, d=dock: self.dockShown.emit(which, not d.isHidden()))
            self.docks[which] = dock
            if which == "send":
                self.sendPanelMade.emit(dock.panel)
        visible = (not dock.isVisible()) if show is None else show
        dock.setVisible(visible)
        if visible:
            dock.raise_()

    def _add_bottom_dock(self, dock: QDockWidget) -> None:
        """Bottom docks share one tab group below the list and the pane, which keep a usable height."""
        window = self._window
        others = [d for d in (self.sandbox_panel, *self.docks.values()) if d is not None and d is not dock]
        central = window.centralWidget()
        if central is not None:
            central.setMinimumHeight(PANE_MIN_HEIGHT)
        if window.restoreDockWidget(dock):  # where it was when the window last closed (ui.windowstate)
            return
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        if others:
            window.tabifyDockWidget(others[-1], dock)
        else:  # a third of the window, once shown (the window is the timer's context: gone, no call)
            QTimer.singleShot(0, window, lambda: window.resizeDocks([dock], [window.height() // 3],
                                                                     Qt.Orientation.Vertical))

    # -- calls ----------------------------------------------------------------------------------
    def open_test_request(self, action: Optional["Action"]) -> None:
        """The test-request dialog on a saved action (non-modal: several may be open)."""
        if action is None or self.services is None:
            return
        from ui.sending import open_test_request

        dialog = open_test_request(self._window, self.services, action)
        self.request_dialogs.append(dialog)
        # Not a slot of this object: a dialog may also be destroyed while the window itself is.
        dialog.destroyed.connect(partial(_forget_deleted, self.request_dialogs))

    def open_check(self, action: Optional["Action"]) -> None:
        """The endpoint readiness check of a saved action (non-modal, kept with the request dialogs)."""
        if action is None or self.services is None:
            return
        from ui.check_dialog import CheckDialog

        dialog = CheckDialog(self.services, action, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.request_dialogs.append(dialog)
        dialog.destroyed.connect(partial(_forget_deleted, self.request_dialogs))

    def update_sandbox_status(self) -> None:
        sandbox = self.services.sandbox if self.services is not None else None
        self.sandbox_dot.setPixmap(icons.dot("ok" if sandbox is not None else ""))
        self.sandbox_text.setText("sandbox running" if sandbox is not None else "sandbox stopped")
        if sandbox is not None:
            self.sandbox_text.setToolTip(f"The local sandbox answers at {sandbox.base_url}")
