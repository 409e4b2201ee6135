"""Fixtures for the pane sections: the seed payload, and no worker left running after a test."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool

# The request payload of seed 000 as the seed prints it (line 16 lacks its closing quote).
SEED_REQUEST = """{
"xdmMeta": {
"schemaRef": {
"id": "https://ns.adobe.com/<your_org>/schemas/<schema_id>",
"contentType": "application/vnd.adobe.xed-full+json;version=1.0"
}
},
"xdmEntity": {
"_id": "/uri-reference",
"<your_org>": {
"journeyVersionId": "Sample value",
"nodeId": "Sample value",
"customer_Id":""
},
"eventMergeId": "Sample value",
"eventType": "advertising.completes,
"producedBy": "self",
"timestamp": "2018-11-12T20:20:39+00:00"
}
}
"""
SEED_CURL = (
    "curl -X POST 'https://ims-na1.adobelogin.com/ims/token/v3' -H 'Content-Type: "
    "application/x-www-form-urlencoded' -d 'grant_type=client_credentials&client_id=1234&client_secret=5678"
    "&scope=openid,AdobeID,read_organizations,additional_info.projectedProductContext,session'"
)


@pytest.fixture
def quick_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """JSON editors made in the test check their text 10 ms after an edit instead of 250 ms. For tests
    that replace a whole text at once (a paste: one edit, so one check whatever the pause): the pause
    is not what they test (test_jsonedit's typing test keeps the real one)."""
    monkeypatch.setattr("ui.jsonedit.DEBOUNCE_MS", 10)


@pytest.fixture(autouse=True)
def _no_workers_left(qapp):
    """Validation and auth tests run in the global pool: let them finish before the next test."""
    yield
    from ui import workers

    workers.wait_idle(10_000)
    QThreadPool.globalInstance().waitForDone(10_000)
    qapp.processEvents()
