"""The window's tools: the menu-bar corner (active environment, sandbox status), the sandbox,
Send events and History docks, the test-request dialogs and the Test authentication shortcut.
A mixin of `MainWindow`."""
from __future__ import annotations

from typing import Any, Optional

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from ui import ask, icons, message
from ui.workers import run_in_background


class PanelsMixin:
    """Environments, sandbox and the bottom docks, all built on first use."""

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

        from app.store import StoreError

        try:
            dialog = EnvironmentsDialog(self.services, self)
        except StoreError as exc:  # a broken environments.json: named, and never edited over
            self._failed("Environments")(exc)
            return
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
