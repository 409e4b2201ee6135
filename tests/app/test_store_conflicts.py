"""Stamps, conflicts, unique names and the journeys a rename touches: the store API the window and
the command line share, so neither overwrites the other's change without knowing."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.model import Action
from app.store import ConflictError, InUseError, StoreError, Workspace


def _journey(home: Path, name: str, *actions: str) -> Path:
    path = home / "journeys" / f"{name}.json"
    path.write_text(json.dumps({"name": name, "nodes": [{"id": f"n{i}", "action": a} for i, a in enumerate(actions)]}))
    return path


def test_stamp_follows_the_file_on_disk(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    assert ws.stamp("a") is None
    saved = ws.save(Action(name="a"))
    action, stamp = ws.load_stamped("a")
    assert action == saved and ws.stamp("a") == stamp
    other = Workspace.open(tmp_path)  # another window or the command line
    other.save(action.model_copy(update={"description": "theirs"}))
    assert ws.stamp("a") != stamp


def test_save_against_a_stale_stamp_is_a_conflict(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    ws.save(Action(name="a"))
    action, stamp = ws.load_stamped("a")
    Workspace.open(tmp_path).save(action.model_copy(update={"description": "theirs"}))
    with pytest.raises(ConflictError) as caught:
        ws.save(action.model_copy(update={"description": "mine"}), previous_name="a", expected=stamp)
    assert caught.value.kind == "changed" and caught.value.name == "a"
    assert "changed on disk" in str(caught.value)
    assert Workspace.open(tmp_path).load("a").description == "theirs"
    fresh, stamp = ws.load_stamped("a")
    ws.save(fresh.model_copy(update={"description": "mine"}), previous_name="a", expected=stamp)
    assert Workspace.open(tmp_path).load("a").description == "mine"


def test_save_of_a_file_deleted_meanwhile_is_a_conflict(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    ws.save(Action(name="a"))
    action, stamp = ws.load_stamped("a")
    Workspace.open(tmp_path).delete("a")
    with pytest.raises(ConflictError) as caught:
        ws.save(action, previous_name="a", expected=stamp)
    assert caught.value.kind == "deleted"
    assert not (tmp_path / "actions" / "a.json").exists()


def test_a_new_action_never_lands_on_an_existing_name(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    Workspace.open(tmp_path).save(Action(name="Taken"))  # by another process: not in ws's list
    with pytest.raises(ConflictError) as caught:
        ws.save(Action(name="taken"), expected=None)
    assert caught.value.kind == "exists" and caught.value.name == "Taken"
    created = ws.create_unique(Action(name="taken"))
    assert created.name == "taken_2"
    assert sorted(Workspace.open(tmp_path).names()) == ["Taken", "taken_2"]


def test_rename_onto_an_existing_name_is_refused(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    ws.save(Action(name="one"))
    two = ws.save(Action(name="two"))
    with pytest.raises(ConflictError) as caught:
        ws.save(two.model_copy(update={"name": "ONE"}), previous_name="two")
    assert caught.value.kind == "exists"
    assert sorted(Workspace.open(tmp_path).names()) == ["one", "two"]


def test_rename_renames_the_action_in_journeys(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    action = ws.save(Action(name="old"))
    _journey(tmp_path, "j1", "old", "other", "old")
    _journey(tmp_path, "j2", "other")
    untouched = (tmp_path / "journeys" / "j2.json").read_text()
    ws.save(action.model_copy(update={"name": "new"}), previous_name="old")
    j1 = json.loads((tmp_path / "journeys" / "j1.json").read_text())
    assert [n["action"] for n in j1["nodes"]] == ["new", "other", "new"]
    assert (tmp_path / "journeys" / "j2.json").read_text() == untouched
    assert Workspace.open(tmp_path).used_in()["new"] == ["j1"]
    assert not (tmp_path / ".journal.json").exists()


def test_delete_refuses_an_action_used_in_a_journey(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    ws.save(Action(name="used"))
    _journey(tmp_path, "welcome", "used")
    with pytest.raises(InUseError, match="used is used in welcome; remove it from those journeys first") as caught:
        ws.delete("used")
    assert caught.value.journeys == ["welcome"]
    assert ws.exists("used")


def test_delete_against_a_stale_stamp_is_a_conflict(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    action = ws.save(Action(name="a"))
    stamp = ws.stamp("a")
    Workspace.open(tmp_path).save(action.model_copy(update={"description": "theirs"}))
    with pytest.raises(ConflictError, match="changed on disk"):
        ws.delete("a", expected=stamp)
    assert Workspace.open(tmp_path).exists("a")


def test_an_action_written_by_another_process_can_be_loaded(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    assert ws.names() == []
    Workspace.open(tmp_path).save(Action(name="late"))
    assert ws.load("late").name == "late"
    Workspace.open(tmp_path).delete("late")
    with pytest.raises(StoreError, match="no action named 'late'"):
        ws.load("late")


def test_create_many_is_all_or_nothing_on_clashes(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    ws.save(Action(name="b"))
    with pytest.raises(ConflictError, match="already in the workspace: b"):
        ws.create_many([Action(name="a"), Action(name="b"), Action(name="c")])
    assert Workspace.open(tmp_path).names() == ["b"]
    made = ws.create_many([Action(name="a"), Action(name="b"), Action(name="b")], rename=True)
    assert [a.name for a in made] == ["a", "b_2", "b_3"]
    assert Workspace.open(tmp_path).names() == ["a", "b", "b_2", "b_3"]


def test_create_many_refuses_a_name_twice_in_one_import_without_rename(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    with pytest.raises(ConflictError, match="^more than once in the import: X$"):
        ws.create_many([Action(name="x"), Action(name="X")])
    assert Workspace.open(tmp_path).names() == []
