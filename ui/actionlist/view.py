"""The left side: search box, Add / Duplicate / Delete, and the action table (model/view)."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Optional

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import icons
from ui.actionlist.model import (
    AUTH,
    COLUMNS,
    DESCRIPTION,
    METHOD,
    MODIFIED,
    NAME,
    USED,
    ActionFilterProxy,
    ActionListModel,
)
from ui.actionlist.table import ActionTable

WIDTHS = {NAME: 150, DESCRIPTION: 160, USED: 56, METHOD: 56, AUTH: 62, MODIFIED: 126}


class ActionListWidget(QWidget):
    """Emits currentNameChanged when the user selects another action (the window may veto it)."""

    currentNameChanged = Signal(str)
    addRequested = Signal()
    duplicateRequested = Signal()
    deleteRequested = Signal()

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.model = ActionListModel(self)
        self.proxy = ActionFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._current = ""
        self._quiet = False

        self.search = QLineEdit(self)
        self.search.setObjectName("actionSearch")
        self.search.setAccessibleName("Search actions")
        self.search.setPlaceholderText("Search name, description or URL (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition).setToolTip(
            "Filter by name, description or URL (Esc clears)")
        self.search.textChanged.connect(self._on_search)
        self.search.installEventFilter(self)

        self.add_button = self._button("addActionButton", "add", "Add", "Add a new action (Ctrl+N)")
        self.duplicate_button = self._button("duplicateActionButton", "duplicate", "Duplicate",
                                             "Duplicate the selected action (Ctrl+D)")
        self.delete_button = self._button("deleteActionButton", "delete", "Delete",
                                          "Delete the selected action (Delete)")
        self.add_button.clicked.connect(self.addRequested)
        self.duplicate_button.clicked.connect(self.duplicateRequested)
        self.delete_button.clicked.connect(self.deleteRequested)

        self.table = ActionTable(self)
        self.table.setObjectName("actionTable")
        self.table.setAccessibleName("Actions")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Tab leaves the list (see focusNextPrevChild): cell-by-cell Tab opened a new action each time.
        self.table.setTabKeyNavigation(False)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(NAME, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vh = self.table.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 8)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)  # takes what is left
        hh.setMinimumSectionSize(40)
        hh.setHighlightSections(False)
        for col, width in WIDTHS.items():
            self.table.setColumnWidth(col, width)
        hh.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        hh.customContextMenuRequested.connect(self._on_header_menu)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.proxy.layoutChanged.connect(self._keep_current_visible)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("actionCount")
        icons.tint(self.count_label, "quiet")
        # Its line stays when hidden: showing it at the first key would shrink the table, and relaying
        # out and repainting 10,000 rows' view cost a keystroke more than a frame (issue 14).
        policy = self.count_label.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.count_label.setSizePolicy(policy)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.duplicate_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.setSpacing(6)
        layout.addWidget(self.search)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.layoutChanged):
            signal.connect(self._update_count)
        self._update_buttons()

    def _button(self, name: str, icon: str, text: str, tip: str) -> QPushButton:
        button = QPushButton(icons.icon(icon), text, self)
        button.setObjectName(name)
        button.setAccessibleName(tip.split(" (")[0])
        button.setToolTip(tip)
        return button

    # -- selection ------------------------------------------------------------------------------
    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Model changes inside do not announce selection changes (the window reselects after)."""
        old, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = old

    def current_name(self) -> str:
        return self._current

    def select(self, name: str, quiet: bool = True) -> bool:
        """Make `name` the current row (clearing the search if it hides it); quiet: no signal."""
        row = self.proxy.proxy_row_of(name)
        if row < 0 and self.model.row_of(name) >= 0 and self.search.text():
            self.search.clear()
            row = self.proxy.proxy_row_of(name)
        old, self._quiet = self._quiet, quiet or self._quiet
        try:
            if row < 0:
                self.table.selectionModel().clearCurrentIndex()
                self.table.clearSelection()
                self._set_current("")
                return False
            index = self.proxy.index(row, NAME)
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index)
            self._set_current(name)
            return True
        finally:
            self._quiet = old

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        name = self.proxy.data(self.proxy.index(current.row(), NAME)) if current.isValid() else ""
        if self._quiet or name == self._current:
            return
        if name:
            self._set_current(name, announce=True)

    def _set_current(self, name: str, announce: bool = False) -> None:
        self._current = name
        self._update_buttons()
        if announce:
            self.currentNameChanged.emit(name)

    def _keep_current_visible(self, *_: object) -> None:
        if self._current:
            row = self.proxy.proxy_row_of(self._current)
            if row >= 0:
                self.table.scrollTo(self.proxy.index(row, NAME))

    def _update_buttons(self) -> None:
        has = bool(self._current)
        self.duplicate_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    # -- search ---------------------------------------------------------------------------------
    def _on_search(self, text: str) -> None:
        changed = self.proxy.set_text(text)
        self._update_count()  # the label quotes the text even when the rows shown did not change
        if changed and self._current:
            row = self.proxy.proxy_row_of(self._current)
            if row >= 0:
                self._quiet = True
                try:
                    index = self.proxy.index(row, NAME)
                    flags = QItemSelectionModel.SelectionFlag
                    self.table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
                    self.table.scrollTo(index)
                finally:
                    self._quiet = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            if self.search.text():
                self.search.clear()
            else:  # nothing to clear: Esc goes back to the list
                self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        return super().eventFilter(watched, event)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab from the table leaves the list for the widget beside it (the pane), as the eye goes.

        The window's focus chain follows creation order, and the pane is built after the menu bar's
        corner widgets, so Qt's own order would go from the list to the environment combo.
        """
        if next and self.table.hasFocus():
            target = self._first_focusable_beside()
            if target is not None:
                target.setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return super().focusNextPrevChild(next)

    def _first_focusable_beside(self) -> Optional[QWidget]:
        """The first widget after the list in the focus chain that sits beside it (the pane): in its
        parent, else in the parent's parent (the list may sit in a tab, beside the journeys)."""
        parent = self.parentWidget()
        while parent is not None:
            widget = self.table.nextInFocusChain()
            while widget is not self.table:  # the chain is a ring
                if not self.isAncestorOf(widget) and parent.isAncestorOf(widget) and _takes_tab_focus(widget):
                    return widget
                widget = widget.nextInFocusChain()
            parent = parent.parentWidget()
            if parent is not None and parent.isWindow():
                return None  # nothing beside the list: Qt's own order
        return None

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _update_count(self, *_: object) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        text = f"{total} action{'s' if total != 1 else ''}"
        self.count_label.setText(f"{shown} of {text} match “{self.search.text()}”")
        self.count_label.setVisible(shown != total or bool(self.proxy.text()))

    # -- columns --------------------------------------------------------------------------------
    def _on_header_menu(self, pos) -> None:
        menu = QMenu(self)
        for col, title in enumerate(COLUMNS):
            if col == NAME:
                continue
            act = QAction(title, menu)
            act.setCheckable(True)
            act.setChecked(not self.table.isColumnHidden(col))
            act.toggled.connect(lambda on, c=col: self.table.setColumnHidden(c, not on))
            menu.addAction(act)
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))


def _takes_tab_focus(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.isVisible() and widget.isEnabled()
