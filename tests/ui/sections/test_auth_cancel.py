"""A running authentication test can be cancelled in the window: its token call really ends (a real
token endpoint that never answers), the row leaves its busy state at once."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QToolButton

from tests.helpers.servers import Server, hang
from tests.ui.sections.conftest import SEED_CURL
from ui import workers
from ui.auth.section import AuthSection


@pytest.fixture
def section(qtbot, services):
    widget = AuthSection(services)
    qtbot.addWidget(widget)
    return widget


def test_a_running_test_is_cancelled_and_its_token_call_ends(qtbot, section) -> None:
    cancel = section.findChild(QToolButton, "cancelAuthTestButton")
    assert cancel.isHidden()
    with Server(hang) as token:
        section.import_curl(SEED_CURL.replace("https://ims-na1.adobelogin.com", token.url))
        section.findChild(QPushButton, "testAuthButton").click()
        qtbot.waitUntil(lambda: len(token.requests) == 1, timeout=5000)  # the token call is in flight
        assert section.is_testing() and not cancel.isHidden()
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
        assert not section.is_testing() and cancel.isHidden() and section.busy.isHidden()
        assert section.findChild(QLabel, "authResult").text() == "● test cancelled"
        # The worker is done long before the engine's 30 s: the token call was stopped, not abandoned.
        qtbot.waitUntil(lambda: not workers.busy(), timeout=5000)
    assert section.findChild(QLabel, "authResult").text() == "● test cancelled"  # the late result is ignored
