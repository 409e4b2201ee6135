"""The window's actions, menus and Help: every QAction with its shortcut, the menu bar, the
keyboard-shortcuts dialog and About."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QLabel, QMainWindow, QMenuBar, QVBoxLayout, QWidget

from ui import ask, icons, message

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


class Menus(QObject):
    """Every QAction of the window (shortcuts included) and the menu bar; Help is handled here.

    The actions are not wired to anything but Help: the window connects each `triggered` to the
    part that does the work, so this module knows no other part of the window.
    """

    def __init__(self, window: QMainWindow, undo_stack: QUndoStack, home: Path) -> None:
        super().__init__(window)
        self._window = window
        self._home = home
        self._build_actions(undo_stack)
        self._build_menus(window.menuBar())

    def _action(self, text: str, shortcut: Any = None, icon: str = "", name: str = "") -> QAction:
        act = QAction(text, self._window)
        if icon:
            act.setIcon(icons.icon(icon))
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        if name:
            act.setObjectName(name)
        return act

    def _build_actions(self, undo_stack: QUndoStack) -> None:
        K = QKeySequence.StandardKey
        self.new_act = self._action("&New action", K.New, "add", "newAction")
        self.import_act = self._action("&Import…", K.Open, "import", "importAction")
        self.export_act = self._action("&Export selected…", "Ctrl+E", "export", "exportSelected")
        self.export_all_act = self._action("Export &all…", None, "export", "exportAll")
        self.env_act = self._action("E&nvironments…", None, "environment", "environments")
        self.quit_act = self._action("&Quit", K.Quit, "", "quitAction")
        self.save_act = self._action("&Save", K.Save, "save", "saveAction")
        self.undo_act = undo_stack.createUndoAction(self._window, "&Undo")
        self.undo_act.setShortcut(QKeySequence(K.Undo))
        self.undo_act.setIcon(icons.icon("undo"))
        self.redo_act = undo_stack.createRedoAction(self._window, "&Redo")
        self.redo_act.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence(K.Redo)])
        self.redo_act.setIcon(icons.icon("redo"))
        self.dup_act = self._action("&Duplicate", "Ctrl+D", "duplicate", "duplicateAction")
        self.delete_act = self._action("De&lete", K.Delete, "delete", "deleteAction")
        # Delete acts in the list only (the window adds it there), so it never fights a text field's own Delete key.
        self.delete_act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.find_act = self._action("&Find action", K.Find, "search", "findAction")
        self.sandbox_act = self._action("&Sandbox panel", "Ctrl+Shift+B", "sandbox", "sandboxPanelAction")
        self.test_request_act = self._action("Send &test request…", "Ctrl+Return", "send", "testRequestAction")
        self.send_panel_act = self._action("Send &events", "Ctrl+Shift+E", "send", "sendPanelAction")
        self.history_act = self._action("&History", "Ctrl+Shift+H", "", "historyAction")
        for act in (self.sandbox_act, self.send_panel_act, self.history_act):
            act.setCheckable(True)
        self.test_auth_act = self._action("Test &authentication", "Ctrl+T", "send", "testAuthAction")
        self.check_act = self._action("&Check endpoint…", None, "", "checkEndpointAction")
        self.shortcuts_act = self._action("&Keyboard shortcuts", K.HelpContents, "", "shortcuts")
        self.about_act = self._action("&About Action Studio", None, "info", "about")
        self.log_folder_act = self._action("Open &log folder", None, "", "openLogFolder")
        self.log_folder_act.triggered.connect(lambda *_: self.open_log_folder())
        self.shortcuts_act.triggered.connect(lambda *_: self.show_shortcuts())
        self.about_act.triggered.connect(lambda *_: self.show_about())
        for act in (self.save_act, *self._per_action()):
            act.setEnabled(False)

    def _per_action(self) -> tuple[QAction, ...]:
        """The actions that act on the action being edited."""
        return (self.dup_act, self.delete_act, self.export_act, self.test_auth_act, self.test_request_act,
                self.check_act)

    def _build_menus(self, bar: QMenuBar) -> None:
        file = bar.addMenu("&File")
        self.file_menu = file  # ui.importexport adds its Import from / Export as submenus here
        for act in (self.new_act, self.import_act, None, self.save_act, self.export_act, self.export_all_act,
                    None, self.env_act, None, self.quit_act):
            file.addSeparator() if act is None else file.addAction(act)
        edit = bar.addMenu("&Edit")
        for act in (self.undo_act, self.redo_act, None, self.dup_act, self.delete_act, None, self.find_act):
            edit.addSeparator() if act is None else edit.addAction(act)
        tools = bar.addMenu("&Tools")
        for act in (self.sandbox_act, self.send_panel_act, self.history_act, None, self.test_request_act,
                    self.test_auth_act, self.check_act):
            tools.addSeparator() if act is None else tools.addAction(act)
        help_ = bar.addMenu("&Help")
        help_.addAction(self.shortcuts_act)
        help_.addAction(self.log_folder_act)
        help_.addSeparator()
        help_.addAction(self.about_act)

    # -- state --------------------------------------------------------------------------------
    def workspace_loaded(self) -> None:
        self.save_act.setEnabled(True)

    def action_shown(self, draft: bool) -> None:
        """An action is in the pane: what acts on it is enabled (a draft has no file to export)."""
        for act in self._per_action():
            act.setEnabled(True)
        self.export_act.setEnabled(not draft)

    def dock_shown(self, which: str, shown: bool) -> None:
        """Checked means open (a dock tabbed behind another is still open)."""
        act = {"sandbox": self.sandbox_act, "send": self.send_panel_act, "history": self.history_act}[which]
        act.setChecked(shown)

    # -- Help ---------------------------------------------------------------------------------
    def show_shortcuts(self) -> None:
        dialog = shortcuts_dialog(self._window)
        ask.show_dialog(dialog)
        dialog.deleteLater()

    def show_about(self) -> None:
        from ui.about import about_dialog

        dialog = about_dialog(self._window, self._home)
        ask.show_dialog(dialog)
        dialog.deleteLater()

    def open_log_folder(self) -> None:
        """The log folder in the desktop's file manager (made first: it may not exist yet)."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from app.logs import log_dir

        folder = log_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            message.error(f"The log folder {folder} cannot be made: {exc.strerror}")
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            message.warning(f"No file manager opened the log folder: {folder}")


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
