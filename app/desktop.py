"""The Linux desktop entry and application icon, installed for the user under $XDG_DATA_HOME.

Freedesktop conventions: the entry in `applications/`, the icon in the `hicolor` theme (SVG under
`scalable/apps`, PNGs under `NxN/apps`), both named `action-studio` (the name Qt's
`setDesktopFileName` gives the window, so the launcher groups it under this entry). Only the files
this module installs are ever removed.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from app import atomic
from app.paths import resource

ICON_NAME = "action-studio"
ENTRY_NAME = f"{ICON_NAME}.desktop"
ICON_DIR = resource("icons", "app")
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Characters that make an Exec argument need quoting, per the Desktop Entry specification.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def data_home() -> Path:
    """$XDG_DATA_HOME when set to an absolute path (the specification ignores a relative one), else ~/.local/share."""
    env = os.environ.get("XDG_DATA_HOME", "")
    return Path(env) if env and os.path.isabs(env) else Path.home() / ".local" / "share"


def installed_files(base: Path) -> list[Path]:
    """Where install puts each file, entry first."""
    icons = base / "icons" / "hicolor"
    return [base / "applications" / ENTRY_NAME, icons / "scalable" / "apps" / f"{ICON_NAME}.svg",
            *(icons / f"{n}x{n}" / "apps" / f"{ICON_NAME}.png" for n in PNG_SIZES)]


def launcher() -> list[str]:
    """The command that opens the window from this installation: the bundle's own program, the
    `action-studio-gui` launcher installed beside this Python, else this Python running the app."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "gui"]
    script = Path(sys.executable).parent / ("action-studio-gui.exe" if os.name == "nt" else "action-studio-gui")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "app", "gui"]


def quote_exec(argv: list[str]) -> str:
    """An Exec= value: arguments with reserved characters double-quoted, `"`, `` ` ``, `$` and `\\`
    escaped inside the quotes, `%` doubled (a field code otherwise)."""
    parts = []
    for arg in argv:
        arg = arg.replace("%", "%%")
        if any(c in _RESERVED for c in arg):
            arg = '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
        parts.append(arg)
    # The value is a string of the .desktop format, where a backslash escapes once more.
    return " ".join(parts).replace("\\", "\\\\")


def entry_text(command: list[str]) -> str:
    """The shipped entry with Exec (and TryExec) pointing at this installation."""
    lines = []
    for line in resource("desktop", ENTRY_NAME).read_text("utf-8").splitlines():
        if line.startswith("Exec="):
            lines.append(f"TryExec={command[0]}" if Path(command[0]).is_absolute() else "")
            line = f"Exec={quote_exec(command)}"
        if line:
            lines.append(line)
    return "\n".join(lines) + "\n"


def install(base: Path | None = None) -> list[Path]:
    """Install the entry and the icons for the current user; returns the files written."""
    base = base or data_home()
    entry, svg, *pngs = installed_files(base)
    atomic.write_bytes(entry, entry_text(launcher()).encode("utf-8"))
    for target, source in [(svg, ICON_DIR / f"{ICON_NAME}.svg"),
                           *((p, ICON_DIR / f"{ICON_NAME}-{n}.png") for p, n in zip(pngs, PNG_SIZES, strict=True))]:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    _touch_theme(base)
    return [entry, svg, *pngs]


def uninstall(base: Path | None = None) -> list[Path]:
    """Remove what install put there (and nothing else); returns the files removed."""
    base = base or data_home()
    removed = []
    for path in installed_files(base):
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            pass
    _touch_theme(base)
    return removed


def _touch_theme(base: Path) -> None:
    """Icon themes are cached by their folder's time: a newer one makes launchers look again."""
    theme = base / "icons" / "hicolor"
    if theme.is_dir():
        os.utime(theme)
