"""Secret fields say where the secret lives as the store really is: keyring, session only, nowhere."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.services import Services
from tests.ui.conftest import close_window, open_window
from ui.auth.secretedit import SecretEdit


def api_key_field(window) -> SecretEdit:
    field = window.findChild(SecretEdit, "apiKeyValueEdit")
    assert window.pane.saved_name() == "airshipCustomEvent"  # its API key value is a stored secret
    return field


def test_without_a_keyring_the_api_key_field_does_not_claim_the_keyring(qtbot, sample_home, answers):
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())  # restored by the root conftest
    services = Services.open(sample_home)
    try:
        window = open_window(qtbot, sample_home, services)
        qtbot.waitUntil(lambda: window.status.keyring_banner.isVisibleTo(window), timeout=10000)
        field = api_key_field(window)
        qtbot.waitUntil(lambda: "no keyring" in field.line.placeholderText())
        assert "stored in the keyring" not in field.line.placeholderText()
        assert "cannot be saved" in field.line.toolTip()
        qtbot.mouseClick(window.findChild(QPushButton, "sessionOnlyButton"), Qt.MouseButton.LeftButton)
        assert field.line.placeholderText() == "•••••••• stored in memory, for this session only (type to replace)"
        assert "session only" in field.line.toolTip()
        close_window(qtbot, window, answers)
    finally:
        services.close()


def test_with_a_keyring_the_field_says_so(qtbot, sample_home, answers, memory_keyring):
    services = Services.open(sample_home)
    try:
        window = open_window(qtbot, sample_home, services)
        field = api_key_field(window)
        qtbot.waitUntil(lambda: field.line.placeholderText() == "•••••••• stored in the keyring (type to replace)")
        qtbot.keyClicks(field.line, "typed")
        assert field.line.placeholderText() == ""  # a typed value, nothing stored to hint at
        assert field.line.toolTip() == "Kept in the keyring when you save, never in the action's file"
        close_window(qtbot, window, answers)
    finally:
        services.close()
