"""tests.helpers.memory_tmp: the suite's temp folder on a tmpfs with room, unless the person running it chose one."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers.memory_tmp import chosen_tmp, memory_folder


def test_a_writable_folder_with_room_is_taken(tmp_path: Path) -> None:
    assert memory_folder(tmp_path, room=1) == tmp_path


def test_a_folder_without_the_room_is_not(tmp_path: Path) -> None:
    free = os.statvfs(tmp_path).f_bavail * os.statvfs(tmp_path).f_frsize
    assert memory_folder(tmp_path, room=free + (1 << 40)) is None


def test_a_missing_folder_or_a_file_is_not(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    assert memory_folder(tmp_path / "missing", room=1) is None
    assert memory_folder(tmp_path / "file", room=1) is None


def test_a_temp_folder_chosen_by_whoever_runs_the_tests_is_kept(tmp_path: Path) -> None:
    assert chosen_tmp({}, None, tmp_path, room=1) == tmp_path
    assert chosen_tmp({"TMPDIR": str(tmp_path / "mine")}, None, tmp_path, room=1) is None
    assert chosen_tmp({}, str(tmp_path / "base"), tmp_path, room=1) is None


def test_the_root_conftest_registers_it(request: pytest.FixtureRequest) -> None:
    assert request.config.pluginmanager.has_plugin("tests.helpers.memory_tmp")
