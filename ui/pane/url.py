"""Section 2: URL configuration: method, URL (with its resolved form and warnings), headers, query."""
from __future__ import annotations

from typing import Any, Callable, Optional, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.model.rules import LOOPBACK_HOSTS, template_url_problem, url_warnings
from ui import icons
from ui.pane.collapsible import CollapsibleSection
from ui.pane.params import ParamModel, ParamTable
from ui.wraplabel import WrapLabel

METHODS = ("POST", "PUT", "GET")


def literal_warnings(url: str) -> list[str]:
    """Warnings for a URL as typed (a {{variable}} URL is checked once resolved)."""
    text = url.strip()
    if not text or text in ("https://", "http://") or text.startswith("{{"):
        return []
    return url_warnings(text)


def _is_loopback(url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    return host in LOOPBACK_HOSTS or host.startswith("127.")


class UrlSection(QWidget):
    """Method + URL on one row, the resolved URL and warnings under it, then the two tables."""

    edited = Signal()
    typing = Signal()
    methodChanged = Signal(str)
    urlChanged = Signal()  # the URL text changed (the pane resolves it again after a pause)

    def __init__(self, make_secret: Callable[[str, str], str], pending: Callable[[str], Optional[str]],
                 parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.method_combo = QComboBox(self)
        self.method_combo.setObjectName("methodCombo")
        self.method_combo.setAccessibleName("HTTP method")
        self.method_combo.addItems(METHODS)
        self.method_combo.setToolTip("POST, PUT or GET (the platform does not support DELETE)")
        self.url_edit = QLineEdit(self)
        self.url_edit.setObjectName("urlEdit")
        self.url_edit.setAccessibleName("URL")
        self.url_edit.setFont(icons.monospace_font())
        self.url_edit.setPlaceholderText("https://host/path  (may use {{variables}} from the environment)")
        self.resolved = WrapLabel(parent=self)
        self.resolved.setObjectName("resolvedUrl")
        self.resolved.setAccessibleName("Resolved URL")
        self.resolved.setFont(icons.monospace_font())
        self.resolved.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.resolved.hide()
        self.url_problem = QLabel(self)
        self.url_problem.setObjectName("urlProblem")
        self.url_problem.setWordWrap(True)
        icons.tint(self.url_problem, "error")
        self.url_problem.hide()
        self.warnings = QLabel(self)
        self.warnings.setObjectName("urlWarnings")
        self.warnings.setAccessibleName("URL warnings")
        self.warnings.setWordWrap(True)
        icons.tint(self.warnings, "warning")
        self.warnings.hide()
        self._resolved_warnings: list[str] = []

        self.headers = ParamModel("header", make_secret, pending, self)
        self.query = ParamModel("query parameter", make_secret, pending, self)
        self.headers_table = ParamTable(self.headers, "headersTable", "Header", self)
        self._locked = False
        # Most actions have no query parameter: their table (~25 widgets) is made when the section opens.
        self.query_box = CollapsibleSection("Query parameters", self._make_query_table, "query", self)

        url_row = QHBoxLayout()
        url_row.addWidget(self.method_combo)
        url_row.addWidget(self.url_edit, 1)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        grid.addWidget(QLabel("Headers", self), 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.headers_table, 0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(url_row)
        layout.addWidget(self.resolved)
        layout.addWidget(self.url_problem)
        layout.addWidget(self.warnings)
        layout.addSpacing(6)
        layout.addLayout(grid)
        layout.addWidget(self.query_box)

        self.url_edit.textEdited.connect(lambda *_: self.typing.emit())
        self.url_edit.textChanged.connect(self._on_url_changed)  # typed or restored by undo
        self.url_edit.editingFinished.connect(self.edited)
        self.method_combo.activated.connect(self._on_method)
        self.headers.edited.connect(self.edited)
        self.query.edited.connect(self.edited)

    def _make_query_table(self) -> ParamTable:
        table = ParamTable(self.query, "queryTable", "Query parameter", self)
        table.set_read_only(self._locked)
        return table

    @property
    def query_table(self) -> ParamTable:
        return cast(ParamTable, self.query_box.built_body())

    # -- values ------------------------------------------------------------------------------
    def set_values(self, url: str, method: str, headers: list[dict[str, Any]], query: list[dict[str, Any]]) -> None:
        if self.url_edit.text() != url:
            self.url_edit.setText(url)
            if "{{" in url:  # the line still shows the resolution of the URL shown before
                self._resolving()
        self.method_combo.setCurrentText(method)
        if headers != self.headers.rows():
            self.headers.set_rows(headers)
        if query != self.query.rows():
            self.query.set_rows(query)
        self.query_box.set_expanded(bool(query))
        self.update_warnings()

    def values(self) -> dict[str, Any]:
        return {"url": self.url_edit.text(), "method": self.method_combo.currentText(),
                "headers": self.headers.rows(), "query": self.query.rows()}

    def set_locked(self, locked: bool) -> None:
        """Used in a journey: the URL stays editable; method, headers and query are locked."""
        self._locked = locked
        self.method_combo.setEnabled(not locked)
        self.headers_table.set_read_only(locked)
        if self.query_box.body is not None:
            self.query_table.set_read_only(locked)
        else:
            self.query.set_read_only(locked)  # the table is made read-only too when it is made

    def problems(self) -> list[str]:
        out = []
        text = self.url_edit.text().strip()
        if not text or text in ("https://", "http://"):
            out.append("endpoint.url: the URL is empty")
        out += [f"endpoint.headers: {p}" for p in self.headers.problems()]
        out += [f"endpoint.query: {p}" for p in self.query.problems()]
        return out

    # -- warnings ----------------------------------------------------------------------------
    def set_resolved(self, resolved: Optional[str], problem: str = "") -> None:
        """The URL after {{variables}}; its warnings join the literal ones."""
        text = self.url_edit.text()
        if problem:
            self.resolved.setText("→ " + problem)
            icons.tint(self.resolved, "warning")
            self.resolved.show()
            self._resolved_warnings = []
        elif resolved and (resolved != text or "{{" in text):  # a {{URL}} keeps its line (no jump)
            self.resolved.setText("→ " + resolved)
            icons.tint(self.resolved, "quiet")
            self.resolved.show()
            # The sandbox lives on loopback with its own port: only warn about real hosts.
            self._resolved_warnings = [] if _is_loopback(resolved) else url_warnings(resolved)
        else:
            self.resolved.hide()
            self._resolved_warnings = []
        self.update_warnings()

    def _resolving(self) -> None:
        """A URL with {{variables}} gets its resolved line at once, before its first paint: the
        resolution (a worker) then fills it in without moving what is under it."""
        self.resolved.setText("→ resolving {{variables}}…")
        icons.tint(self.resolved, "quiet")
        self.resolved.show()

    def update_warnings(self) -> None:
        text = self.url_edit.text().strip()
        problem = template_url_problem(text)
        self.url_problem.setVisible(bool(problem))
        self.url_problem.setText(f"✗ {problem}" if problem else "")
        warnings = literal_warnings(text) or [f"resolved URL: {w}" for w in self._resolved_warnings]
        self.warnings.setVisible(bool(warnings))
        self.warnings.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.warnings.setAccessibleDescription(self.warnings.text())

    def _on_url_changed(self, _text: str) -> None:
        self._resolved_warnings = []
        if "{{" not in self.url_edit.text():
            self.resolved.hide()
        elif self.resolved.isHidden():  # its first {{variable}}: the line appears as it is typed
            self._resolving()
        self.update_warnings()
        self.urlChanged.emit()

    def _on_method(self, _index: int) -> None:
        self.methodChanged.emit(self.method_combo.currentText())
        self.edited.emit()
