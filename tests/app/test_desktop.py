"""The desktop entry and icon installed for the user under $XDG_DATA_HOME (a temp folder here)."""
from __future__ import annotations

import configparser
import os
import struct
from pathlib import Path

from app.desktop import PNG_SIZES, entry_text, quote_exec
from app.version import __version__
from tests.helpers.cli import run_cli


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(path.read_text("utf-8"))
    return parser["Desktop Entry"]


def test_install_desktop_puts_the_entry_and_icons_where_freedesktop_says() -> None:
    data = Path(os.environ["XDG_DATA_HOME"])
    other = data / "applications" / "someone-else.desktop"
    other.parent.mkdir(parents=True)
    other.write_text("[Desktop Entry]\nName=Other\n", "utf-8")

    done = run_cli("install-desktop")
    assert done.returncode == 0, done.stderr
    entry = _entry(data / "applications" / "action-studio.desktop")
    assert entry["Type"] == "Application" and entry["Name"] == "Action Studio"
    assert entry["Icon"] == "action-studio" and entry["Terminal"] == "false"
    assert Path(entry["TryExec"]).is_absolute() and entry["Exec"].split()[0] == entry["TryExec"]
    assert entry["Categories"].endswith(";")
    theme = data / "icons" / "hicolor"
    assert (theme / "scalable" / "apps" / "action-studio.svg").read_text("utf-8").startswith("<svg")
    for n in PNG_SIZES:
        assert _png_size(theme / f"{n}x{n}" / "apps" / "action-studio.png") == (n, n)

    done = run_cli("--json", "uninstall-desktop")
    assert done.returncode == 0 and '"removed"' in done.stdout
    assert not (data / "applications" / "action-studio.desktop").exists()
    assert list(theme.rglob("*.png")) == [] and list(theme.rglob("*.svg")) == []
    assert other.exists()  # only what install-desktop put there is removed
    assert "nothing to remove" in run_cli("uninstall-desktop").stdout


def test_an_exec_path_with_spaces_and_specials_is_quoted_per_the_specification() -> None:
    assert quote_exec(["/opt/as/bin/action-studio-gui"]) == "/opt/as/bin/action-studio-gui"
    assert quote_exec(["/opt/a b/bin/gui", "gui"]) == '"/opt/a b/bin/gui" gui'
    # `$` escaped inside the quotes, then every backslash doubled by the string escape rule; % doubled.
    assert quote_exec(["/x/$y 100%"]) == '"/x/\\\\$y 100%%"'
    text = entry_text(["/opt/a b/bin/gui"])
    assert 'Exec="/opt/a b/bin/gui"' in text.splitlines() and "TryExec=/opt/a b/bin/gui" in text


def test_version() -> None:
    done = run_cli("--version")
    assert (done.returncode, done.stdout.strip()) == (0, f"action-studio {__version__}")
