"""The window and the command line on one workspace: the window in pytest-qt, the CLI changing the
workspace; the window follows, and never overwrites what the CLI wrote.

The commands run in process (tests/helpers/cli.py): the window meets them through the disk only (its
watcher, the workspace lock: a flock on its own open file, so a second opener in this process waits
as another process would, and the saved stamps), so a process start proves nothing more there. One
test keeps a real second process, so the window is also seen following one: forked from a parent that
imported the app (tests/helpers/forks.py; in an xdist worker, from the workers' template), a process
of its own without a Python start and the app's imports (~0.3 s of CPU)."""
from __future__ import annotations

import json
import os
from pathlib import Path

from tests.helpers.cli import REPO, Done, run_cli
from tests.helpers.forks import APP, ForkServer
from tests.ui.conftest import wait_idle, wait_opened
from tests.ui.test_mainwindow import finish, names_in_list, replace_text, select


def cli(*args: str, home: Path, process: bool = False) -> Done:
    """The command, in process unless `process` (then a real second process)."""
    done = (forked if process else run_cli)("--home", str(home), *args)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def forked(*args: str) -> Done:
    """`python -m app ARGS` as a process of its own, forked from a warm parent."""
    with ForkServer(dict(os.environ, PYTHONPATH=str(REPO)), ("app.cli.main",)) as server:
        child = server.start(APP, *args)
        out, err = child.communicate()
    return Done(list(args), child.wait(), out, err)


def stored(home: Path, name: str) -> dict:
    return json.loads((home / "actions" / f"{name}.json").read_text())


def change_auth_by_cli(home: Path, tmp_path: Path, duration: int) -> None:
    """`action import-auth`: the token cache duration changed, the secret kept (masked in the file)."""
    auth = json.loads(cli("action", "show", "writeJourneyEvent", home=home).stdout)["auth"]
    auth["cacheDuration"]["duration"] = duration
    path = tmp_path / f"auth-{duration}.json"
    path.write_text(json.dumps(auth))
    done = cli("action", "import-auth", "writeJourneyEvent", str(path), home=home)
    assert done.returncode == 0, done.stderr


def import_by_cli(home: Path, tmp_path: Path, *names: str, process: bool = False) -> None:
    path = tmp_path / f"{'-'.join(names)}.json"
    path.write_text(json.dumps([{"name": n, "description": "made by the CLI",
                                 "endpoint": {"url": "https://hooks.example.com/cli"}} for n in names]))
    done = cli("action", "import", str(path), home=home, process=process)
    assert done.returncode == 0, done.stderr


def cache_duration(window) -> int:
    return window.pane.action().dump()["auth"]["cacheDuration"]["duration"]


def test_a_cli_auth_change_reloads_the_unmodified_action_and_is_kept_by_the_next_save(window, qtbot, tmp_path):
    home = window.home
    select(qtbot, window, "writeJourneyEvent")
    change_auth_by_cli(home, tmp_path, 600)
    qtbot.waitUntil(lambda: cache_duration(window) == 600, timeout=10000)
    assert not window.pane.is_dirty() and "Reloaded writeJourneyEvent" in window.status.status_message.text()
    replace_text(qtbot, window.pane.names.description_edit, "edited in the window")
    finish(qtbot, window.pane.names.description_edit)
    window.save()
    wait_idle(qtbot)
    data = stored(home, "writeJourneyEvent")
    assert data["auth"]["cacheDuration"]["duration"] == 600 and data["description"] == "edited in the window"


def test_a_cli_change_under_unsaved_edits_asks_at_save(window, qtbot, answers, tmp_path):
    home = window.home
    select(qtbot, window, "writeJourneyEvent")
    replace_text(qtbot, window.pane.names.description_edit, "mine")
    finish(qtbot, window.pane.names.description_edit)
    change_auth_by_cli(home, tmp_path, 600)
    qtbot.waitUntil(lambda: "saving will ask" in window.status.status_message.text(), timeout=10000)
    assert window.pane.names.description_edit.text() == "mine"  # unsaved edits are never reloaded away

    answers.save_conflict = "cancel"
    window.save()
    wait_idle(qtbot)
    conflict = answers.conflicts[-1]
    assert (conflict.name, conflict.kind) == ("writeJourneyEvent", "changed")
    assert '"duration": 600' in conflict.theirs and '"description": "mine"' in conflict.mine  # "show both"
    assert stored(home, "writeJourneyEvent")["auth"]["cacheDuration"]["duration"] == 600  # not overwritten
    assert window.pane.is_dirty() and "Your changes are kept" in " ".join(window.pane.problems_shown())

    answers.save_conflict = "mine"
    window.save()
    wait_idle(qtbot)
    data = stored(home, "writeJourneyEvent")
    assert data["description"] == "mine" and data["auth"]["cacheDuration"]["duration"] == 28000
    assert not window.pane.is_dirty()

    replace_text(qtbot, window.pane.names.description_edit, "mine again")
    finish(qtbot, window.pane.names.description_edit)
    change_auth_by_cli(home, tmp_path, 900)
    answers.save_conflict = "theirs"
    window.save()
    wait_idle(qtbot)
    assert cache_duration(window) == 900 and window.pane.names.description_edit.text() == "mine"
    assert not window.pane.is_dirty() and stored(home, "writeJourneyEvent")["description"] == "mine"


def test_an_action_deleted_by_the_cli_is_not_resurrected(window, qtbot, answers, tmp_path):
    home = window.home
    select(qtbot, window, "notifyWebhook")
    assert cli("action", "delete", "notifyWebhook", home=home).returncode == 0
    qtbot.waitUntil(lambda: "notifyWebhook" not in names_in_list(window), timeout=10000)
    wait_opened(qtbot, window)
    assert window.pane.saved_name() in names_in_list(window)
    assert "notifyWebhook was deleted outside the window" in window.status.status_message.text()
    replace_text(qtbot, window.pane.names.description_edit, "other edit")
    window.save()
    wait_idle(qtbot)
    assert not (home / "actions" / "notifyWebhook.json").exists()

    # Deleted under unsaved edits: the row stays until the save asks; taking theirs lets it go.
    import_by_cli(home, tmp_path, "cliHook")
    qtbot.waitUntil(lambda: "cliHook" in names_in_list(window), timeout=10000)
    select(qtbot, window, "cliHook")
    replace_text(qtbot, window.pane.names.description_edit, "edited")
    assert cli("action", "delete", "cliHook", home=home).returncode == 0
    qtbot.waitUntil(lambda: "cliHook was deleted outside" in window.status.status_message.text(), timeout=10000)
    assert "cliHook" in names_in_list(window)
    answers.save_conflict = "theirs"
    window.save()
    wait_idle(qtbot)
    assert answers.conflicts[-1].kind == "deleted" and answers.conflicts[-1].theirs is None
    assert "cliHook" not in names_in_list(window) and not (home / "actions" / "cliHook.json").exists()
    assert window.pane.saved_name() in names_in_list(window)


def test_cli_imports_appear_in_the_list_and_the_send_panel(window, qtbot, tmp_path):
    window.panels.toggle_dock("send")
    panel = window.panels.docks["send"].panel
    qtbot.waitUntil(lambda: panel.action is not None)
    panel.actions.setCurrentText("writeJourneyEvent")  # a choice made in the panel
    import_by_cli(window.home, tmp_path, "cliOne", "cliTwo", process=True)  # a real second process
    qtbot.waitUntil(lambda: {"cliOne", "cliTwo"} <= set(names_in_list(window)), timeout=10000)
    qtbot.waitUntil(lambda: panel.actions.findText("cliTwo") >= 0)
    assert panel.actions.currentText() == "writeJourneyEvent"
    assert window.pane.saved_name() == "airshipCustomEvent"  # what the user was doing is left alone


def test_add_never_overwrites_an_action_the_cli_just_created(window, qtbot, tmp_path):
    home = window.home
    window.edits.add_action()
    qtbot.waitUntil(lambda: window.pane.saved_name() == "newAction")
    import_by_cli(home, tmp_path, "newAction")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "newAction_2", timeout=10000)  # the draft moved aside
    assert names_in_list(window).count("newAction") == 1
    replace_text(qtbot, window.pane.url.url_edit, "https://hooks.example.com/window")
    window.save()
    wait_idle(qtbot)
    assert stored(home, "newAction")["description"] == "made by the CLI"
    assert any("already exists" in p for p in window.pane.problems_shown()) and window.pane.is_dirty()
    replace_text(qtbot, window.pane.names.name_edit, "windowHook")
    window.save()
    wait_idle(qtbot)
    assert stored(home, "windowHook")["endpoint"]["url"] == "https://hooks.example.com/window"
    assert stored(home, "newAction")["description"] == "made by the CLI"


def test_a_rename_never_overwrites_an_existing_action(window, qtbot, tmp_path):
    home = window.home
    select(qtbot, window, "notifyWebhook")
    import_by_cli(home, tmp_path, "cliMade")
    replace_text(qtbot, window.pane.names.name_edit, "cliMade")
    window.save()
    wait_idle(qtbot)
    assert stored(home, "cliMade")["description"] == "made by the CLI"
    assert (home / "actions" / "notifyWebhook.json").exists()
    assert any("already exists" in p for p in window.pane.problems_shown())
    qtbot.waitUntil(lambda: "cliMade" in names_in_list(window), timeout=10000)


def test_an_editor_writing_the_open_file_in_place_is_seen(window, qtbot):
    select(qtbot, window, "notifyWebhook")
    path = window.home / "actions" / "notifyWebhook.json"
    data = json.loads(path.read_text())
    data["description"] = "edited in an editor"
    with open(path, "r+", encoding="utf-8") as handle:  # same inode: no folder event, only the file's
        handle.write(json.dumps(data, indent=2))
        handle.truncate()
    qtbot.waitUntil(lambda: window.pane.names.description_edit.text() == "edited in an editor", timeout=10000)
