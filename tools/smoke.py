"""Run an installed Action Studio as a user would: `--version`, `sample`, a sandbox send, the
desktop entry and the window offscreen. Shared by the wheel test (tests/e2e/test_wheel.py) and
`make bundle-check` (`python -m tools.smoke PROGRAM`).

Every run gets a clean environment: no PYTHONPATH (the repository's sources must not be what
runs), the working folder and every user folder (XDG, settings, logs) in a temporary folder.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional, Protocol, Sequence

SEND_VALUES = '{"customerId": "c-9"}'
OPENAPI = {"openapi": "3.1.0", "info": {"title": "Smoke", "version": "1"},
           "servers": [{"url": "https://api.example.com"}],
           "paths": {"/events": {"post": {"operationId": "sendEvent", "requestBody": {"content": {
               "application/json": {"schema": {"type": "object", "required": ["name"],
                                               "properties": {"name": {"type": "string"}}}}}},
               "responses": {"200": {"description": "ok"}}}}}}


def clean_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "ACTION_STUDIO", "XDG_", "QT_"))}
    for name in ("DATA", "CONFIG", "CACHE", "STATE"):
        env[f"XDG_{name}_HOME"] = str(root / name.lower())
    env.update(QT_QPA_PLATFORM="offscreen", ACTION_STUDIO_SECRETS="session", PYTHONNOUSERSITE="1",
               ACTION_STUDIO_SETTINGS=str(root / "window.ini"), HOME=str(root / "home"))
    return env


def run(argv: Sequence[str], root: Path, stdin: str = "", extra: Optional[dict[str, str]] = None,
        timeout: float = 120) -> str:
    """One command; its standard output, or AssertionError with both outputs when it fails."""
    env = {**clean_env(root), **(extra or {})}
    done = subprocess.run(list(argv), input=stdin, capture_output=True, text=True, env=env, cwd=root,
                          timeout=timeout)
    return checked(argv, done.returncode, done.stdout, done.stderr)


def checked(argv: Sequence[str], code: Optional[int], out: str, err: str) -> str:
    """`out`, or AssertionError with both outputs when the command exited with another code than 0."""
    if code != 0:
        raise AssertionError(f"{' '.join(argv)} exited {code}\n{out}\n{err}")
    return out


class Runner(Protocol):
    """How a command of the program is run: `run` (a process of its own) or one of the same effect."""

    def __call__(self, argv: Sequence[str], root: Path, stdin: str = "",
                 extra: Optional[dict[str, str]] = None) -> str: ...


def smoke(program: Sequence[str], root: Path, gui: Optional[Sequence[str]] = None,
          commands: Runner = run) -> dict[str, str]:
    """Every check on `program` (the `action-studio` command as an argv prefix); what each printed.
    `gui` opens the window (default: `program gui`). `--version` and the window are processes of their
    own; the commands between (sample, send, journey, import, desktop entry) go through `commands`
    (the wheel test runs them in forks of one warm Python of the installed environment)."""
    root.mkdir(parents=True, exist_ok=True)
    home = str(root / "workspace")
    out = {"version": run([*program, "--version"], root)}
    out["sample"] = commands([*program, "--home", home, "sample"], root)
    out["send"] = commands([*program, "--home", home, "--json", "send", "notifyWebhook", "--values", "-",
                            "--sandbox"], root, stdin=SEND_VALUES)
    status = json.loads(out["send"]).get("status")
    if status != 200:
        raise AssertionError(f"the sandbox send answered {status}: {out['send']}")
    # What reads data files of its own at run time (a bundle may leave them out): a journey run with
    # its expectations (the expression grammar, the sample's files) and an OpenAPI import (the
    # validators' schemas).
    profiles = Path(home) / "profiles"
    out["journey"] = commands([*program, "--home", home, "journey", "run", "sampleJourney", "--profiles",
                               str(profiles / "purchases.csv"), "--expect", str(profiles / "purchases.expect.json"),
                               "--sandbox"], root)
    spec = root / "openapi.json"
    spec.write_text(json.dumps(OPENAPI))
    out["openapi"] = commands([*program, "--home", home, "--session-secrets", "--json", "action", "import", "--from",
                               "openapi", str(spec)], root)
    out["desktop"] = commands([*program, "--json", "install-desktop"], root)
    window = [*(gui or [*program, "gui"]), "--home", home]
    out["window"] = run(window, root, extra={"ACTION_STUDIO_EXIT_AFTER_SHOW": "1"})
    if "ACTION_STUDIO_READY" not in out["window"]:
        raise AssertionError(f"the window did not get ready: {out['window']}")
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m tools.smoke PROGRAM", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="action-studio-smoke-") as tmp:
        out = smoke([str(Path(argv[1]).resolve())], Path(tmp))
    print(out["version"].strip())
    print(f"send: {json.loads(out['send']).get('status')}; window: ready; desktop: "
          f"{len(json.loads(out['desktop'])['installed'])} files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
