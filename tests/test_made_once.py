"""tests.helpers.once: a read-only input made by the first worker of a test run, read by the others,
never read from an earlier run."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.once import made_once


def _factory(basetemp: Path) -> pytest.TempPathFactory:
    """A run's (or a worker's) temp folders, as pytest makes them for `--basetemp basetemp`."""
    return pytest.TempPathFactory(basetemp, 3, "all", lambda *args: None, _ispytest=True)


class Maker:
    def __init__(self) -> None:
        self.folders: list[Path] = []

    def __call__(self, folder: Path) -> dict[str, object]:
        assert list(folder.iterdir()) == []  # an empty folder of its own
        self.folders.append(folder)
        (folder / "made.txt").write_text("shared")
        return {"made": folder / "made.txt", "count": len(self.folders)}


def test_the_first_worker_makes_it_and_the_others_read_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make = Maker()
    (tmp_path / "run").mkdir()  # the controller's, that the workers' own are made in
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    first = made_once(_factory(tmp_path / "run" / "popen-gw0"), "once-x", make)
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    second = made_once(_factory(tmp_path / "run" / "popen-gw1"), "once-x", make)
    assert make.folders == [tmp_path / "run" / "once-x"]  # in the run's folder, shared by its workers
    assert first == second == {"made": tmp_path / "run" / "once-x" / "made.txt", "count": 1}
    assert made_once(_factory(tmp_path / "run" / "popen-gw1"), "once-y", make)["count"] == 2  # another name


def test_without_xdist_it_is_made_in_the_run_folder_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    make, factory = Maker(), _factory(tmp_path / "run")
    assert made_once(factory, "once-x", make) == made_once(factory, "once-x", make)
    assert make.folders == [tmp_path / "run" / "once-x"]


def test_what_an_earlier_run_made_is_never_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    make = Maker()
    made_once(_factory(tmp_path / "run"), "once-x", make)
    again = made_once(_factory(tmp_path / "run"), "once-x", make)  # the same --basetemp: pytest empties it
    assert again["count"] == 2 and len(make.folders) == 2


def test_a_maker_that_failed_is_tried_again_in_an_empty_folder(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    factory = _factory(tmp_path / "run")

    def broken(folder: Path) -> None:
        (folder / "half.txt").write_text("half made")
        raise OSError("the sandbox is gone")

    with pytest.raises(OSError, match="the sandbox is gone"):
        made_once(factory, "once-x", broken)
    make = Maker()  # asserts that it gets an empty folder
    assert made_once(factory, "once-x", make)["count"] == 1
