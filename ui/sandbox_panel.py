"""The Sandbox panel (a dock): start/stop, base URL, status dot, live request log, counters.

The log is a table model fed by polling `sandbox.requests(since=last id)` on a QTimer: an
in-process, in-memory read, so it is cheap; the sandbox masks secrets before it logs anything.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Optional

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui import icons, message
from ui.rowsmodel import RowsTableModel
from ui.workers import run_in_background

LOG_POLL_MS = 500  # how often the request log is read for new entries

if TYPE_CHECKING:
    from app.services import Services

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Time", "Method", "Path", "Status", "ms", "Endpoint")
MAX_ROWS = 2000
EntryRole = Qt.ItemDataRole.UserRole + 1


class RequestLogModel(RowsTableModel):
    """The sandbox's request log, newest last, at most MAX_ROWS rows."""

    columns = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []

    def append(self, entries: list[dict[str, Any]]) -> None:
        if not entries:
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(entries) - 1)
        self._rows.extend(entries)
        self.endInsertRows()
        extra = len(self._rows) - MAX_ROWS
        if extra > 0:
            self.beginRemoveRows(QModelIndex(), 0, extra - 1)
            del self._rows[:extra]
            self.endRemoveRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self.endResetModel()

    def entry(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        e, col = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            time = str(e.get("time", ""))
            return (time[11:23] if len(time) > 19 else time, e.get("method", ""),
                    e.get("path", "") + (f"?{e['query']}" if e.get("query") else ""),
                    str(e.get("status", "")), f"{float(e.get('duration_ms') or 0):.1f}",
                    e.get("endpoint", ""))[col]
        if role == Qt.ItemDataRole.ForegroundRole and col == 3:
            status = int(e.get("status") or 0)
            return icons.ok_color() if 200 <= status < 300 else icons.error_color() if status >= 400 else None
        if role == Qt.ItemDataRole.FontRole and col == 2:
            return icons.monospace_font()
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (3, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == EntryRole:
            return e
        return None


def describe(entry: dict[str, Any]) -> str:
    """One request as text: request line, headers (already masked by the sandbox), body."""
    query = f"?{entry['query']}" if entry.get("query") else ""
    took = f"{float(entry.get('duration_ms') or 0):.1f} ms"
    lines = [f"{entry.get('method', '')} {entry.get('path', '')}{query}",
             f"→ {entry.get('status', '')} in {took} · {entry.get('time', '')}", ""]
    headers = entry.get("headers") or {}
    items = headers.items() if isinstance(headers, dict) else headers
    lines += [f"{k}: {v}" for k, v in items]
    body = entry.get("body")
    if body not in (None, ""):
        if not isinstance(body, str):
            body = json.dumps(body, indent=2, ensure_ascii=False)
        lines += ["", body]
    return "\n".join(lines)


class SandboxPanel(QDockWidget):
    """Start/stop the embedded sandbox and watch what it receives."""

    stateChanged = Signal()

    def __init__(self, services: Services, parent: Optional[QWidget] = None) -> None:
        super().__init__("Sandbox", parent)
        self.setObjectName("sandboxPanel")
        self.services = services
        self._last_id = 0
        self._busy = False
        self.model = RequestLogModel(self)

        body = QWidget(self)
        self.dot = QLabel(body)
        self.dot.setObjectName("sandboxPanelDot")
        self.state_label = QLabel(body)
        self.state_label.setObjectName("sandboxState")
        self.state_label.setAccessibleName("Sandbox state")
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.start_button = QPushButton(body)
        self.start_button.setObjectName("sandboxStartButton")
        self.start_button.clicked.connect(self.on_start_stop)
        self.clear_button = QPushButton(icons.icon("clear"), "Clear log", body)
        self.clear_button.setObjectName("sandboxClearButton")
        self.clear_button.setAccessibleName("Clear the request log")
        self.clear_button.clicked.connect(self.on_clear)
        self.counters = QLabel(body)
        self.counters.setObjectName("sandboxCounters")
        self.counters.setAccessibleName("Requests per endpoint")
        self.table = QTableView(body)
        self.table.setObjectName("sandboxLog")
        self.table.setAccessibleName("Sandbox request log")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 100), (1, 64), (3, 56), (4, 64), (5, 110)):
            self.table.setColumnWidth(col, width)
        self.detail = QPlainTextEdit(body)
        self.detail.setObjectName("sandboxRequestDetail")
        self.detail.setAccessibleName("Selected request")
        self.detail.setReadOnly(True)
        self.detail.setFont(icons.monospace_font())
        self.detail.setPlaceholderText("Select a request to see its headers and body (secrets masked)")
        self.table.selectionModel().currentRowChanged.connect(self._on_row)

        top = QHBoxLayout()
        top.addWidget(self.dot)
        top.addWidget(self.state_label, 1)
        top.addWidget(self.counters)
        top.addWidget(self.clear_button)
        top.addWidget(self.start_button)
        split = QSplitter(Qt.Orientation.Horizontal, body)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([700, 400])
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.setWidget(body)

        self._timer = QTimer(self)
        self._timer.setInterval(LOG_POLL_MS)
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        self.refresh_state()

    def sandbox(self) -> Any:
        return self.services.sandbox

    def refresh_state(self) -> None:
        box = self.sandbox()
        running = box is not None
        self.dot.setPixmap(icons.dot("ok" if running else ""))
        if self._busy:
            self.state_label.setText("starting…" if not running else "stopping…")
        elif running:
            self.state_label.setText(f"running at {box.base_url}")
        else:
            self.state_label.setText("stopped: it starts by itself when an action needs {{sandbox.url}}")
        self.state_label.setFont(icons.monospace_font() if running else self.font())
        self.start_button.setText("Stop" if running else "Start")
        self.start_button.setIcon(icons.icon("stop" if running else "play"))
        self.start_button.setAccessibleName("Stop the sandbox" if running else "Start the sandbox")
        self.start_button.setEnabled(not self._busy)

    def on_start_stop(self) -> None:
        running = self.sandbox() is not None
        self._busy = True
        self.refresh_state()
        work = self.services.stop_sandbox if running else self.services.sandbox_url

        def done(_: Any) -> None:
            self._busy = False
            self._last_id = 0
            self.refresh_state()
            self.stateChanged.emit()
            message.info("Sandbox stopped" if running else f"Sandbox running at {self.sandbox().base_url}")

        def failed(exc: BaseException) -> None:
            self._busy = False
            self.refresh_state()
            message.error(f"The sandbox could not {'stop' if running else 'start'}: {exc}")

        run_in_background(work, owner=self, on_done=done, on_error=failed)

    def poll(self) -> None:
        box = self.sandbox()
        if box is None:
            if self.start_button.text() == "Stop":
                self.refresh_state()
            return
        if self.start_button.text() == "Start" and not self._busy:
            self.refresh_state()
        if not self.isVisible():
            return
        entries = box.requests(since=self._last_id)
        if entries:
            self._last_id = max(int(e.get("id", 0)) for e in entries)
            at_end = self.table.verticalScrollBar().value() == self.table.verticalScrollBar().maximum()
            self.model.append(entries)
            if at_end:
                self.table.scrollToBottom()
        counts = {k: v for k, v in box.counters().items() if v}
        self.counters.setText(" · ".join(f"{k} {v}" for k, v in counts.items()) or "no requests yet")

    def on_clear(self) -> None:
        box = self.sandbox()
        if box is not None:
            box.clear()
        self._last_id = 0
        self.model.clear()
        self.detail.clear()
        self.counters.setText("no requests yet")

    def _on_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.detail.setPlainText(describe(self.model.entry(current.row())))

    def stop_polling(self) -> None:
        self._timer.stop()
