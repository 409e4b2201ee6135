"""File > Import from / Export as and drops of other formats, on the real window: the OpenAPI
operation is chosen in a dialog, every import ends with its report, exports are written in workers."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog, QMenu

from tests.app.interop.helpers import DATA, postman_errors
from tests.ui.conftest import wait_idle
from tests.ui.test_workspace_ops import names_in_list


def _act(window, menu: str, name: str):
    found = window.findChild(QMenu, menu)
    assert found is not None
    return next(a for a in found.actions() if a.objectName() == name)


def _reports(answers, choose=None) -> list[str]:
    """Record the text of each import report shown (the dialog is deleted once closed); `choose`
    answers the OpenAPI operation dialog."""
    texts: list[str] = []

    def drive(dialog):
        if dialog.objectName() == "importReportDialog":
            texts.append(dialog.findChild(object, "reportText").toPlainText())
            return 0
        return choose(dialog) if choose else 0

    answers.dialog = drive
    return texts


def test_file_menu_offers_each_format(window) -> None:
    file_menu = window.menus.file_menu
    titles = [a.text() for a in file_menu.actions()]
    assert "Import &from" in titles and "Export &as" in titles
    imports = [a.objectName() for a in window.findChild(QMenu, "importFromMenu").actions()]
    exports = [a.objectName() for a in window.findChild(QMenu, "exportAsMenu").actions()]
    assert imports == ["importFrom_postman", "importFrom_openapi", "importFrom_curl", "importFrom_pastedCurl"]
    assert exports == ["exportAs_postman", "exportAs_curl", "exportAs_httpx"]


def test_import_postman_shows_the_report(window, qtbot, answers) -> None:
    reports = _reports(answers)
    answers.open_file = DATA / "postman" / "shop.postman_collection.json"
    _act(window, "importFromMenu", "importFrom_postman").trigger()
    qtbot.waitUntil(lambda: "Create_order" in names_in_list(window), timeout=15000)
    wait_idle(qtbot)
    assert {"Add_points", "Get_order", "Digest_audit"} <= set(names_in_list(window))
    [text] = reports
    assert "Imported Create_order" in text and "method PATCH" in text and "auth type digest" in text
    assert "variables added to the environment 'Shop API'" in text


def test_openapi_asks_which_operation(window, qtbot, answers) -> None:
    def choose(dialog):
        assert dialog.objectName() == "openapiOperationDialog"
        listing = dialog.findChild(object, "operations")
        assert listing.count() == 4
        listing.setCurrentRow(2)  # updateOrderStatus
        return QDialog.DialogCode.Accepted

    reports = _reports(answers, choose)
    answers.open_file = DATA / "openapi" / "orders-3.0.yaml"
    _act(window, "importFromMenu", "importFrom_openapi").trigger()
    qtbot.waitUntil(lambda: "updateOrderStatus" in names_in_list(window), timeout=15000)
    wait_idle(qtbot)
    assert "createOrder" not in names_in_list(window)
    assert "'{orderId}' were cut" in reports[0]


def test_dropping_a_curl_file_and_an_openapi_file_imports_them(window, qtbot, answers, tmp_path) -> None:
    command = tmp_path / "call.sh"
    command.write_text("curl -X POST https://api.example.com/hooks/dropped --json '{\"a\": 1}'\n")
    document = tmp_path / "events.json"
    shutil.copy(DATA / "openapi" / "events-3.1.json", document)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(command)), QUrl.fromLocalFile(str(document))])
    event = QDropEvent(QPoint(10, 10).toPointF(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: {"dropped", "sendCustomEvents"} <= set(names_in_list(window)), timeout=15000)
    wait_idle(qtbot)
    assert window.pane.saved_name() == "sendCustomEvents"


def test_a_broken_file_is_reported_and_nothing_imported(window, qtbot, answers, tmp_path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("openapi: 3.0.3\ninfo: {title: x\n")
    before = names_in_list(window)
    window.interop.import_paths([path])
    wait_idle(qtbot)
    assert names_in_list(window) == before
    assert "line 3, column 1" in window.status.status_message.text()


def test_export_as_postman_and_httpx(window, qtbot, answers, tmp_path: Path) -> None:
    answers.save_file = tmp_path / "shop.postman_collection.json"
    mine = tmp_path / "production.postman_environment.json"
    mine.write_text("my own file")
    _act(window, "exportAsMenu", "exportAs_postman").trigger()
    wait_idle(qtbot)
    collection = json.loads(answers.save_file.read_text("utf-8"))
    assert postman_errors(collection) == [] and len(collection["item"]) == 3
    assert json.loads((tmp_path / "sandbox.postman_environment.json").read_text("utf-8"))["name"] == "sandbox"
    assert mine.read_text() == "my own file"  # never replaced
    assert "not replaced (already there): production.postman_environment.json" in \
        window.status.status_message.text()
    window.current.guard(lambda: window.current.open_action("notifyWebhook"))
    qtbot.waitUntil(lambda: window.pane.saved_name() == "notifyWebhook", timeout=10000)
    answers.save_file = tmp_path / "notify.py"
    act = _act(window, "exportAsMenu", "exportAs_httpx")
    assert act.isEnabled()
    act.trigger()
    wait_idle(qtbot)
    text = answers.save_file.read_text("utf-8")
    assert "import httpx" in text and "{{baseUrl}}/echo/notify" in text


def test_cancelling_the_operation_choice_imports_nothing(window, qtbot, answers) -> None:
    reports = _reports(answers, lambda dialog: QDialog.DialogCode.Rejected)
    before = names_in_list(window)
    window.interop.import_paths([DATA / "openapi" / "orders-3.0.yaml"])
    wait_idle(qtbot)
    assert names_in_list(window) == before and reports == []
    assert "cancelled" in window.status.status_message.text()


def test_a_pasted_curl_command_becomes_an_action_its_secret_in_the_keyring(window, qtbot, answers, services) -> None:
    def paste(dialog):
        if dialog.objectName() != "pasteCurlDialog":
            return 0
        dialog.findChild(object, "curlText").setPlainText(
            "curl -X PUT https://api.example.com/v1/profiles -H 'X-Api-Key: pasted-key-42' --json '{\"id\": \"p\"}'")
        return QDialog.DialogCode.Accepted

    answers.dialog = paste
    _act(window, "importFromMenu", "importFrom_pastedCurl").trigger()
    qtbot.waitUntil(lambda: "profiles" in names_in_list(window), timeout=15000)
    wait_idle(qtbot)
    saved = services.workspace.load("profiles")
    assert saved.endpoint.method == "PUT"
    assert "pasted-key-42" not in (services.workspace.home / "actions" / "profiles.json").read_text("utf-8")


def test_dropping_a_postman_environment_adds_it(window, qtbot, answers, services, tmp_path) -> None:
    reports = _reports(answers)
    path = tmp_path / "staging.postman_environment.json"
    path.write_text(json.dumps({"name": "staging", "_postman_variable_scope": "environment", "values": [
        {"key": "baseUrl", "value": "https://staging.example.com", "type": "default", "enabled": True},
        {"key": "apiSecret", "value": "staging-secret-5", "type": "secret", "enabled": True}]}))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    window.dropEvent(QDropEvent(QPoint(10, 10).toPointF(), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    qtbot.waitUntil(lambda: bool(reports), timeout=15000)
    wait_idle(qtbot)
    on_disk = (services.workspace.home / "environments.json").read_text("utf-8")
    assert "https://staging.example.com" in on_disk and "staging-secret-5" not in on_disk
    assert "variables added to the environment 'staging': baseUrl, apiSecret" in reports[0]
