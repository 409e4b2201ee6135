"""The `action-studio` command run in this process: exit code, standard output and standard error.

A subprocess costs a Python start and the app's imports (~0.5-1 s on the CI machine) for each
command; in process, a test pays only for the command. `main()` is what `python -m app` runs, so
the exit code, the messages and the files written are the same. Tests keep a real process where the
process is the point: signals, a killed command, two processes racing for the workspace lock, the
interpreter's own exit status, or a child with no keyring at all.

A bug of ours raises here (ACTION_STUDIO_DEBUG=1: the traceback instead of exit 70), so it fails
the test with its traceback rather than hiding behind a message.
"""
from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional
from unittest import mock

import keyring
from keyring.backend import KeyringBackend

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Done:
    """What a command left (the fields of subprocess.CompletedProcess that tests read)."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, stdin: Optional[str] = None, env: Optional[dict[str, str]] = None,
            keyring_backend: Optional[KeyringBackend] = None) -> Done:
    """Run `action-studio ARGS` in process; `env` is added to the environment for the command,
    `keyring_backend` (e.g. keyring.backends.fail.Keyring()) replaces the test's keyring for it."""
    from app.cli.main import main

    out, err = _stream(), _stream()
    previous = keyring.get_keyring()
    if keyring_backend is not None:
        keyring.set_keyring(keyring_backend)
    try:
        with mock.patch.dict(os.environ, {"ACTION_STUDIO_DEBUG": "1", **(env or {})}), \
                mock.patch.object(sys, "stdin", _stream((stdin or "").encode())), \
                contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse: usage errors and --help
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        keyring.set_keyring(previous)
    return Done(list(args), code, _text(out), _text(err))


def run_process(*args: str, stdin: Optional[str] = None, env: Optional[dict[str, str]] = None,
                timeout: float = 120) -> Done:
    """Run `python -m app ARGS` as a real process (for tests where the process is the point)."""
    environ = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    done = subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, input=stdin,
                          env=environ, timeout=timeout)
    return Done(list(args), done.returncode, done.stdout, done.stderr)


def _stream(data: bytes = b"") -> io.TextIOWrapper:
    """A text stream with the `.buffer` of a real one (commands read standard input as bytes)."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", write_through=True)


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]
