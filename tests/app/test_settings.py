"""Workspace settings: the history bound is configurable, checked, and applied at once."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.calls.history import History
from app.settings import SettingsError, WorkspaceSettings, load_settings, save_settings
from tests.helpers.cli import Done, run_cli


def test_defaults_round_trip_and_bad_values(tmp_path: Path) -> None:
    assert load_settings(tmp_path).history_max_rows == 50_000
    save_settings(tmp_path, WorkspaceSettings(history_max_rows=500))
    assert json.loads((tmp_path / "settings.json").read_text())["historyMaxRows"] == 500
    assert History.for_workspace(tmp_path).max_rows == 500
    (tmp_path / "settings.json").write_text('{"historyMaxRows": 5}')
    with pytest.raises(SettingsError, match="settings.json: historyMaxRows: Input should be greater than or equal to 100"):
        load_settings(tmp_path)


def cli(home: Path, *args: str) -> Done:
    return run_cli("--home", str(home), "history", "limit", *args)


def test_history_limit_command_prunes_at_once(tmp_path: Path) -> None:
    with History.for_workspace(tmp_path) as history:
        rows = [("2026-11-23T12:00:00.000", "a", "manual", "http_200", 200, 1.0, "POST", "http://x", "", "{}")] * 150
        history.add_rows(rows)
    done = cli(tmp_path, "120")
    assert done.returncode == 0, done.stderr
    assert "keeps the last 120 calls (30 oldest calls pruned)" in done.stdout
    with History.for_workspace(tmp_path) as history:
        assert history.max_rows == 120 and history.count() == 120
    assert "keeps the last 120 calls" in cli(tmp_path).stdout
    bad = cli(tmp_path, "3")
    assert bad.returncode == 1 and "between 100 and 10,000,000" in bad.stderr
    (tmp_path / "settings.json").write_text("{oops")
    broken = cli(tmp_path)
    assert broken.returncode == 1 and "settings.json" in broken.stderr and "Traceback" not in broken.stderr


def test_a_newer_field_is_ignored_and_kept(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text('{"historyMaxRows": 300, "theme": "dark"}')
    assert load_settings(tmp_path).history_max_rows == 300
    save_settings(tmp_path, WorkspaceSettings(history_max_rows=400))
    assert json.loads((tmp_path / "settings.json").read_text()) == {
        "historyMaxRows": 400, "theme": "dark", "responseMaxBytes": 4 * 1024 * 1024, "tokenResponseMaxBytes": 1024 * 1024}


def test_a_broken_file_keeps_every_call_in_the_history(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text('{"historyMaxRows": 100')
    with History.for_workspace(tmp_path) as history:
        history.add_rows([("2026-11-23T12:00:00.000", "a", "manual", "http_200", 200, 1.0, "POST", "u", "", "{}")] * 150)
        assert history.count() == 150  # the bound it held is unknown: nothing pruned
        assert history.problems[0].startswith(f"{tmp_path / 'settings.json'}: not valid JSON (line 1, column 23")


def test_response_caps_have_defaults_and_bounds(tmp_path: Path) -> None:
    from app.net import NetConfig

    settings = load_settings(tmp_path)
    assert settings.response_max_bytes == 4 * 1024 * 1024 and settings.token_response_max_bytes == 1024 * 1024
    assert NetConfig.from_settings(settings) == NetConfig()
    (tmp_path / "settings.json").write_text('{"responseMaxBytes": 10, "tokenResponseMaxBytes": 2048}')
    with pytest.raises(SettingsError, match="responseMaxBytes: Input should be greater than or equal to 1024"):
        load_settings(tmp_path)
    (tmp_path / "settings.json").write_text('{"responseMaxBytes": 20000, "tokenResponseMaxBytes": 2048}')
    assert NetConfig.from_settings(load_settings(tmp_path)) == NetConfig(20000, 2048)
