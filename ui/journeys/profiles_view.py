"""The profile table with its filter bar: outcome, last node, jo_status_code, duration, profile id.
Selecting a row says which profile entry to trace (`profileSelected(path, seq)`)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.journeys.tracetable import ProfileFilter
from ui.journeys.profiles_model import ProfilesModel

ANY = "Any"


class ProfilesPane(QWidget):
    profileSelected = Signal(object, int)  # run file, profile entry (seq)

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("journeyProfilesPane")
        self.model = ProfilesModel(self)
        self._syncing = False
        self.outcome, self.last_node, self.status = (self._combo(n, tip) for n, tip in (
            ("journeyOutcomeFilter", "Outcome"), ("journeyLastNodeFilter", "Last node"),
            ("journeyStatusFilter", "A call's jo_status_code")))
        self.search = QLineEdit(self)
        self.search.setObjectName("journeyProfileSearch")
        self.search.setPlaceholderText("Profile id contains…")
        self.search.setClearButtonEnabled(True)
        self.min_ms, self.max_ms = self._spin("at least"), self._spin("at most")
        self.all_button = QPushButton("All", self)
        self.all_button.setToolTip("Show every profile (clear the filters)")
        self.caption = QLabel(self)
        self.caption.setObjectName("journeyProfilesCaption")
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableView(self)
        self.table.setObjectName("journeyProfileTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self._layout()
        self._debounce = QTimer(self, singleShot=True, interval=250, timeout=self._apply_bar)
        for combo in (self.outcome, self.last_node, self.status):
            combo.activated.connect(self._apply_bar)
        self.search.textChanged.connect(self._debounce.start)
        self.min_ms.valueChanged.connect(self._debounce.start)
        self.max_ms.valueChanged.connect(self._debounce.start)
        self.all_button.clicked.connect(lambda: self.filter_to("all", None))
        self.model.loaded.connect(self._refresh_bar)
        self.model.failed.connect(lambda text: self.caption.setText(f"Cannot read the run: {text}"))
        self.model.modelReset.connect(self._refresh_caption)
        self.table.selectionModel().selectionChanged.connect(self._selected)

    def _combo(self, name: str, tip: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setToolTip(tip)
        combo.addItem(ANY, None)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(6)
        return combo

    def _spin(self, what: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox(self)
        spin.setRange(0, 10**9)
        spin.setDecimals(0)
        spin.setSuffix(" ms")
        spin.setSpecialValueText("—")
        spin.setToolTip(f"Duration {what} (— : no bound)")
        return spin

    def _layout(self) -> None:
        # Two rows, so the pane fits beside a readable trace in a 1280-pixel window.
        rows = (QHBoxLayout(), QHBoxLayout())
        for row, label, widget in ((0, "Outcome", self.outcome), (0, "Last node", self.last_node),
                                   (0, "Status", self.status), (1, "Duration", self.min_ms), (1, "to", self.max_ms)):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            rows[row].addWidget(caption)
            rows[row].addWidget(widget, 1 if row == 0 else 0)
        rows[1].addWidget(self.search, 1)
        rows[1].addWidget(self.all_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for row in rows:
            layout.addLayout(row)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)

    # -- API -------------------------------------------------------------------------------------
    def open_run(self, path: Optional[Path]) -> None:
        self.model.open(path)

    def filter_to(self, kind: str, key: Any) -> None:
        """The diagram's filterRequested(kind, key): see ProfilesModel.filter_to."""
        self.model.filter_to(kind, key)
        self._sync_bar()

    # -- the filter bar --------------------------------------------------------------------------
    def _apply_bar(self) -> None:
        if self._syncing:
            return
        flt = self.model.filter
        status = self.status.currentData()
        keep_node = flt.status_node if status == flt.status else None
        self.model.set_filter(ProfileFilter(
            outcome=self.outcome.currentData(), last_node=self.last_node.currentData(), node=flt.node,
            edge=flt.edge, status=status, status_node=keep_node,
            min_ms=self.min_ms.value() or None, max_ms=self.max_ms.value() or None,
            profile_id=self.search.text().strip() or None))

    def _sync_bar(self) -> None:
        """Show the model's filter in the bar (a click on the diagram set it)."""
        flt = self.model.filter
        self._syncing = True
        try:
            for combo, value in ((self.outcome, flt.outcome), (self.last_node, flt.last_node),
                                 (self.status, flt.status)):
                _choose(combo, value)
            self.search.setText(flt.profile_id or "")
            self.min_ms.setValue(flt.min_ms or 0)
            self.max_ms.setValue(flt.max_ms or 0)
        finally:
            self._syncing = False
            self._debounce.stop()

    def _refresh_bar(self) -> None:
        for combo, key in ((self.outcome, "outcome"), (self.last_node, "lastNode"), (self.status, "status")):
            current = combo.currentData()
            values = self.model.choices.get(key, [])
            if [combo.itemData(i) for i in range(1, combo.count())] != values:
                combo.clear()
                combo.addItem(ANY, None)
                for value in values:
                    combo.addItem(value, value)
                _choose(combo, current)
        self._refresh_caption()

    def _refresh_caption(self) -> None:
        model = self.model
        if model.path is None:
            self.caption.setText("No run open")
            return
        described = model.filter.describe()
        count = "…" if model.total is None else f"{model.total:,}"
        self.caption.setText(f"{count} profile entr{'y' if model.total == 1 else 'ies'}"
                             + (f" — {described}" if described else ""))

    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows and self.model.path is not None:
            self.profileSelected.emit(self.model.path, self.model.row_at(rows[0].row()).seq)


def _choose(combo: QComboBox, value: Optional[str]) -> None:
    index = combo.findData(value) if value is not None else 0
    if index < 0:
        combo.addItem(value, value)
        index = combo.count() - 1
    combo.setCurrentIndex(index)
