"""Shows one call: the outcome line, the response (status, time, headers, pretty body) and the
request (masked), with "Copy as cURL" and "Copy as httpx". Used by the test dialog, the send panel and the history."""
from __future__ import annotations

import json
from typing import Optional

from PySide6.QtGui import QColor, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.calls.record import CallResult
from ui.naming import name_parts

OK_COLOR = QColor("#2e7d32")
ERROR_COLOR = QColor("#c62828")


def monospace(widget: QWidget) -> None:
    widget.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))


def _viewer() -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    monospace(view)
    return view


def pretty_body(body: Optional[str]) -> str:
    if not body:
        return ""
    try:
        return json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    except ValueError:
        return body


class ResultView(QWidget):
    """Read-only view of a CallResult; `show_result(None)` clears it."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self._result: Optional[CallResult] = None
        self.outcome = QLabel("No call yet")
        name_parts(self, {"Outcome": self.outcome})
        self.outcome.setWordWrap(True)
        self.copy_curl = QPushButton("Copy as cURL")
        self.copy_curl.setEnabled(False)
        self.copy_curl.clicked.connect(self.on_copy_curl)
        self.copy_httpx = QPushButton("Copy as httpx")
        self.copy_httpx.setToolTip("The request as a Python snippet using httpx (secrets masked)")
        self.copy_httpx.setEnabled(False)
        self.copy_httpx.clicked.connect(self.on_copy_httpx)
        top = QHBoxLayout()
        top.addWidget(self.outcome, 1)
        top.addWidget(self.copy_curl)
        top.addWidget(self.copy_httpx)
        self.response_headers = _viewer()
        self.response_body = _viewer()
        self.request_text = _viewer()
        self.tabs = QTabWidget()
        response = QWidget()
        box = QVBoxLayout(response)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.response_body, 3)
        box.addWidget(QLabel("Headers"))
        box.addWidget(self.response_headers, 1)
        self.tabs.addTab(response, "Response")
        self.tabs.addTab(self.request_text, "Request")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    @property
    def result(self) -> Optional[CallResult]:
        return self._result

    def show_result(self, result: Optional[CallResult]) -> None:
        self._result = result
        self.copy_curl.setEnabled(bool(result and result.request))
        self.copy_httpx.setEnabled(bool(result and result.request))
        if result is None:
            self.outcome.setText("No call yet")
            self._color(None)
            for view in (self.response_headers, self.response_body, self.request_text):
                view.clear()
            return
        self.outcome.setText(result.summary())
        self._color(result.ok)
        response = result.response
        if response is not None:
            self.response_headers.setPlainText("\n".join(f"{k}: {v}" for k, v in response.headers))
            text = json.dumps(result.data, indent=2, ensure_ascii=False) if result.data is not None else response.body
            self.response_body.setPlainText(text + ("\n… (truncated)" if response.truncated else ""))
        else:
            self.response_headers.clear()
            self.response_body.setPlainText(result.error or "")
        self.request_text.setPlainText(self._request_text(result))

    def show_message(self, text: str, ok: Optional[bool] = None) -> None:
        """A line in place of the outcome (sending..., a setup error)."""
        self.outcome.setText(text)
        self._color(ok)

    def _request_text(self, result: CallResult) -> str:
        request = result.request
        if request is None:
            return result.error or ""
        lines = [f"{request.method} {request.url}"]
        lines += [f"{k}: {v}" for k, v in request.headers]
        if request.body is not None:
            lines += ["", pretty_body(request.body)]
        if result.attempts > 1:
            tries = ", ".join(str(e.response.status) if e.response else (e.error or "failed") for e in result.exchanges)
            lines += ["", f"# {result.attempts} attempts: {tries}"]
        return "\n".join(lines)

    def _color(self, ok: Optional[bool]) -> None:
        palette = self.outcome.palette()
        color = self.palette().color(QPalette.ColorRole.WindowText) if ok is None else (OK_COLOR if ok else ERROR_COLOR)
        palette.setColor(QPalette.ColorRole.WindowText, color)
        self.outcome.setPalette(palette)

    def on_copy_curl(self) -> None:
        if self._result is not None:
            QGuiApplication.clipboard().setText(self._result.to_curl())

    def on_copy_httpx(self) -> None:
        request = self._result.request if self._result is not None else None
        if request is not None:
            from app.interop.snippets import httpx_snippet

            QGuiApplication.clipboard().setText(httpx_snippet(request.method, request.url, request.headers,
                                                              request.body))
