"""`send` (in process, as `python -m app` runs it): a dynamic path that climbs above the action's URL is refused before
anything is sent or recorded (it reached the sandbox's control API)."""
from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.test_send_cli import cli


def test_a_climbing_dynamic_path_is_refused(sample_home: Path) -> None:
    done = cli("send", "notifyWebhook", "--sandbox", "--path", "../../_sandbox/faults", home=sample_home)
    assert done.returncode == 1 and done.stdout == ""
    assert "error: the dynamic path '../../_sandbox/faults' has a '..' segment" in done.stderr
    history = cli("history", "list", "--json", home=sample_home)  # nothing recorded (no history yet, or empty)
    assert history.returncode == 1 and "no history" in json.loads(history.stdout)["error"] \
        or json.loads(history.stdout) == []
    ok = cli("send", "notifyWebhook", "--sandbox", "--path", "a/b", "--json", home=sample_home)
    assert ok.returncode == 0 and json.loads(ok.stdout)["data"]["path"].endswith("/notify/a/b")
