"""The list's selection and the pane agree: Cancel in the unsaved-changes question, drafts of new
actions, and the one rule for actions used in a journey (delete refused, rename carried along)."""
from __future__ import annotations

from tests.ui.conftest import wait_idle, wait_opened
from tests.ui.test_mainwindow import names_in_list, replace_text, select
from ui.actionlist.model import NAME


def highlighted(window) -> list[str]:
    """The names of the rows the list shows as selected, and the current row's name."""
    table = window.list.table
    rows = [window.list.proxy.index(i.row(), NAME).data() for i in table.selectionModel().selectedRows()]
    current = table.currentIndex()
    return rows + [window.list.proxy.index(current.row(), NAME).data() if current.isValid() else ""]


def test_cancel_returns_the_selection_to_the_action_being_edited(window, qtbot, answers, services):
    replace_text(qtbot, window.pane.names.description_edit, "edited")
    answers.save_discard_cancel = "cancel"
    select(qtbot, window, "notifyWebhook")
    qtbot.waitUntil(lambda: highlighted(window) == ["airshipCustomEvent", "airshipCustomEvent"], timeout=2000)
    assert window.pane.saved_name() == "airshipCustomEvent"

    # Export now acts on the action the pane and the list both show.
    window.menus.export_act.trigger()
    assert answers.asked[-1] == ("save_file", "airshipCustomEvent.json")


def test_a_refused_save_also_returns_the_selection(window, qtbot, answers):
    replace_text(qtbot, window.pane.names.name_edit, "bad name")
    answers.save_discard_cancel = "save"
    select(qtbot, window, "notifyWebhook")
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: highlighted(window) == ["airshipCustomEvent", "airshipCustomEvent"], timeout=2000)
    assert window.pane.saved_name() == "airshipCustomEvent"
    assert "notifyWebhook" in names_in_list(window)


def stored_files(services) -> list[str]:
    return sorted(p.name for p in (services.workspace.home / "actions").glob("*.json"))


def test_a_new_action_is_a_draft_until_its_first_valid_save(window, qtbot, answers, services):
    before = stored_files(services)
    window.edits.add_action()
    qtbot.waitUntil(lambda: window.pane.saved_name() == "newAction")
    assert stored_files(services) == before  # nothing written yet
    assert "newAction" in names_in_list(window) and window.list.model.is_dirty("newAction")
    assert window.pane.is_dirty() and window.pane.header.title.text() == "newAction *"

    answers.save_discard_cancel = "discard"  # switching away discards the draft: its row goes too
    select(qtbot, window, "notifyWebhook")
    assert window.pane.saved_name() == "notifyWebhook"
    assert "newAction" not in names_in_list(window) and stored_files(services) == before

    window.edits.add_action()  # the same name again, not newAction_2
    qtbot.waitUntil(lambda: window.pane.saved_name() == "newAction")
    window.edits.add_action()  # Add on a draft: discard it, one draft row only
    wait_idle(qtbot)
    assert names_in_list(window).count("newAction") == 1 and stored_files(services) == before

    window.save()  # not valid yet (no URL): still nothing on disk
    wait_idle(qtbot)
    assert stored_files(services) == before and window.pane.is_dirty()
    replace_text(qtbot, window.pane.names.name_edit, "orderShipped")
    replace_text(qtbot, window.pane.url.url_edit, "https://hooks.example.com/order")
    window.save()
    wait_idle(qtbot)
    assert stored_files(services) == sorted(before + ["orderShipped.json"])
    assert names_in_list(window).count("orderShipped") == 1 and "newAction" not in names_in_list(window)
    assert not window.pane.is_dirty() and not window.pane.is_draft()


def test_deleting_a_draft_discards_it_and_closing_writes_nothing(window, qtbot, answers, services):
    before = stored_files(services)
    window.edits.add_action()
    qtbot.waitUntil(lambda: window.pane.saved_name() == "newAction")
    answers.confirm = True
    window.edits.delete_action()
    wait_opened(qtbot, window)
    assert answers.asked[-1] == ("confirm", "Discard “newAction”?")
    assert "newAction" not in names_in_list(window) and window.pane.saved_name() in names_in_list(window)
    assert not window.undo_stack.canUndo()  # nothing to undo: nothing was stored

    window.edits.add_action()
    qtbot.waitUntil(lambda: window.pane.saved_name() == "newAction")
    answers.save_discard_cancel = "discard"
    window.close()
    assert answers.asked[-1] == ("save_discard_cancel", "newAction")
    assert stored_files(services) == before


def test_a_draft_cannot_take_a_name_created_meanwhile(window, qtbot, services):
    from app.model import Action
    from app.store import Workspace

    window.edits.add_action()
    qtbot.waitUntil(lambda: window.pane.saved_name() == "newAction")
    Workspace.open(services.workspace.home).save(Action(name="newAction", description="made elsewhere"))
    replace_text(qtbot, window.pane.url.url_edit, "https://hooks.example.com/order")
    window.save()
    wait_idle(qtbot)
    assert services.workspace.load("newAction").description == "made elsewhere"
    assert window.pane.is_dirty() and "already exists" in " ".join(window.pane.problems_shown())


def test_an_action_used_in_a_journey_is_not_deleted(window, qtbot, answers, services):
    home = services.workspace.home
    select(qtbot, window, "writeJourneyEvent")
    asked = len(answers.asked)
    window.edits.delete_action()
    wait_idle(qtbot)
    assert (home / "actions" / "writeJourneyEvent.json").exists()
    assert len(answers.asked) == asked  # refused at once: nothing to confirm
    assert window.status.status_message.text() == \
        "writeJourneyEvent is used in sampleJourney; remove it from those journeys first"  # the CLI's words

    # A journey written meanwhile by another process: the store refuses even if the list is behind.
    (home / "journeys" / "other.json").write_text(
        '{"name": "other", "nodes": [{"id": "n", "type": "action", "action": "notifyWebhook"}]}')
    select(qtbot, window, "notifyWebhook")
    window.edits.delete_action()
    wait_idle(qtbot)
    assert (home / "actions" / "notifyWebhook.json").exists()
    assert "notifyWebhook is used in other" in window.status.status_message.text()


def test_renaming_a_used_action_updates_its_journeys_and_keeps_the_lock(window, qtbot, services):
    import json

    home = services.workspace.home
    select(qtbot, window, "writeJourneyEvent")
    replace_text(qtbot, window.pane.names.name_edit, "writeStep")
    assert "(saving updates the journey that calls it to the new name)" in window.pane.names.name_error.text()
    window.save()
    wait_idle(qtbot)
    journey = json.loads((home / "journeys" / "sampleJourney.json").read_text())
    assert [n.get("action") for n in journey["nodes"] if n.get("type") == "action"] == \
        ["writeStep", "airshipCustomEvent"]
    assert not (home / "actions" / "writeJourneyEvent.json").exists()
    select(qtbot, window, "notifyWebhook")
    select(qtbot, window, "writeStep")
    qtbot.waitUntil(lambda: window.pane.saved_name() == "writeStep")
    assert window.pane.is_locked() and "sampleJourney" in window.pane.lock_banner.text.text()
    assert window.list.model.used_in("writeStep") == ["sampleJourney"]
