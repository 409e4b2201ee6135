"""The wheel a user installs: built from a copy of the sources, installed into a new virtual
environment, then run from there as a user would (no PYTHONPATH, outside the repository), so a
resource missing from the wheel or an entry point that does not start fails here.

The new environment borrows the dependencies of this one (a .pth line: CI has them already), the
project itself comes only from the wheel (`pip install --no-deps`).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from importlib.metadata import version
from pathlib import Path

from tools.smoke import run, smoke

REPO = Path(__file__).resolve().parent.parent.parent
SOURCES = ("app", "ui", "resources", "pyproject.toml", "README.md")


def _backend_here() -> bool:
    """Whether this environment can build the wheel offline (setuptools 70.1 has bdist_wheel built in)."""
    from packaging.version import Version

    return Version(version("setuptools")) >= Version("70.1")


def build_wheel(out: Path) -> Path:
    src = out / "src"
    for name in SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".index.json"))
        else:
            src.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, src / name)
    # Offline with this environment's backend when it can (make test installs it): its PEP 517 hook
    # called in one process, as a frontend's backend process calls it (`python -m build` starts two:
    # itself and that one, ~0.3 s of CPU more). Else the frontend's isolated build, which fetches the
    # backend once.
    dist = out / "dist"
    if _backend_here():
        hook = "import sys, setuptools.build_meta as backend; backend.build_wheel(sys.argv[1])"
        argv = [sys.executable, "-c", hook, str(dist)]
    else:
        argv = [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(src)]
    done = subprocess.run(argv, capture_output=True, text=True, cwd=src)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (wheel,) = dist.glob("action_studio-*.whl")
    return wheel


def make_venv(root: Path, wheel: Path) -> Path:
    """A new environment (made here: `python -m venv` would be a process more), the wheel installed
    into it by pip running in it."""
    venv.EnvBuilder(symlinks=os.name != "nt").create(root)
    bin_ = root / ("Scripts" if os.name == "nt" else "bin")
    purelib = sysconfig.get_path("purelib", "venv", vars={"base": str(root), "platbase": str(root)})
    # The dependencies from this environment, after the new one's own site-packages (a .pth line
    # is appended to sys.path; .pth files in that folder, the editable install of the repo's
    # sources among them, are not run). pip among them: it runs in the new environment, so it
    # installs there and its scripts start the new environment's Python (`pip --python` would start
    # pip twice: here, then there). --ignore-installed: that folder's editable install of this
    # project is not the wheel, and is left alone.
    Path(purelib, "dev-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    # Without PYTHONPATH: a checkout on it (as when running one test by hand) is not what pip installs.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run([str(bin_ / "python"), "-m", "pip", "--disable-pip-version-check", "install", "--quiet",
                    "--no-deps", "--no-index", "--no-compile", "--ignore-installed", str(wheel)], check=True, env=env)
    return bin_


def test_the_wheel_installs_and_runs_outside_the_repository(tmp_path: Path) -> None:
    """One test, so that under pytest-xdist the wheel is built once."""
    wheel = build_wheel(tmp_path / "build")
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {p.relative_to(REPO).as_posix() for base in ("resources", "app", "ui") for p in (REPO / base).rglob("*")
              if p.is_file() and "__pycache__" not in p.parts and p.name != ".index.json"}
    assert sorted(wanted - names) == []

    bin_ = make_venv(tmp_path / "venv", wheel)
    where = run([str(bin_ / "python"), "-c", "import app, ui, resources; print(app.__file__, ui.__file__)"], tmp_path)
    assert all(Path(p).is_relative_to(bin_.parent) for p in where.split()), where  # not the repository's copy

    out = smoke([str(bin_ / "action-studio")], tmp_path / "smoke", gui=[str(bin_ / "action-studio-gui")])

    from app.version import __version__

    assert out["version"].strip() == f"action-studio {__version__}"
    entry = tmp_path / "smoke" / "data" / "applications" / "action-studio.desktop"
    assert f"Exec={bin_ / 'action-studio-gui'}" in entry.read_text("utf-8").splitlines()
