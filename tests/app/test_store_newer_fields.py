"""An action file written by a newer version (fields this one does not know) stays readable, is
never moved to broken/, and keeps those fields when saved again."""
from __future__ import annotations

import json
from pathlib import Path

from app.model import Action
from app.store import Workspace
from tests.helpers.cli import run_cli


def newer_file(home: Path) -> Path:
    data = Action.model_validate({"name": "fromTheFuture", "description": "v2",
                                  "endpoint": {"headers": [{"name": "X-A", "value": "1"}]}}).dump()
    data["retryPolicy"] = {"attempts": 3}
    data["endpoint"]["circuitBreaker"] = True
    data["endpoint"]["headers"][-1]["redact"] = "never"
    path = home / "actions" / "fromTheFuture.json"
    path.write_text(json.dumps(data, indent=2))
    return path


def test_unknown_fields_are_read_around_reported_and_kept(tmp_path: Path) -> None:
    Workspace.open(tmp_path)
    path = newer_file(tmp_path)
    ws = Workspace.open(tmp_path)
    assert ws.names() == ["fromTheFuture"]
    assert not (tmp_path / "broken").exists()
    assert ws.problems == ["actions/fromTheFuture.json: fields from a newer version (endpoint.headers[2].redact, "
                           "endpoint.circuitBreaker, retryPolicy) are not used here and are kept in the file"]
    action, stamp = ws.load_stamped("fromTheFuture")
    assert action.description == "v2" and action.endpoint.headers[-1].name == "X-A"
    ws.save(action.model_copy(update={"description": "edited here"}), previous_name="fromTheFuture", expected=stamp)
    data = json.loads(path.read_text())
    assert data["description"] == "edited here"
    assert data["retryPolicy"] == {"attempts": 3} and data["endpoint"]["circuitBreaker"] is True
    assert data["endpoint"]["headers"][-1]["redact"] == "never"


def test_renamed_they_move_along_and_a_header_list_that_changed_drops_only_the_header_extra(tmp_path: Path) -> None:
    Workspace.open(tmp_path)
    newer_file(tmp_path)
    ws = Workspace.open(tmp_path)
    action = ws.load("fromTheFuture")
    headers = [*action.endpoint.headers, action.endpoint.headers[-1].model_copy(update={"name": "X-B"})]
    changed = action.model_copy(update={"name": "renamed", "endpoint": action.endpoint.model_copy(update={"headers": headers})})
    ws.save(changed, previous_name="fromTheFuture")
    data = json.loads((tmp_path / "actions" / "renamed.json").read_text())
    assert data["retryPolicy"] == {"attempts": 3} and data["endpoint"]["circuitBreaker"] is True
    assert all("redact" not in h for h in data["endpoint"]["headers"])  # its row may have moved: not guessed


def test_action_list_on_the_command_line_keeps_the_file(tmp_path: Path) -> None:
    Workspace.open(tmp_path)
    path = newer_file(tmp_path)
    before = path.read_text()
    done = run_cli("--home", str(tmp_path), "action", "list")
    assert done.returncode == 0 and done.stdout.startswith("fromTheFuture")
    assert done.stderr.startswith("warning: actions/fromTheFuture.json: fields from a newer version (endpoint.headers")
    assert path.read_text() == before and not (tmp_path / "broken").exists()


def test_unknown_fields_next_to_a_real_error_still_set_the_file_aside(tmp_path: Path) -> None:
    Workspace.open(tmp_path)
    data = Action(name="bad").dump()
    data["futureField"] = 1
    data["timeoutSeconds"] = 99
    (tmp_path / "actions" / "bad.json").write_text(json.dumps(data))
    ws = Workspace.open(tmp_path)
    assert ws.names() == []
    assert "timeoutSeconds: the timeout must be between 1 and 30 seconds" in ws.problems[0]
