"""The window's actions, menus and Help: every QAction with its shortcut, the menu bar, the
keyboard-shortcuts dialog and About. A mixin of `MainWindow`; the slots it wires live there or in
the other window mixins."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui import ask, icons

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


class MenusMixin:
    """Builds the actions and menus; `MainWindow` calls `_build_actions` then `_build_menus`."""

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

    def show_shortcuts(self) -> None:
        dialog = shortcuts_dialog(self)
        ask.show_dialog(dialog)
        dialog.deleteLater()

    def show_about(self) -> None:
        from PySide6 import __version__ as pyside

        ask.inform(self, "About Action Studio", "<b>Action Studio</b> 0.1",
                   "A native desktop studio for journey custom actions: configure, test authentication, "
                   f"send events against a local sandbox.\n\nWorkspace: {self.home}\nQt for Python {pyside}")


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
