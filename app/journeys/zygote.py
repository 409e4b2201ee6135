"""A warm parent for the window's journey run processes (Linux): it imports what a run needs once,
then forks one child per run, so a Run click no longer pays ~0.6 s of CPU for the imports.

    python -m app.journeys.zygote serve FD          # started once by the window (ui/journeys/zygote.py)
    python -S -c RUN_CODE run SOCKET                # what the window's QProcess runs for each run

`run` (a small process: no site, nothing imported but the standard library) hands its standard
input, output and error, its environment and working folder to the zygote; the zygote forks a
child that takes them as its own and runs app.journeys.childrun's main: the same JSON lines on the
same pipes as `python -m app.journeys.childrun`. `run` then exits as the child does (its exit code,
or killed by the same signal), and when `run` is killed the child kills itself (it watches the
connection), so ending the window's process ends the run as before.

The zygote serves until its standard input ends (the window's process is gone). It never starts a
thread: a fork copies only the thread that calls it.
"""
from __future__ import annotations

import os
import struct
import sys

# `run` starts for every Run click with nothing imported: `socket` and `signal` (enum), `json` (re) and
# `typing` would more than double its ~10 ms of CPU, so it uses the C `_socket` and plain bytes, and
# the zygote's side imports its modules where it runs.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import socket
    from typing import Any, Mapping

# `run` as the window starts it: `-c`, not `-m`, whose runpy (and the import machinery it loads) was ~5 of
# the ~18 ms of CPU `run` cost a click.
RUN_CODE = "import sys; from app.journeys.zygote import main; sys.exit(main(sys.argv))"
RUN_PID = "action-studio: run process "  # the child's first line on standard error: its pid (the window's kill)
HEADER = struct.Struct("!I")  # the length of the setup that comes with the three descriptors
# The setup: the working folder and the environment (_setup_bytes).
# How the child ended, one line back: b"exit CODE" or b"signal NUMBER".
PRELOAD = ("app.journeys.childrun", "app.journeys.breakpoints", "app.journeys.runner", "app.journeys.runsetup",
           "app.journeys.replayrun", "app.journeys.profiles", "app.services", "app.store", "app.secrets",
           "app.sandbox", "aiohttp", "app.calls.aiorequest")
# What a run imports only when it gets there (its first expression compiled, the workspace settings
# read, the embedded sandbox's server started, the token calls' transport made): ~0.12 s of CPU a
# run, paid once here instead. Modules only (importing them starts no thread).
RUN_IMPORTS = ("app.journeys.expr.compile", "app.settings", "concurrent.futures.thread", "encodings.idna",
               "encodings.utf_8_sig", "httpcore", "h11", "anyio._backends._asyncio", "anyio.streams.memory",
               "anyio.streams.stapled", "anyio.streams.tls", "certifi", "uvicorn.lifespan.off", "uvicorn.loops.auto",
               "uvicorn.protocols.http.auto", "uvicorn.protocols.websockets.auto")
OPTIONAL_IMPORTS = ("uvicorn.loops.uvloop",)  # the sandbox's "auto" event loop, where uvloop is installed


# -- `run`: the process the window starts for one run ----------------------------------------------
def run(path: str) -> int:
    """Hand this process's standard streams to the zygote's next child; exit as that child does."""
    import _socket

    conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        conn.connect(path)
    except OSError:  # no zygote (it ended, or never started): the run in a process of its own
        conn.close()
        os.execv(sys.executable, [sys.executable, "-m", "app.journeys.childrun"])
    try:
        setup = _setup_bytes(os.getcwdb(), os.environb)
        message = HEADER.pack(len(setup)) + setup
        sent = conn.sendmsg([message], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, struct.pack("3i", 0, 1, 2))])
        conn.sendall(message[sent:])
        for fd in (0, 1):  # the child has them: the window sees their end when the child's end comes
            os.close(fd)
        status = _read_line(conn)
    except OSError as exc:
        print(f"action-studio: the run process could not start ({exc})", file=sys.stderr)
        return 70
    finally:
        conn.close()
    if not status:
        print("action-studio: the run process's parent ended during the run", file=sys.stderr)
        return 70
    how, _, number = status.decode("ascii", "replace").partition(" ")
    if how == "signal":
        import signal

        killed = int(number)
        if killed not in (signal.SIGKILL, signal.SIGSTOP):  # those two have no handler to reset
            signal.signal(killed, signal.SIG_DFL)
        os.kill(os.getpid(), killed)  # killed as the child was: the window reports a crash
    return int(number) if how == "exit" else 70


def _read_line(conn: Any) -> bytes:
    """How the child ended, one JSON line (empty when the zygote ended first)."""
    data = b""
    while not data.endswith(b"\n") and (chunk := conn.recv(4096)):
        data += chunk
    return data


# -- `serve`: the zygote ---------------------------------------------------------------------------
def listen(path: str) -> socket.socket:
    """The zygote's socket, listening before the zygote starts (a run connecting meanwhile waits in
    the backlog for the zygote's imports): pass its descriptor to `serve`."""
    import socket

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    return listener


def warm() -> None:
    """Everything a run would make for itself that a fork can inherit instead: the modules, the
    expression parser and its lexers, the TLS context (loading the CA bundle, ~75 ms a run)."""
    import importlib

    for name in (*PRELOAD, *RUN_IMPORTS):
        importlib.import_module(name)
    for name in OPTIONAL_IMPORTS:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    from app.journeys.expr.parser import _lark
    from app.net import NetConfig
    from app.sandbox.appfactory import build_app
    from app.sandbox.config import SandboxConfig
    from app.sandbox.state import SandboxState

    _make_scanners(_lark())  # the expression parser, built once for every child
    NetConfig().ssl_context()  # kept per process (app.net.config): each child finds it made
    build_app(SandboxState(SandboxConfig()))  # the sandbox's route regexes, in `re`'s cache for every child's


def _make_scanners(lark: Any) -> None:
    """lark compiles the token regexes of a parser state when that state first reads a token (~3 ms
    of a run's validation, again in every child): all of them, once."""
    states = getattr(getattr(lark.parser, "lexer", None), "lexers", {})
    for lexer in {id(x): x for x in states.values()}.values():
        getattr(lexer, "scanner")  # noqa: B009 - the property makes it


def serve(fd: int) -> int:
    import selectors
    import signal
    import socket

    listener = socket.socket(fileno=fd)
    warm()
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a child ended: the wakeup byte says so
    children: dict[int, socket.socket] = {}
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(sys.stdin.fileno(), selectors.EVENT_READ, "window")
    selector.register(wake_r, selectors.EVENT_READ, "child")
    while True:
        for key, _ in selector.select():
            if key.data == "window" and not os.read(sys.stdin.fileno(), 4096):
                listener.close()
                return 0
            if key.data == "child":
                os.read(wake_r, 4096)
                _reap(children)
            elif key.data == "accept":
                conn, _ = listener.accept()
                pid = _fork(conn, [listener, selector, wake_r, wake_w, *children.values()])
                if pid:
                    children[pid] = conn


def _fork(conn: socket.socket, zygotes: list[Any]) -> int:
    """A child for this connection's run; its pid (0: none made). The child never returns: it closes
    what is the zygote's (`zygotes`: the listener, the selector, the wakeup pipe, the other runs'
    connections, whose `run` would otherwise wait for this child too) and runs the run."""
    import signal
    import socket

    try:
        message, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
        size = HEADER.unpack(message[:HEADER.size])[0]
        while len(message) < HEADER.size + size:
            message += conn.recv(1 << 20)
        setup = _setup(message[HEADER.size:HEADER.size + size])
    except (OSError, ValueError, struct.error):
        conn.close()
        return 0
    try:
        pid = os.fork()
    except OSError as exc:  # no process to be had: `run` finds its connection closed and exits 70
        print(f"action-studio: the run process could not start ({exc})", file=sys.stderr)
        conn.close()
        pid = -1
    if pid:
        for fd in fds:
            os.close(fd)
        return max(pid, 0)
    code = 70
    try:  # the child: whatever happens, it never returns into the zygote's loop
        signal.set_wakeup_fd(-1)
        for held in zygotes:
            os.close(held) if isinstance(held, int) else held.close()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        code = _child(conn, fds, setup)
    except BaseException:  # noqa: BLE001 - said on the run's standard error, then the exit code says it
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


def _setup_bytes(cwd: bytes, environ: Mapping[bytes, bytes]) -> bytes:
    """What `run` sends: the working folder, then NAME=VALUE, NUL-separated (names hold no '=' and
    no NUL, values no NUL: as /proc/PID/environ)."""
    return b"\0".join([cwd, *(name + b"=" + value for name, value in environ.items())])


def _setup(data: bytes) -> dict[str, Any]:
    """The working folder and environment `run` sent, as str (undecodable bytes kept as os.environ
    keeps them); ValueError: not that."""
    cwd, *pairs = data.split(b"\0")
    env = {}
    for pair in pairs:
        name, sep, value = pair.partition(b"=")
        if not sep:
            raise ValueError(f"not NAME=VALUE: {pair[:40]!r}")
        env[os.fsdecode(name)] = os.fsdecode(value)
    return {"env": env, "cwd": os.fsdecode(cwd)}


def _child(conn: socket.socket, fds: list[int], setup: dict[str, Any]) -> int:
    import threading

    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.environ.clear()
    os.environ.update(setup["env"])
    os.chdir(setup["cwd"])
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 - the process's own streams
    sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
    print(f"{RUN_PID}{os.getpid()}", file=sys.stderr, flush=True)
    # `run` gone (killed with the window's process, or by the window): this run ends at once, as the
    # process the window started would have.
    threading.Thread(target=_die_with, args=(conn,), daemon=True, name="run-watch").start()
    from app.journeys.childrun import main

    try:
        code = main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    sys.stdout.flush()
    sys.stderr.flush()
    return code


def _die_with(conn: socket.socket) -> None:
    import signal

    while conn.recv(4096):
        pass
    os.kill(os.getpid(), signal.SIGKILL)


def _reap(children: dict[int, socket.socket]) -> None:
    """Tell each ended child's `run` how it ended."""
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = children.pop(pid, None)
        if conn is None:
            continue
        signaled = os.WIFSIGNALED(status)
        ended = f"signal {os.WTERMSIG(status)}" if signaled else f"exit {os.waitstatus_to_exitcode(status)}"
        try:
            conn.sendall(ended.encode() + b"\n")
        except OSError:
            pass  # `run` is gone already
        conn.close()


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("serve", "run"):
        print("usage: python -m app.journeys.zygote serve FD | run SOCKET", file=sys.stderr)
        return 2
    return serve(int(argv[2])) if argv[1] == "serve" else run(argv[2])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
