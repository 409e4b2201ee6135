"""The pane's URL with its {{variables}} resolved, off the UI thread (this may start the sandbox)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from ui.pane.url import UrlSection
from ui.workers import run_in_background

if TYPE_CHECKING:
    from app.services import Services

TYPING_PAUSE_MS = 400


def resolve_url(services: "Services", url: str) -> tuple[str, str]:
    """Worker: the URL with its {{variables}} (may start the sandbox for {{sandbox.url}}), or the reason not."""
    try:
        return services.resolver().text(url, "the URL"), ""
    except Exception as exc:  # MissingVariable, a sandbox that failed to start...
        return "", str(exc)


class UrlResolver(QObject):
    """Shows the resolved URL under the URL field; only the latest resolution is shown."""

    def __init__(self, services: "Services", url: UrlSection) -> None:
        super().__init__(url)
        self._services = services
        self._url = url
        self._generation = 0
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.refresh)

    def refresh_soon(self, delay_ms: int = TYPING_PAUSE_MS) -> None:
        self._timer.start(delay_ms)

    def refresh(self) -> None:
        if self._stopped:
            return
        url = self._url.url_edit.text()
        if "{{" not in url:
            self._url.set_resolved(None)
            return
        self._generation += 1
        generation = self._generation

        def done(result: tuple[str, str]) -> None:
            # Not a URL the field no longer shows (typed over, or another action opened meanwhile).
            if generation == self._generation and not self._stopped and url == self._url.url_edit.text():
                self._url.set_resolved(*result)

        run_in_background(resolve_url, self._services, url, on_done=done, on_error=lambda exc: None, owner=self)

    def stop(self) -> None:
        """The window is closing: no more background resolving, no late results."""
        self._stopped = True
        self._timer.stop()

