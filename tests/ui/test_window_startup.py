"""Start-up in two steps: the list from the index first (`listed`), then the workspace (`ready`)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.model import Action
from tests.ui.conftest import close_window, wait_idle
from tests.ui.helpers.answers import Answers
from ui import create_main_window


def test_the_list_shows_before_the_workspace_loads_and_broken_rows_then_go(qtbot: Any, services: Any,
                                                                          answers: Answers) -> None:
    home: Path = services.workspace.home
    broken = {**Action(name="tooSlow").dump(), "timeoutSeconds": 99}  # looks like an action, is not one
    (home / "actions" / "tooSlow.json").write_text(json.dumps(broken), "utf-8")
    services.workspace.refresh()
    window = create_main_window(home, services)
    qtbot.addWidget(window)
    events: list[tuple[str, list[str]]] = []
    window.list.model.modelReset.connect(lambda: events.append(("rows", window.list.model.names())))
    window.listed.connect(lambda: events.append(("listed", window.list.model.names())))
    window.ready.connect(lambda: events.append(("ready", window.list.model.names())))
    window.show()
    qtbot.waitUntil(window.is_ready, timeout=15000)
    wait_idle(qtbot)
    first_rows = ["airshipCustomEvent", "notifyWebhook", "tooSlow", "writeJourneyEvent"]
    assert events[0] == ("rows", first_rows)  # the index's rows, before any model was validated
    assert [e[0] for e in events if e[0] != "rows"] == ["listed", "ready"]
    assert events[-1][1] == ["airshipCustomEvent", "notifyWebhook", "writeJourneyEvent"]
    assert list((home / "broken").glob("tooSlow.json.*"))  # set aside, never deleted
    close_window(qtbot, window, answers)
