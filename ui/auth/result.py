"""How a "Test authentication" result reads: one coloured line, and the masked exchange in Details."""
from __future__ import annotations

import json
from typing import Any, Iterable, Optional

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from ui import icons
from ui.auth.pending import masked_text


def human_duration(seconds: float) -> str:
    """7 h 46 min, 3 min 20 s, 2 d 4 h."""
    total = max(0, int(seconds))
    if total < 60:
        return f"{total} s"
    minutes, secs = divmod(total, 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min {secs} s" if secs and minutes < 10 else f"{minutes} min"


def summary(result: Any) -> str:
    """The one-line outcome shown next to the button."""
    if not result.ok:
        return f"● {result.reason or 'the authentication failed'}"
    if result.mode == "customAuthorization":
        expiry = f", expires in {human_duration(result.expires_in_s)}" if result.expires_in_s is not None else ""
        return f"● token ok{expiry}"
    if result.mode == "none":
        return "● no authentication: nothing is added to the call"
    where = ", ".join(f"{kind} {', '.join(values)}" for kind, values in result.applied.items() if values)
    return f"● credentials ready ({where})" if where else "● credentials ready"


def details(result: Any, secrets: Iterable[str] = ()) -> str:
    """The auth request and response as a person reads them (secrets masked), and the time taken."""
    lines = [f"{'OK' if result.ok else 'FAILED'} in {result.elapsed_ms:.0f} ms"]
    if result.reason:
        lines.append(f"Reason: {result.reason}")
    if result.token_preview:
        lines.append(f"Token: {result.token_preview}")
    if result.expires_at is not None:
        lines.append(f"Expires: {result.expires_at.astimezone().strftime('%Y-%m-%d %H:%M:%S %Z')}"
                     f" (in {human_duration(result.expires_in_s or 0)})")
    if result.request is not None:
        request = result.request
        lines += ["", "── Request ──", f"{request.method} {request.url}"]
        lines += [f"{name}: {value}" for name, value in request.headers.items()]
        if request.body:
            lines += ["", _pretty(request.body)]
    if result.response is not None:
        response = result.response
        lines += ["", "── Response ──", f"HTTP {response.status}"]
        lines += [f"{name}: {value}" for name, value in response.headers.items()]
        if response.body:
            lines += ["", _pretty(response.body) + (" … (truncated)" if response.truncated else "")]
    if result.applied:
        lines += ["", "── Added to each action call ──"]
        for kind, values in result.applied.items():
            lines += [f"{kind}: {name}: {value}" for name, value in values.items()]
    return masked_text("\n".join(lines), secrets)


def _pretty(body: str) -> str:
    try:
        return json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    except ValueError:
        return body


class DetailsDialog(QDialog):
    """A read-only view of the last test's exchange (non-modal: the pane stays usable)."""

    def __init__(self, text: str, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("authDetailsDialog")
        self.setWindowTitle("Authentication test: request and response")
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("authDetailsText")
        self.text.setReadOnly(True)
        self.text.setFont(icons.monospace_font())
        self.text.setPlainText(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(720, 520)
