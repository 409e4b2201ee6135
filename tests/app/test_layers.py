"""The layers: app/ is the domain, it never imports Qt, and it reaches ui/ at one documented place only
(app/cli/gui_cmd.py's `open_window`, the `gui` command); starting the CLI does not load Qt either."""
from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.once import made_once

APP = Path(__file__).resolve().parents[2] / "app"
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6")
# (module, function): the lazy entry point into the window, and the only one.
UI_ENTRY = {("app/cli/gui_cmd.py", "open_window")}


def imports(source: str, path: str, roots: tuple[str, ...]) -> list[tuple[str, str, int]]:
    """(path, enclosing function or "<module>", line) of every import of a module under `roots`:
    import statements, and importlib.import_module / __import__ with a literal name."""
    # Any such import names its root as a whole word: a source that never does is not parsed (two
    # files of app/ name ui or Qt at all; parsing all of app/ was most of this module's CPU).
    words = "|".join(map(re.escape, roots))
    if not re.search(rf"\b(?:{words})\b", source):
        return []
    found = []

    def visit(node: ast.AST, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            names: list[str] = []
            if isinstance(child, ast.Import):
                names = [a.name for a in child.names]
            elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
                names = [child.module]
            elif isinstance(child, ast.Call) and child.args and isinstance(child.args[0], ast.Constant) \
                    and isinstance(child.args[0].value, str) and _is_import_call(child.func):
                names = [child.args[0].value]
            if any(n.split(".")[0] in roots for n in names):
                found.append((path, where, child.lineno))
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else where
            visit(child, inner)

    visit(ast.parse(source), "<module>")
    return found


def _is_import_call(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id == "__import__") or \
        (isinstance(func, ast.Attribute) and func.attr == "import_module")


def app_imports(roots: tuple[str, ...]) -> list[tuple[str, str, int]]:
    found = []
    for path in sorted(APP.rglob("*.py")):
        found += imports(path.read_text("utf-8"), path.relative_to(APP.parent).as_posix(), roots)
    return found


def test_app_sources_never_import_qt() -> None:
    assert app_imports(QT) == []


def test_app_reaches_ui_only_through_the_gui_entry_point() -> None:
    found = app_imports(("ui",))
    assert {(path, where) for path, where, _ in found} == UI_ENTRY, found


def test_the_check_sees_every_way_of_importing() -> None:
    source = '''
import ui.app
from ui import message
import importlib

def later():
    from ui.app import run_gui
    importlib.import_module("ui.mainwindow")
    __import__("PySide6.QtCore")

class Holder:
    def method(self):
        import PySide6
from . import sibling
from app import uitools
import uvicorn
'''
    assert imports(source, "m.py", ("ui",)) == [("m.py", "<module>", 2), ("m.py", "<module>", 3),
                                                 ("m.py", "later", 7), ("m.py", "later", 8)]
    assert imports(source, "m.py", QT) == [("m.py", "later", 9), ("m.py", "method", 13)]


# One new Python answers both tests below, each reading what it saw at its own step: first the command line
# started for `check-name` (nothing else done yet), then a dry journey run by the command line and in the
# window's run process. (A second new Python only started again what the first had: ~0.2 s of CPU.) A step
# can only add modules for the next one to see, so the order makes neither check weaker.
FRESH_PROCESS = textwrap.dedent("""
    import io, json, sys, threading
    from app.cli.main import COMMAND_MODULES, main
    main(["check-name", "ok"])
    print(json.dumps({"qt": sorted(m for m in sys.modules if m == "ui" or m.startswith(("PySide6", "ui."))),
                      "commands": sorted(m for m in COMMAND_MODULES if m in sys.modules)}), flush=True)
    from app.journeys.childrun import ChildSpec, run_child
    from app.journeys.files import load_journey
    home = sys.argv[1]
    journey = load_journey(home, "sampleJourney")
    dry = [f"{n.id}=dry" for n in journey.action_nodes()]
    heavy = lambda: sorted(m for m in ("aiohttp", "app.journeys.replayrun", "app.journeys.exports") if m in sys.modules)
    code = main(["--home", home, "--session-secrets", "journey", "run", "sampleJourney", "--profiles",
                 home + "/profiles/purchases.csv", *(w for d in dry for w in ("--target", d))])
    seen = {"cli_run": [code, heavy()]}
    spec = ChildSpec(home, journey.dump(), home + "/profiles/purchases.csv", seed=1,
                     targets=dict(d.split("=") for d in dry))
    out = io.StringIO()
    code = run_child(spec, out, threading.Event())
    seen["child_run"] = [code, '"result"' in out.getvalue(), heavy()]
    print(json.dumps(seen))
""")


@pytest.fixture
def fresh_process(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What the new Python of FRESH_PROCESS saw at each step (the JSON line each printed) and how it ended,
    made once for the test run (tests/helpers/once.py): a test whose step was not reached fails on its own."""
    def make(folder: Path) -> dict[str, Any]:
        home = shutil.copytree(APP.parent / "resources" / "sample_workspace", folder / "sample",
                               ignore=shutil.ignore_patterns("sample-secrets.json", ".index.json"))
        done = subprocess.run([sys.executable, "-c", FRESH_PROCESS, str(home)], capture_output=True, text=True,
                              timeout=120, env={**os.environ, "PYTHONPATH": str(APP.parent)})
        seen: dict[str, Any] = {"returncode": done.returncode, "stderr": done.stderr}
        for line in done.stdout.splitlines():
            if line.startswith("{"):
                seen.update(json.loads(line))
        return seen
    return made_once(tmp_path_factory, "once-layers-fresh-process", make)


def test_cli_commands_do_not_load_qt_nor_the_other_commands(fresh_process: dict[str, Any]) -> None:
    assert "qt" in fresh_process, fresh_process["stderr"]
    assert fresh_process["qt"] == []
    # check-name's module only: not send's httpx, sandbox's uvicorn...
    assert fresh_process["commands"] == ["app.cli.actions_cmd"]


def test_each_command_is_parsed_by_its_own_module_and_every_one_is_listed() -> None:
    from app.cli.main import COMMAND_MODULES, COMMANDS, build_parser, modules_for

    def names(parser: argparse.ArgumentParser) -> set[str]:
        (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        return set(sub.choices)

    assert names(build_parser(COMMAND_MODULES)) == set(COMMANDS)  # a new command is listed in COMMANDS
    for name, module in COMMANDS.items():
        assert name in names(build_parser([module])), name
    assert modules_for(["--home", "send", "send", "x"]) == ["app.cli.send_cmd"]  # a workspace named "send"
    assert modules_for(["--json", "journey", "run"]) == ["app.cli.journey_cmd"]
    assert modules_for([]) == modules_for(["--home", "h"]) == ["app.cli.gui_cmd"]  # the window
    assert modules_for(["--help"]) == modules_for(["bogus"]) == COMMAND_MODULES  # the help lists them all


def test_a_journey_run_with_nothing_to_send_loads_no_http_client_nor_the_replay(fresh_process: dict[str, Any]) -> None:
    """A dry run, in the window's run process (app.journeys.childrun) and by the command line:
    aiohttp (~150 ms of CPU at import) and a replay's modules load only when a run needs them, the
    exporters (~100 ms) only when a run is exported."""
    assert fresh_process["returncode"] == 0, fresh_process["stderr"]
    assert fresh_process["cli_run"] == [0, []]
    assert fresh_process["child_run"] == [0, True, []]
