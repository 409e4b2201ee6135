"""app/ is the domain: it never imports Qt nor ui/ (but for the one documented entry point that opens
the window), and starting the CLI does not load Qt either."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6")
# The one place app/ reaches ui/: `action-studio gui` opens the window (app/cli/gui_cmd.py, `run`).
GUI_ENTRY = ("app/cli/gui_cmd.py", "run")


def imports_of(source: str) -> list[tuple[str, int, str]]:
    """(module, line, enclosing function) of every import in a source, static or by name
    (importlib.import_module / __import__ with a literal)."""
    found: list[tuple[str, int, str]] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, ast.Import):
                found.extend((a.name, child.lineno, function) for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                found.append((child.module, child.lineno, function))
            elif isinstance(child, ast.Call) and _dynamic_import(child):
                found.append((child.args[0].value, child.lineno, function))  # type: ignore[attr-defined]
            visit(child, inner)

    visit(ast.parse(source), "")
    return found


def _dynamic_import(call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return (name in ("import_module", "__import__") and bool(call.args)
            and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str))


def _top(module: str) -> str:
    return module.split(".")[0]


def _offenders(top_levels: tuple[str, ...], allowed: tuple[str, str] | None = None) -> list[str]:
    offenders = []
    for path in sorted(APP.rglob("*.py")):
        where = path.relative_to(APP.parent).as_posix()
        for module, line, function in imports_of(path.read_text("utf-8")):
            if _top(module) in top_levels and (where, function) != allowed:
                offenders.append(f"{where}:{line} imports {module}")
    return offenders


def test_app_sources_never_import_qt() -> None:
    assert _offenders(QT) == []


def test_app_reaches_ui_only_through_the_gui_command() -> None:
    assert _offenders(("ui",), allowed=GUI_ENTRY) == []
    entry = [(m, f) for m, _, f in imports_of((APP.parent / GUI_ENTRY[0]).read_text("utf-8")) if _top(m) == "ui"]
    assert entry == [("ui.app", "run")]  # lazy: inside the command, never at module level


@pytest.mark.parametrize("source", [
    "import ui", "import ui.app as window", "from ui.app import run_gui", "from ui import icons",
    "def f():\n    from ui.pane import pane", "import importlib\nimportlib.import_module('ui.app')",
    "from importlib import import_module\nimport_module('ui')", "__import__('ui.mainwindow')",
])
def test_the_import_scan_sees_every_way_of_reaching_ui(source: str) -> None:
    assert [_top(m) for m, _, _ in imports_of(source)][-1] == "ui"


def test_the_import_scan_ignores_names_that_only_look_alike() -> None:
    source = "import uuid\nfrom app.ui_text import x\nfrom . import ui\nimportlib.import_module(name)"
    assert [m for m, _, _ in imports_of(source) if _top(m) == "ui"] == []


def test_cli_commands_do_not_load_qt() -> None:
    code = ("import sys; from app.cli.main import main; main(['check-name', 'ok']); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'ui')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("[]")
