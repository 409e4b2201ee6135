"""The real entry point in a real X window (Xvfb, the xcb platform), not the offscreen one."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.xvfb
@pytest.mark.skipif(not shutil.which("xvfb-run"), reason="needs xvfb-run (make test installs it)")
def test_app_opens_its_window_on_a_real_display(sample_home: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env.update(PYTHONPATH=str(REPO), ACTION_STUDIO_EXIT_AFTER_SHOW="1", ACTION_STUDIO_SETTINGS=str(tmp_path / "s.ini"),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    done = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1400x900x24", sys.executable, "-m", "app",
                           "--home", str(sample_home)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ACTION_STUDIO_READY" in done.stdout
    assert "Traceback" not in done.stderr
