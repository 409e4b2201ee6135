"""The workspace store: atomic writes, corrupt files set aside, renames that never lose an action."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app import atomic
from app.model import Action
from app.store import BrokenFileError, StoreError, Workspace


def test_save_load_round_trip(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    saved = ws.save(Action(name="first", description="d"))
    again = Workspace.open(tmp_path).load("first")
    assert again == saved
    text = (tmp_path / "actions" / "first.json").read_text()
    assert text.startswith("{\n  ")  # pretty JSON, diff-friendly


def test_names_are_unique_case_insensitively(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    ws.save(Action(name="dup"))
    with pytest.raises(StoreError, match="already exists"):
        ws.save(Action(name="DUP"))
    assert ws.unique_name("dup") == "dup_2"
    assert len(ws.unique_name("x" * 30)) == 30


def test_rename_keeps_the_action_and_removes_the_old_file(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    action = ws.save(Action(name="old"))
    ws.save(action.model_copy(update={"name": "new"}), previous_name="old")
    assert ws.names() == ["new"]
    assert not (tmp_path / "actions" / "old.json").exists()
    assert Workspace.open(tmp_path).load("new").id == action.id


def test_rename_to_other_case_on_the_same_file(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    action = ws.save(Action(name="name"))
    ws.save(action.model_copy(update={"name": "Name"}), previous_name="name")
    assert Workspace.open(tmp_path).names() == ["Name"]


def test_corrupt_files_are_set_aside_and_reported(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    ws.save(Action(name="good"))
    (tmp_path / "actions" / "broken.json").write_text('{"name": "broken",\n  "endpoint": ')
    (tmp_path / "actions" / "invalid.json").write_text(json.dumps({"name": "bad name"}))
    (tmp_path / "actions" / "binary.json").write_bytes(b"\xff\xfe\x00")
    fresh = Workspace.open(tmp_path)
    assert fresh.names() == ["good"]
    assert len(fresh.problems) == 3
    joined = "\n".join(fresh.problems)
    assert "actions/broken.json: not valid JSON: line 2, column 15" in joined
    assert "actions/invalid.json: name: the name contains space" in joined
    assert "not UTF-8" in joined
    kept = sorted(p.name.split(".json")[0] for p in (tmp_path / "broken").iterdir())
    assert kept == ["binary", "broken", "invalid"]  # never deleted


def test_atomic_write_leaves_the_old_file_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "f.json"
    atomic.write_json(target, {"v": 1})

    def boom(*_a: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic.write_json(target, {"v": 2})
    assert json.loads(target.read_text()) == {"v": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]  # no temp file left behind


def test_index_speeds_up_and_follows_external_edits(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    for i in range(5):
        ws.save(Action(name=f"a{i}"))
    Workspace.open(tmp_path).summaries()
    assert (tmp_path / ".index.json").exists()
    data = Action(name="a1", description="edited elsewhere").dump()
    (tmp_path / "actions" / "a1.json").write_text(json.dumps(data))
    summary = {s.name: s for s in Workspace.open(tmp_path).summaries()}["a1"]
    assert summary.description == "edited elsewhere"
    (tmp_path / ".index.json").write_text("garbage")
    assert len(Workspace.open(tmp_path).summaries()) == 5


def test_delete_returns_the_action_for_undo(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    ws.save(Action(name="gone"))
    action = ws.delete("gone")
    assert ws.names() == []
    ws.save(action)
    assert ws.names() == ["gone"]
    with pytest.raises(StoreError, match="no action named"):
        ws.delete("missing")


def test_used_in_reads_journeys(sample_home: Path) -> None:
    ws = Workspace.open(sample_home)
    used = ws.used_in()
    assert used["writeJourneyEvent"] == ["sampleJourney"]
    assert "notifyWebhook" not in used
    (sample_home / "journeys" / "bad.json").write_text("[1")
    Workspace.open(sample_home).used_in()
    assert (sample_home / "broken").exists()


def test_environments_round_trip_and_corrupt(tmp_path: Path) -> None:
    from app.model import Environment, EnvironmentSet, Variable

    ws = Workspace.open(tmp_path)
    envs = EnvironmentSet(active="dev", environments=[Environment(name="dev", variables=[Variable(name="baseUrl", value="x")])])
    ws.save_environments(envs)
    assert ws.environments() == envs
    (tmp_path / "environments.json").write_text("{")
    with pytest.raises(BrokenFileError, match=r"environments.json: not valid JSON .*line 1, column 2"):
        ws.environments()
    assert (tmp_path / "environments.json").read_text() == "{"  # left in place, never dropped


def test_environments_from_a_newer_version_and_saving_over_a_broken_file(tmp_path: Path) -> None:
    from app.model import Environment, EnvironmentSet

    ws = Workspace.open(tmp_path)
    path = tmp_path / "environments.json"
    path.write_text(json.dumps({"active": "dev", "environments": [{"name": "dev", "color": "red"}], "sync": True}))
    envs = ws.environments()
    assert envs.active == "dev" and "environments.json: fields from a newer version" in ws.problems[0]
    ws.save_environments(envs.model_copy(update={"active": "dev2", "environments": [*envs.environments, Environment(name="dev2")]}))
    data = json.loads(path.read_text())
    assert data["sync"] is True and data["active"] == "dev2"
    path.write_text("{broken")
    ws.save_environments(EnvironmentSet())  # an explicit save replaces it, the broken one kept aside
    [kept] = (tmp_path / "broken").iterdir()
    assert kept.read_text() == "{broken" and kept.name.startswith("environments.json.")
