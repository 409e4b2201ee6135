"""The Paste cURL dialog offers to write a vendor's token host as its environment variable."""
from __future__ import annotations

from tests.ui.sections.conftest import SEED_CURL
from ui.auth.curldialog import CurlDialog


def test_the_seed_s_host_is_offered_as_imsurl_and_used_when_ticked(qtbot) -> None:
    dialog = CurlDialog()
    qtbot.addWidget(dialog)
    dialog.text.setPlainText(SEED_CURL)
    box = dialog.use_variable
    assert not box.isHidden() and box.isChecked()
    assert box.text().startswith("Write https://ims-na1.adobelogin.com as {{imsUrl}}")
    assert dialog.command().startswith("curl -X POST '{{imsUrl}}/ims/token/v3'")
    box.setChecked(False)
    assert dialog.command() == SEED_CURL


def test_no_offer_for_another_host(qtbot) -> None:
    dialog = CurlDialog()
    qtbot.addWidget(dialog)
    dialog.text.setPlainText(SEED_CURL)
    other = SEED_CURL.replace("https://ims-na1.adobelogin.com", "https://auth.example.com")
    dialog.text.setPlainText(other)
    assert dialog.use_variable.isHidden() and dialog.command() == other
