"""File menu work: export / import round trip (secrets masked), drag and drop, environments,
the sandbox panel's live log, the keyring banner."""
from __future__ import annotations

import json

import httpx
import keyring
import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QComboBox, QPushButton, QTableView

from app.version import __version__
from tests.ui.conftest import close_window, open_window, wait_idle
from tests.ui.test_mainwindow import names_in_list, select


def test_export_all_masks_secrets_and_import_round_trips(window, qtbot, answers, tmp_path, services):
    target = tmp_path / "bundle.json"
    answers.save_file = target
    window.menus.export_all_act.trigger()
    qtbot.waitUntil(target.exists)
    wait_idle(qtbot)
    text = target.read_text()
    assert "********" in text and "5678" not in text and "sandbox-airship-token" not in text
    assert [a["name"] for a in json.loads(text)["actions"]] == ["airshipCustomEvent", "notifyWebhook",
                                                                 "writeJourneyEvent"]
    assert "Exported 3 actions" in window.status.status_message.text()

    answers.open_file = target
    window.menus.import_act.trigger()
    qtbot.waitUntil(lambda: len(names_in_list(window)) == 6, timeout=10000)
    wait_idle(qtbot)
    assert {"airshipCustomEvent_2", "notifyWebhook_2", "writeJourneyEvent_2"} <= set(names_in_list(window))
    status = window.status.status_message.text()
    assert "renamed" in status and "enter secrets for writeJourneyEvent_2: auth." in status
    imported = services.workspace.load("airshipCustomEvent_2")
    assert imported.id != services.workspace.load("airshipCustomEvent").id


def test_export_selected(window, qtbot, answers, tmp_path):
    target = tmp_path / "one.json"
    answers.save_file = target
    window.menus.export_act.trigger()
    qtbot.waitUntil(target.exists)
    assert answers.asked[-1] == ("save_file", "airshipCustomEvent.json")
    assert [a["name"] for a in json.loads(target.read_text())["actions"]] == ["airshipCustomEvent"]


def test_import_refuses_a_broken_file_with_its_position(window, qtbot, answers, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x",\n "endpoint": }')
    answers.open_file = bad
    window.menus.import_act.trigger()
    qtbot.waitUntil(lambda: "Import failed" in window.status.status_message.text())
    assert "line 2" in window.status.status_message.text()
    assert len(names_in_list(window)) == 3


def test_drop_a_json_file_imports_it(window, qtbot, tmp_path, services):
    action = services.workspace.load("notifyWebhook").dump()
    action["name"] = "droppedHook"
    path = tmp_path / "dropped.json"
    path.write_text(json.dumps(action))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPoint(10, 10).toPointF(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: "droppedHook" in names_in_list(window), timeout=10000)
    wait_idle(qtbot)
    assert window.pane.saved_name() == "droppedHook"


def test_environments_dialog_edits_variables_and_the_active_one(window, qtbot, answers, services):
    def drive(dialog):
        assert dialog.env_list.count() == 2
        dialog.env_list.setCurrentRow(1)  # production
        model = dialog.model
        row = model.add_row()
        assert model.setData(model.index(row, 0), "apiToken")
        assert model.setData(model.index(row, 1), "s3cret")
        assert model.setData(model.index(row, 2), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
        assert model.index(row, 1).data() == "********"
        dialog.active_combo.setCurrentText("production")
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
        qtbot.waitUntil(lambda: dialog.result() == 1)
        return 1

    answers.dialog = drive
    window.menus.env_act.trigger()
    wait_idle(qtbot)
    data = json.loads((services.workspace.home / "environments.json").read_text())
    assert data["active"] == "production"
    var = next(v for v in data["environments"][1]["variables"] if v["name"] == "apiToken")
    assert set(var["value"]) == {"secret"}
    from app.model import SecretRef

    assert services.secrets.get(SecretRef(secret=var["value"]["secret"])) == "s3cret"
    qtbot.waitUntil(lambda: window.findChild(QComboBox, "envCombo").currentText() == "production")


def test_environments_dialog_refuses_a_bad_variable_name(window, qtbot, answers, services):
    def drive(dialog):
        row = dialog.model.add_row()
        dialog.model.setData(dialog.model.index(row, 0), "bad name")
        dialog.on_save()
        assert dialog.problems.isVisibleTo(dialog) and "bad name" in dialog.problems.text()
        return 0

    answers.dialog = drive
    before = (services.workspace.home / "environments.json").read_text()
    window.menus.env_act.trigger()
    assert (services.workspace.home / "environments.json").read_text() == before


def test_env_combo_switches_the_active_environment(window, qtbot, services):
    combo = window.findChild(QComboBox, "envCombo")
    qtbot.waitUntil(lambda: combo.count() == 2)
    combo.setCurrentText("production")
    combo.activated.emit(combo.currentIndex())
    wait_idle(qtbot)
    assert json.loads((services.workspace.home / "environments.json").read_text())["active"] == "production"
    # The URL now resolves against production: a real host, shown under the field.
    select(qtbot, window, "notifyWebhook")
    qtbot.waitUntil(lambda: "dcs.adobedc.net" in window.pane.url.resolved.text(), timeout=10000)


@pytest.fixture
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sandbox's status and log read every 50 ms (not 1 s and 0.5 s): the test waits for what they
    show, not for their period. Before `window`, which starts the status timer."""
    monkeypatch.setattr("ui.panels.STATUS_POLL_MS", 50)
    monkeypatch.setattr("ui.sandbox_panel.LOG_POLL_MS", 50)


def test_sandbox_starts_on_demand_and_the_panel_shows_its_requests(quick_polls, window, qtbot, services):
    # The sample's URL uses {{baseUrl}} = {{sandbox.url}}: resolving it started the sandbox.
    qtbot.waitUntil(lambda: services.sandbox is not None, timeout=10000)
    qtbot.waitUntil(lambda: window.panels.sandbox_text.text() == "sandbox running", timeout=5000)
    # The resolved URL comes back from its worker after the resolution started the sandbox.
    qtbot.waitUntil(lambda: "127.0.0.1" in window.pane.url.resolved.text(), timeout=5000)
    window.menus.sandbox_act.trigger()
    panel = window.panels.sandbox_panel
    assert panel.isVisible() and "running at http://127.0.0.1" in panel.state_label.text()
    response = httpx.post(services.sandbox.base_url + "/echo/hello", json={"x": 1},
                          headers={"Authorization": "Bearer topsecret"})
    assert response.status_code == 200
    table = window.findChild(QTableView, "sandboxLog")
    qtbot.waitUntil(lambda: table.model().rowCount() >= 1, timeout=5000)
    row = next(r for r in range(table.model().rowCount()) if table.model().index(r, 2).data() == "/echo/hello")
    assert table.model().index(row, 3).data() == "200"
    table.setCurrentIndex(table.model().index(row, 0))
    assert "topsecret" not in panel.detail.toPlainText() and "/echo/hello" in panel.detail.toPlainText()
    assert "echo" in panel.counters.text()

    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)  # Stop
    qtbot.waitUntil(lambda: services.sandbox is None, timeout=10000)
    qtbot.waitUntil(lambda: panel.start_button.text() == "Start")
    wait_idle(qtbot)
    window.panels.update_sandbox_status()
    assert window.panels.sandbox_text.text() == "sandbox stopped"
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)  # Start again
    qtbot.waitUntil(lambda: services.sandbox is not None, timeout=10000)
    wait_idle(qtbot)


def test_keyring_unavailable_banner_offers_session_only(qtbot, sample_home, answers, monkeypatch):
    from keyring.backends import fail

    from app.services import Services

    keyring.set_keyring(fail.Keyring())  # restored by the root conftest
    services = Services.open(sample_home)
    try:
        window = open_window(qtbot, sample_home, services)
        qtbot.waitUntil(lambda: window.status.keyring_banner.isVisibleTo(window), timeout=10000)
        assert "No keyring is available" in window.status.keyring_text.text()
        assert window.status.keyring_status.text() == "keyring: unavailable"
        qtbot.mouseClick(window.findChild(QPushButton, "sessionOnlyButton"), Qt.MouseButton.LeftButton)
        assert not window.status.keyring_banner.isVisibleTo(window)
        assert window.status.keyring_status.text() == "keyring: session only (not saved)"
        assert services.secrets.available
        from app.model import SecretRef

        assert services.secrets.get(SecretRef(secret="sample/writeJourneyEvent/client_secret")) == "5678"
        close_window(qtbot, window, answers)
    finally:
        services.close()


def test_shortcuts_and_about(window, answers):
    window.menus.shortcuts_act.trigger()
    dialog = answers.shown[-1]
    assert dialog.objectName() == "shortcutsDialog"
    assert "Ctrl+S" in " ".join(w.text() for w in dialog.findChildren(type(window.status.status_message)))
    window.menus.about_act.trigger()
    about = answers.shown[-1]
    assert about.objectName() == "aboutDialog"
    texts = " ".join(w.text() for w in about.findChildren(type(window.status.status_message)))
    assert f"Version {__version__}" in texts and "custom actions" in texts and str(window.home) in texts
    assert not about.findChild(type(window.status.status_message), "aboutIcon").pixmap().isNull()
    assert not window.windowIcon().isNull()  # the application's icon, the same files as the launcher's


def test_a_broken_environments_file_is_named_and_not_edited_over(qtbot, sample_home, secrets, answers):
    from app.services import Services

    path = sample_home / "environments.json"
    path.write_text('{"active": "sandbox",')
    services = Services.open(sample_home, secrets)
    win = open_window(qtbot, sample_home, services)
    try:
        qtbot.waitUntil(lambda: "environments.json: not valid JSON" in win.status.status_message.text())
        win.menus.env_act.trigger()
        wait_idle(qtbot)
        assert ("show_dialog", "environmentsDialog") not in answers.asked
        assert "the file was left as it is" in win.status.status_message.text()
        assert path.read_text() == '{"active": "sandbox",'
    finally:
        close_window(qtbot, win, answers)
        services.close()
