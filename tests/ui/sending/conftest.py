"""Fixtures for the sending GUI: services whose {{sandbox.url}} is the test's own sandbox."""
from __future__ import annotations

from typing import Any, Iterator

import pytest


@pytest.fixture
def gui_services(services: Any, sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The sample's services; the sandbox environment points at `sandbox` (faults can be injected)."""
    from app.calls.history import close_history

    monkeypatch.setattr(services, "sandbox_url", lambda: sandbox.base_url)
    yield services
    from ui.workers import wait_idle

    wait_idle(15000)
    close_history(services)


def wait_idle(qtbot: Any, timeout: int = 15000) -> None:
    from ui import workers

    qtbot.waitUntil(lambda: not workers.busy(), timeout=timeout)



@pytest.fixture
def host(qtbot: Any) -> Iterator[Any]:
    """A parent window for dialogs, alive for the whole test (qtbot keeps only weak references)."""
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    qtbot.addWidget(widget)
    yield widget
    widget.close()
