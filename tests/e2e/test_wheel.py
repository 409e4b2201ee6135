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
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Iterator, Optional, Sequence

from app.journeys import zygote
from tests.helpers.forks import ForkServer
from tools.smoke import Runner, checked, clean_env, run, smoke

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


# What the smoke's commands import, for their warm parent: the command line, the sample, the sandbox and a
# journey run (the zygote's lists: what a run needs), the OpenAPI import. Each command imports whatever else
# it needs itself, from the same environment.
COMMANDS_IMPORT = ("app.cli.main", "app.cli.calling", "app.cli.send_cmd", "app.cli.journey_cmd", "app.cli.journey_run",
                   "app.cli.journey_expect", "app.cli.interop_cmd", "app.cli.actions_cmd", "app.cli.desktop_cmd",
                   "app.sample", "app.interop.openapi", *zygote.PRELOAD, *zygote.RUN_IMPORTS)
WHERE = "import app, ui, resources; print(app.__file__, ui.__file__, resources.__file__)"


def installed(where: str, venv: Path) -> bool:
    return all(Path(p).is_relative_to(venv) for p in where.split())


@contextmanager
def warm_commands(bin_: Path, root: Path) -> Iterator[Runner]:
    """The `action-studio` entry point's commands, each in a fork of one Python of the new environment that
    imported what they import (started outside the repository, without PYTHONPATH), running the script pip
    wrote: a fresh Python a command paid its start and its imports again (~0.5 s of CPU over the smoke's five)."""
    script = bin_ / "action-studio"
    code = f"import sys\nsys.argv[0] = {str(script)!r}\n{script.read_text('utf-8')}"
    root.mkdir(parents=True, exist_ok=True)
    with ForkServer(clean_env(root), COMMANDS_IMPORT, python=str(bin_ / "python"), cwd=str(root)) as forks:
        where = forks.start(WHERE, cwd=str(root))
        out, err = where.communicate()
        assert where.returncode == 0 and installed(out, bin_.parent), out + err  # the forks' app is the wheel's

        def command(argv: Sequence[str], at: Path, stdin: str = "", extra: Optional[dict[str, str]] = None) -> str:
            assert argv[0] == str(script), argv
            proc = forks.start(code, *argv[1:], stdin=True, env={**clean_env(at), **(extra or {})}, cwd=str(at))
            assert proc.stdin is not None
            proc.stdin.write(stdin)
            out, err = proc.communicate()
            return checked(argv, proc.returncode, out, err)
        yield command


def test_the_wheel_installs_and_runs_outside_the_repository(tmp_path: Path) -> None:
    """One test, so that under pytest-xdist the wheel is built once."""
    wheel = build_wheel(tmp_path / "build")
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {p.relative_to(REPO).as_posix() for base in ("resources", "app", "ui") for p in (REPO / base).rglob("*")
              if p.is_file() and "__pycache__" not in p.parts and p.name != ".index.json"}
    assert sorted(wanted - names) == []

    bin_ = make_venv(tmp_path / "venv", wheel)
    where = run([str(bin_ / "python"), "-c", WHERE], tmp_path)
    assert installed(where, bin_.parent), where  # not the repository's copy

    with warm_commands(bin_, tmp_path / "smoke") as commands:
        out = smoke([str(bin_ / "action-studio")], tmp_path / "smoke", gui=[str(bin_ / "action-studio-gui")],
                    commands=commands)

    from app.version import __version__

    assert out["version"].strip() == f"action-studio {__version__}"
    entry = tmp_path / "smoke" / "data" / "applications" / "action-studio.desktop"
    assert f"Exec={bin_ / 'action-studio-gui'}" in entry.read_text("utf-8").splitlines()
