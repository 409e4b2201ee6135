"""A model error in the custom authentication's JSON is marked on the line of the field it names."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPlainTextEdit

from tests.ui.sections.conftest import SEED_CURL
from tests.ui.sections.test_auth_section import type_json
from ui.auth.section import AuthSection


@pytest.fixture
def section(qtbot, services, quick_checks):
    widget = AuthSection(services)
    qtbot.addWidget(widget)
    return widget


def test_a_nested_field_error_is_marked_on_its_own_line(qtbot, section):
    section.import_curl(SEED_CURL)
    section.show_json()
    editor = section.findChild(QPlainTextEdit, "authJsonEdit")
    good = editor.toPlainText()
    lines = good.splitlines()
    client_id = next(n for n, line in enumerate(lines, 1) if '"client_id"' in line)
    body = next(n for n, line in enumerate(lines, 1) if '"body"' in line)
    assert client_id > body + 1  # nested two levels below "body"
    type_json(qtbot, section, good.replace('"client_id": "1234"', '"client_id": 1234') + "BROKEN")
    problem = editor.problem()
    assert problem is not None and "body.bodyParams.client_id" in problem.message
    assert editor.error_line() == client_id
