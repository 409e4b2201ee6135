"""Copy as httpx: the call just sent, as a Python snippet that sends it again (secrets masked)."""
from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from tests.ui.sending.test_test_request import open_dialog


def test_copy_as_httpx_is_masked_and_runs_against_the_sandbox(qtbot, host, gui_services, capsys) -> None:
    dialog = open_dialog(host, gui_services, "notifyWebhook")
    assert not dialog.result_view.copy_httpx.isEnabled()  # nothing sent yet
    with qtbot.waitSignal(dialog.finished_call, timeout=15000):
        dialog.send_button.click()
    dialog.result_view.copy_httpx.click()
    snippet = QGuiApplication.clipboard().text()
    assert snippet.startswith("import httpx") and "'POST'," in snippet and "/echo/notify" in snippet
    exec(compile(snippet, "snippet.py", "exec"), {})  # noqa: S102 - the snippet sends the same call again
    assert capsys.readouterr().out.startswith("200 ")


def test_copy_as_httpx_masks_secrets(qtbot, host, gui_services) -> None:
    dialog = open_dialog(host, gui_services, "airshipCustomEvent")
    with qtbot.waitSignal(dialog.finished_call, timeout=15000):
        dialog.send_button.click()
    dialog.result_view.copy_httpx.click()
    snippet = QGuiApplication.clipboard().text()
    assert "'Authorization': '********'" in snippet and "sandbox-airship-token" not in snippet
