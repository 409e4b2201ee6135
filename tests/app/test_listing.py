"""The list's rows read without the models (app.listing): what the window paints first."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from app import recovery
from app.listing import INDEX, quick_list
from app.model import Action
from app.store import Workspace

REPO = Path(__file__).resolve().parents[2]


def _write(home: Path, name: str, data: dict[str, object]) -> None:
    (home / "actions" / f"{name}.json").write_text(json.dumps(data, indent=2), "utf-8")


def test_quick_rows_are_the_checked_rows_of_valid_actions(sample_home: Path, tmp_path: Path) -> None:
    base = Action(name="variants").dump()
    _write(sample_home, "lowerMethod", {**base, "name": "lowerMethod", "endpoint": {"url": "https://x", "method": "put"}})
    _write(sample_home, "naiveTime", {**base, "name": "naiveTime", "modified": "2026-01-02T03:04:05"})
    _write(sample_home, "zuluTime", {**base, "name": "zuluTime", "modified": "2026-01-02T03:04:05Z"})
    bare = {k: v for k, v in base.items() if k not in ("description", "endpoint", "auth")}
    _write(sample_home, "defaults", {**bare, "name": "defaults"})
    twin = tmp_path / "twin"
    twin.mkdir()
    os.rename(sample_home, twin / "ws")  # the same files, no index: one read quickly, one checked
    quick = quick_list(twin / "ws")
    (twin / "ws" / INDEX).unlink()
    assert quick == Workspace.open(twin / "ws").summaries()
    assert quick is not None and len(quick) == 7


def test_a_broken_action_listed_quickly_is_set_aside_by_the_checked_read(sample_home: Path) -> None:
    _write(sample_home, "tooSlow", {**Action(name="tooSlow").dump(), "timeoutSeconds": 99})
    quick = quick_list(sample_home)
    assert quick is not None and "tooSlow" in [s.name for s in quick]  # it looks like an action
    ws = Workspace.open(sample_home)  # the store trusts no unchecked entry of the index
    assert "tooSlow" not in ws.names()
    assert any("tooSlow.json" in p and "timeout" in p for p in ws.problems)
    assert not (sample_home / "actions" / "tooSlow.json").exists()
    assert list((sample_home / "broken").glob("tooSlow.json.*"))
    entries = json.loads((sample_home / INDEX).read_text("utf-8"))["entries"]
    assert all(len(entry) == 2 for entry in entries.values())  # every entry now checked


def test_what_is_not_plainly_an_action_is_left_to_the_checked_read(sample_home: Path) -> None:
    (sample_home / "actions" / "garbage.json").write_text("{not json", "utf-8")
    _write(sample_home, "noName", {"description": "no name"})
    quick = quick_list(sample_home)
    assert quick is not None and [s.name for s in quick] == [s.name for s in Workspace.open(sample_home).summaries()]
    assert not (sample_home / "actions" / "garbage.json").exists()  # set aside by the checked read


def test_no_quick_rows_before_the_workspace_exists_or_while_a_repair_is_pending(tmp_path: Path,
                                                                               sample_home: Path) -> None:
    assert quick_list(tmp_path / "none") is None
    assert quick_list(sample_home) is not None
    (sample_home / recovery.JOURNAL).write_text("{}", "utf-8")  # a rename killed midway
    assert quick_list(sample_home) is None  # the window opens the workspace (which repairs) first


def test_the_window_and_its_first_rows_import_neither_pydantic_nor_the_keyring(sample_home: Path) -> None:
    """The window lists the workspace before the models: importing them costs more than a bare
    Qt window's whole start (issue 14)."""
    code = textwrap.dedent("""
        import sys
        from pathlib import Path
        from app.cli.main import build_parser
        from app.secrets import session_only_chosen
        import ui.app, ui.mainwindow
        from ui.actionlist.ops import quick_rows
        build_parser(["app.cli.gui_cmd"]).parse_args([])
        session_only_chosen()  # what the command line asks before it opens the window
        rows = quick_rows(Path(sys.argv[1]))
        heavy = sorted(m for m in ("pydantic", "keyring", "httpx", "app.model") if m in sys.modules)
        print(len(rows), heavy)
    """)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code, str(sample_home)], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split(maxsplit=1) == ["3", "[]\n"]


def test_a_second_quick_read_follows_files_added_removed_and_renamed(sample_home: Path) -> None:
    # An old stamp: the changes below then give the folder another one, however coarse the clock.
    os.utime(sample_home / "actions", ns=(10**18, 10**18))
    first = quick_list(sample_home)  # writes the index and the folder's stamp
    assert first is not None and quick_list(sample_home) == first  # nothing changed: the index alone
    _write(sample_home, "added", Action(name="added").dump())
    (sample_home / "actions" / "notifyWebhook.json").unlink()
    os.rename(sample_home / "actions" / "airshipCustomEvent.json", sample_home / "actions" / "renamed.json")
    second = quick_list(sample_home)
    assert second is not None
    assert [s.name for s in second] == [s.name for s in Workspace.open(sample_home).summaries()]
