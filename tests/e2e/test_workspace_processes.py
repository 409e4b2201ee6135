"""Two processes on one workspace, and processes killed (SIGKILL) mid-write: nothing is lost or
duplicated, imports are all or nothing, exit codes are honest, leftovers are repaired on open."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import textwrap
from pathlib import Path
from typing import Iterator

import pytest
from keyring.backends import fail

from app.model import Action
from app.store import Workspace
from tests.helpers.cli import run_cli
from tests.helpers.forks import APP, Forked, ForkServer

REPO = Path(__file__).resolve().parents[2]
ENV = dict(os.environ, PYTHONPATH=str(REPO), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL and fork-free Popen timing are POSIX here")


# What the children import, once in their warm parent (tests/helpers/forks.py).
PRELOAD = ("app.store", "app.transfer", "app.secrets", "app.cli.main", "app.cli.actions_cmd", "filelock")


@pytest.fixture(scope="module")
def forks() -> Iterator[ForkServer]:
    with ForkServer(ENV, PRELOAD) as server:
        yield server


def cli(forks: ForkServer, home: Path, *args: str) -> Forked:
    """`action-studio --home HOME ARGS` in a process of its own (what `python -m app` runs)."""
    return forks.start(APP, "--home", str(home), *args)


def child(forks: ForkServer, code: str, *args: str) -> Forked:
    """A process running `code` (dedented) with args in sys.argv[1:]."""
    return forks.start(textwrap.dedent(code), *args)


def finish(proc: Forked) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err
    assert proc.returncode is not None
    return proc.returncode, out, err


def bundle(tmp_path: Path, name: str, count: int) -> Path:
    path = tmp_path / f"{name}-bundle.json"
    path.write_text(json.dumps({"actions": [Action(name=name, description=f"#{i}").dump() for i in range(count)]}))
    return path


def ids_by_file(home: Path) -> dict[str, str]:
    return {p.stem: json.loads(p.read_text())["id"] for p in (home / "actions").glob("*.json")}


def temp_files(home: Path) -> list[Path]:
    return [p for folder in (home, home / "actions", home / "journeys") for p in folder.glob(".*.tmp")]


# -- item 12: two processes at once --------------------------------------------------------------
def test_two_parallel_imports_with_rename_lose_nothing(tmp_path: Path, forks: ForkServer) -> None:
    home = tmp_path / "ws"
    first, second = bundle(tmp_path, "dup", 30), bundle(tmp_path, "dup", 30)
    procs = [cli(forks, home, "action", "import", "--rename", str(first)),
             cli(forks, home, "action", "import", "--rename", str(second))]
    results = [finish(p) for p in procs]
    assert [code for code, _, _ in results] == [0, 0], results
    printed = [line.removeprefix("imported ") for _, out, _ in results for line in out.splitlines()]
    assert len(printed) == len(set(printed)) == 60  # each process reports names nobody else got
    on_disk = ids_by_file(home)
    assert sorted(on_disk) == sorted(printed)
    assert len(set(on_disk.values())) == 60  # no file overwritten, no id twice


def test_two_parallel_imports_without_rename_one_wins_honestly(tmp_path: Path, forks: ForkServer) -> None:
    home = tmp_path / "ws"
    path = bundle(tmp_path, "same", 1)
    many = tmp_path / "many.json"
    many.write_text(json.dumps([Action(name=f"a{i}").dump() for i in range(20)] + [Action(name="same").dump()]))
    results = [finish(p) for p in [cli(forks, home, "action", "import", str(path)),
                                   cli(forks, home, "action", "import", str(many))]]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 1], results
    loser = next(err for code, _, err in results if code == 1)
    assert loser.startswith("error: already in the workspace: same (use --rename")
    names = set(ids_by_file(home))
    assert names == {"same"} or names == {"same", *(f"a{i}" for i in range(20))}  # the loser wrote nothing


def test_read_modify_write_from_two_processes_loses_no_update(tmp_path: Path, forks: ForkServer) -> None:
    home = tmp_path / "ws"
    Workspace.open(home).save(Action(name="counter"))
    code = """
        import sys
        from pathlib import Path
        from app.store import Workspace
        ws = Workspace.open(Path(sys.argv[1]))
        for _ in range(30):
            ws.update("counter", lambda a: a.model_copy(update={"description": a.description + sys.argv[2]}))
    """
    results = [finish(p) for p in [child(forks, code, str(home), "x"), child(forks, code, str(home), "y")]]
    assert [r[0] for r in results] == [0, 0], results
    description = Workspace.open(home).load("counter").description
    assert sorted(description) == ["x"] * 30 + ["y"] * 30


def test_stamped_saves_from_two_processes_conflict_instead_of_overwriting(tmp_path: Path, forks: ForkServer) -> None:
    home = tmp_path / "ws"
    Workspace.open(home).save(Action(name="counter"))
    code = """
        import sys
        from pathlib import Path
        from app.store import ConflictError, Workspace
        ws, done, conflicts = Workspace.open(Path(sys.argv[1])), 0, 0
        while done < 30:
            action, stamp = ws.load_stamped("counter")
            try:
                ws.save(action.model_copy(update={"description": action.description + sys.argv[2]}),
                        previous_name="counter", expected=stamp)
                done += 1
            except ConflictError as exc:
                assert exc.kind == "changed", exc.kind
                conflicts += 1
        print(conflicts)
    """
    results = [finish(p) for p in [child(forks, code, str(home), "x"), child(forks, code, str(home), "y")]]
    assert [r[0] for r in results] == [0, 0], results
    assert sorted(Workspace.open(home).load("counter").description) == ["x"] * 30 + ["y"] * 30


def test_a_held_lock_makes_the_command_line_wait_then_say_so(tmp_path: Path, forks: ForkServer) -> None:
    home = tmp_path / "ws"
    Workspace.open(home)
    holder = child(forks, """
        import sys, time
        from filelock import FileLock
        with FileLock(sys.argv[1] + "/.lock"):
            print("locked", flush=True)
            time.sleep(120)
    """, str(home))
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        # The waiting command runs in process: the holder is the other process.
        done = run_cli("--home", str(home), "action", "import", str(bundle(tmp_path, "late", 2)),
                       env={"ACTION_STUDIO_LOCK_TIMEOUT": "0.3"}, keyring_backend=fail.Keyring())
    finally:
        holder.kill()
        holder.communicate()
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: the workspace {home} is busy: another Action Studio process has held its "
                                  "lock (.lock) for more than 0.3 s"), done.stderr
    assert ids_by_file(home) == {}


# -- item 13: killed mid-write ---------------------------------------------------------------------
KILL_AT = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path

    def kill_on(module, attr, nth):
        real, calls = getattr(module, attr), []
        def wrapper(*args, **kwargs):
            calls.append(1)
            if len(calls) == nth:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)
        setattr(module, attr, wrapper)
""")


def test_rename_killed_before_the_old_file_goes_is_finished_on_open(tmp_path: Path, forks: ForkServer) -> None:
    home = tmp_path / "ws"
    ws = Workspace.open(home)
    action = ws.save(Action(name="before"))
    (home / "journeys" / "j.json").write_text(json.dumps({"name": "j", "nodes": [{"action": "before"}]}))
    proc = child(forks, KILL_AT + textwrap.dedent("""
        from app.store import Workspace
        ws = Workspace.open(Path(sys.argv[1]))
        action = ws.load("before")
        kill_on(Path, "unlink", 1)  # the old file's removal
        ws.save(action.model_copy(update={"name": "after"}), previous_name="before")
    """), str(home))
    assert finish(proc)[0] == -signal.SIGKILL
    reopened = Workspace.open(home)
    reopened.save(Action(name="other"))  # the next write (under the lock) finishes the rename first
    assert ids_by_file(home) == {"after": action.id, "other": ids_by_file(home)["other"]}
    assert reopened.used_in() == {"after": ["j"]}
    assert any("rename of before to after was completed" in p for p in reopened.problems)


def test_rename_killed_before_the_new_file_is_written_keeps_the_old_one(tmp_path: Path, forks: ForkServer) -> None:
    home = tmp_path / "ws"
    action = Workspace.open(home).save(Action(name="before"))
    proc = child(forks, KILL_AT + textwrap.dedent("""
        from app import atomic
        from app.store import Workspace
        ws = Workspace.open(Path(sys.argv[1]))
        action = ws.load("before")
        kill_on(os, "replace", 2)  # 1: the journal, 2: the new file
        ws.save(action.model_copy(update={"name": "after"}), previous_name="before")
    """), str(home))
    assert finish(proc)[0] == -signal.SIGKILL
    assert temp_files(home)  # the new file's temp file was left behind
    reopened = Workspace.open(home)  # opening repairs (a later locked write would too)
    assert ids_by_file(home) == {"before": action.id}
    assert temp_files(home) == [] and not (home / ".journal.json").exists()
    assert any("rename of before to after was undone" in p for p in reopened.problems), reopened.problems


def test_import_killed_midway_leaves_nothing(tmp_path: Path, forks: ForkServer) -> None:
    home = tmp_path / "ws"
    Workspace.open(home).save(Action(name="mine"))
    path = bundle(tmp_path, "imp", 10)
    proc = child(forks, KILL_AT + textwrap.dedent("""
        from app import atomic
        from app.cli.main import main
        kill_on(atomic, "write_json", 5)  # the journal, then 3 of the 10 files, then killed
        main(["--home", sys.argv[1], "action", "import", "--rename", sys.argv[2]])
    """), str(home), str(path))
    assert finish(proc)[0] == -signal.SIGKILL
    assert len(ids_by_file(home)) == 4  # killed with 3 of 10 written
    listing = run_cli("--home", str(home), "action", "list", keyring_backend=fail.Keyring())  # the next command
    assert listing.returncode == 0
    assert "an interrupted import was undone" in listing.stderr and "imp, imp_2, imp_3" in listing.stderr
    assert listing.stdout.split()[0] == "mine" and "imp" not in listing.stdout
    assert list(ids_by_file(home)) == ["mine"]


def test_temp_files_of_killed_writers_are_removed_on_open(tmp_path: Path, forks: ForkServer) -> None:
    home = tmp_path / "ws"
    Workspace.open(home).save(Action(name="a"))
    proc = child(forks, KILL_AT + textwrap.dedent("""
        from app.store import Workspace
        from app.model import Action
        ws = Workspace.open(Path(sys.argv[1]))
        kill_on(os, "replace", 1)
        ws.save(Action(name="b"))
    """), str(home))
    assert finish(proc)[0] == -signal.SIGKILL
    left = temp_files(home)
    assert len(left) == 1 and str(proc.pid) in left[0].name
    # a write in progress in a live process (this one) is not touched
    mine = home / "actions" / f".c.json.{os.getpid()}.x1y2.tmp"
    mine.write_text("{}")
    Workspace.open(home)
    assert temp_files(home) == [mine]
    assert sorted(ids_by_file(home)) == ["a"]


def test_random_kills_never_duplicate_or_half_import(tmp_path: Path, forks: ForkServer) -> None:
    """A writer renaming and importing in a loop, killed at random points a few times."""
    home = tmp_path / "ws"
    action = Workspace.open(home).save(Action(name="r0"))
    (home / "journeys" / "j.json").write_text(json.dumps({"name": "j", "nodes": [{"action": "r0"}]}))
    path = bundle(tmp_path, "batch", 5)
    code = """
        import sys
        from pathlib import Path
        from app.store import Workspace
        from app.transfer import import_items, read_bundle
        from app.secrets import MemoryBackend, SecretStore
        ws = Workspace.open(Path(sys.argv[1]))
        items = read_bundle(Path(sys.argv[2]).read_text())
        print("ready", flush=True)
        while True:
            current = ws.find_name("r0") or ws.find_name("r1")
            action = ws.load(current)
            ws.save(action.model_copy(update={"name": "r1" if current == "r0" else "r0"}), previous_name=current)
            import_items(ws, SecretStore(MemoryBackend()), items, rename=True)
    """
    rng = random.Random(9)
    for _ in range(4):
        proc = child(forks, code, str(home), str(path))
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        try:
            proc.wait(timeout=rng.uniform(0.05, 0.6))
        except subprocess.TimeoutExpired:
            proc.kill()
        proc.communicate()
        assert proc.returncode == -signal.SIGKILL
        ws = Workspace.open(home)
        ws.names()
        with ws.locked():  # what the next writer does first: repair
            pass
        files = ids_by_file(home)
        assert list(files.values()).count(action.id) == 1, files  # never two files for one action
        current = next(n for n, i in files.items() if i == action.id)
        assert ws.used_in() == {current: ["j"]}
        imported = [n for n in files if n.startswith("batch")]
        assert len(imported) % 5 == 0, imported  # whole imports only
        assert temp_files(home) == [] and not (home / ".journal.json").exists()


def test_import_refused_by_the_keyring_on_the_second_action_writes_nothing(tmp_path: Path, forks: ForkServer) -> None:
    home = tmp_path / "ws"
    path = tmp_path / "two.json"
    path.write_text(json.dumps([{"name": "plain"}, {"name": "secret", "auth": {"type": "basic", "username": "u",
                                                                                 "password": "hunter2"}}]))
    code, out, err = finish(cli(forks, home, "action", "import", str(path)))
    assert code == 1 and out == ""
    assert err.startswith("error: no OS keyring is available") and err.rstrip().endswith("; nothing was imported")
    assert ids_by_file(home) == {}
