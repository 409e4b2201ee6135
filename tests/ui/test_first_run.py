"""The first start on an empty workspace: the welcome page and its ways in; About; Help > Open log folder."""
from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QComboBox, QPushButton

from tests.ui.conftest import close_window, open_window, wait_idle, wait_opened
from tests.ui.sections.conftest import SEED_CURL
from tests.ui.test_mainwindow import names_in_list


def _empty_window(qtbot, tmp_path: Path, secrets):
    from app.services import Services

    services = Services.open(tmp_path / "empty", secrets)
    return open_window(qtbot, services.workspace.home, services, shown_while_loading=True), services


def test_an_empty_workspace_opens_on_the_welcome_page_and_new_action_leaves_it(qtbot, tmp_path, secrets, answers):
    window, services = _empty_window(qtbot, tmp_path, secrets)
    try:
        page = window.welcome
        assert page is not None and window.right.currentWidget() is page
        assert set(page.buttons) == {"welcomeSample", "welcomeNew", "welcomeImport", "welcomeCurl"}
        window.show_journeys()
        assert window.right.currentWidget() is window.journeys.page
        window.show_actions()
        assert window.right.currentWidget() is page  # not the empty pane

        page.buttons["welcomeNew"].click()
        qtbot.waitUntil(lambda: window.current_name() != "")
        assert window.welcome is None and window.right.currentWidget() is window.pane
        close_window(qtbot, window, answers)
    finally:
        services.close()


def test_new_action_from_curl_opens_the_paste_dialog_of_its_authentication(qtbot, tmp_path, secrets, answers,
                                                                           monkeypatch):
    from ui.auth import curldialog

    asked = []
    monkeypatch.setattr(curldialog, "ask_curl", lambda parent: asked.append(parent) or SEED_CURL)
    window, services = _empty_window(qtbot, tmp_path, secrets)
    try:
        window.welcome.buttons["welcomeCurl"].click()
        qtbot.waitUntil(lambda: len(asked) == 1)
        mode = window.pane.findChild(QComboBox, "authModeCombo")
        assert mode.currentData() == "customAuthorization"
        assert window.pane.auth.pages.custom.endpoint.text() == "https://ims-na1.adobelogin.com/ims/token/v3"
        close_window(qtbot, window, answers)
    finally:
        services.close()


def test_the_sample_button_opens_the_sample_workspace_in_place_of_the_empty_one(qtbot, tmp_path, secrets, answers):
    from ui.mainwindow import MainWindow

    window, services = _empty_window(qtbot, tmp_path, secrets)
    try:
        window.welcome.findChild(QPushButton, "welcomeSample").click()
        sample = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w is not window]
        assert len(sample) == 1
        other = sample[0]
        qtbot.addWidget(other)
        qtbot.waitUntil(other.is_ready, timeout=15000)
        wait_idle(qtbot)
        wait_opened(qtbot, other)
        assert not shiboken6.isValid(window) or not window.isVisible()
        assert "notifyWebhook" in names_in_list(other) and other.welcome is None
        close_window(qtbot, other, answers)
        other.services.close()
    finally:
        services.close()


class _UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_help_opens_the_log_folder(window, tmp_path, monkeypatch):
    from app import logs

    monkeypatch.setenv(logs.LOG_DIR_ENV, str(tmp_path / "logs"))
    catcher = _UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")  # Qt's own hook: no file manager starts
    try:
        window.menus.log_folder_act.trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [u.toLocalFile() for u in catcher.urls] == [str(tmp_path / "logs")]
    assert (tmp_path / "logs").is_dir()


def _luminance(color) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in color.getRgbF()[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_the_welcome_hints_are_readable_in_light_and_dark(qtbot, tmp_path: Path) -> None:
    """The hints beside the buttons were disabled labels: ~1.7:1 on Fusion's light window (and read
    as "disabled" by a screen reader). They are secondary text of at least 4.5:1 (WCAG AA)."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QLabel

    from tools.screenshots import dark_palette
    from ui.welcome import WelcomePage

    app = QApplication.instance()
    light = app.palette()
    try:
        for scheme in ("light", "dark"):
            if scheme == "dark":
                app.setPalette(dark_palette())
            page = WelcomePage(tmp_path)
            qtbot.addWidget(page)
            hints = [label for label in page.findChildren(QLabel) if label.wordWrap() and label.text()
                     and not label.text().startswith("<h2>") and "workspace is empty" not in label.text()]
            assert len(hints) == 4, [h.text() for h in hints]
            for hint in hints:
                pal = hint.palette()
                fg = _luminance(pal.color(QPalette.ColorRole.WindowText))
                bg = _luminance(pal.color(QPalette.ColorRole.Window))
                ratio = (max(fg, bg) + 0.05) / (min(fg, bg) + 0.05)
                assert hint.isEnabled() and ratio >= 4.5, (scheme, hint.text(), round(ratio, 2))
                assert pal.color(QPalette.ColorRole.WindowText) != app.palette().color(QPalette.ColorRole.WindowText)
    finally:
        app.setPalette(light)


def test_no_text_of_the_window_is_a_disabled_label(qtbot, window) -> None:
    """Hints were disabled labels (unreadable grey, "disabled" to a screen reader): a label is disabled
    only with the part it belongs to."""
    from PySide6.QtWidgets import QLabel

    from ui.environments import EnvironmentsDialog

    window.show_journeys()
    dialog = EnvironmentsDialog(window.services, window)
    qtbot.addWidget(dialog)
    labels = [*window.findChildren(QLabel), *dialog.findChildren(QLabel)]
    assert len(labels) > 20
    disabled = [label.text() for label in labels
                if label.text() and not label.isEnabled() and label.parentWidget().isEnabled()]
    assert disabled == []
