"""A file's format is recognised from its content; each reads through the one entry point."""
from __future__ import annotations

import json

import pytest

from app.interop import files
from app.interop.report import InteropError
from tests.app.interop.helpers import DATA, SAMPLE_ACTIONS


@pytest.mark.parametrize("text, fmt", [
    ("curl https://x.example.com", "curl"),
    ("$ curl -X POST https://x.example.com", "curl"),
    ((DATA / "postman" / "shop.postman_collection.json").read_text("utf-8"), "postman"),
    ((DATA / "openapi" / "orders-3.0.yaml").read_text("utf-8"), "openapi"),
    ((DATA / "openapi" / "events-3.1.json").read_text("utf-8"), "openapi"),
    ((SAMPLE_ACTIONS / "notifyWebhook.json").read_text("utf-8"), "native"),
    # an action whose description mentions Postman's schema is still ours
    (json.dumps({"name": "a", "description": "see https://schema.getpostman.com/json/collection/v2.1.0/"}),
     "native"),
])
def test_sniff(text: str, fmt: str) -> None:
    assert files.sniff(text) == fmt


def test_read_native_and_unknown() -> None:
    report = files.read((SAMPLE_ACTIONS / "notifyWebhook.json").read_text("utf-8"), "n.json")
    assert report.fmt == "native" and [i.action.name for i in report.items] == ["notifyWebhook"]
    with pytest.raises(InteropError, match="unknown format 'har'"):
        files.read("{}", "x", "har")
    with pytest.raises(InteropError, match="expected an action"):
        files.read('"x"', "x.json")
