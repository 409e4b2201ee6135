"""Real processes without a Python start each: a warm parent (started once) imports the app, then
forks a child for each process a test asks for. The children are separate processes as before (they
race for the workspace lock, are killed with SIGKILL mid-write, exit with their own code and print
on their own pipes); what they no longer pay is the interpreter's start and the app's imports
(~0.25 s of CPU a process, most of a racing or killed-writer test's time).

    with ForkServer(env, preload=("app.store",)) as forks:
        proc = forks.start(CODE, "arg")          # CODE runs as `python -c CODE arg` would run it
        code, out, err = proc.communicate()

The parent forks the child of each request and reports its pid, then how it ended once it reaps it
(its exit code, or minus the signal that killed it, as subprocess says it).

A process may also hand its own standard streams, environment and working folder to a child, and
exit as it does (`hand_over`; what `python -S forks.py SOCKET -c CODE ARGS` runs): a process that
another program starts as `python -c CODE` is then a fork of the warm parent (tests/helpers/workers.py:
the xdist workers). In such a worker a ForkServer is itself a fork of that template (which imported
the app already), not a new Python.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
from pathlib import Path
from types import TracebackType
from typing import Optional

APP = "import sys\nfrom app.cli.main import main\nsys.exit(main())"  # what `python -m app` runs (app/__main__.py)
# In an xdist worker forked from the template (tests/helpers/workers.py): the template's socket. A
# ForkServer is then itself forked from there, its modules imported already, instead of a new Python.
TEMPLATE = "ACTION_STUDIO_TEST_FORK_TEMPLATE"

SERVER = textwrap.dedent("""
    import atexit, gc, importlib, json, os, selectors, signal, socket, sys, traceback

    def child(code, args):
        sys.argv = ["-c", *args]
        try:
            exec(compile(code, "<string>", "exec"), {"__name__": "__main__"})
            status = 0
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            traceback.print_exc()
            status = 1
        atexit._run_exitfuncs()  # what a Python does as it ends: a window's zygote stopped, its folder removed
        sys.stdout.flush()
        sys.stderr.flush()
        return status

    # The child, forked here: its pid now on `conn`, how it ended once reaped (reap). One fork a request: a
    # watcher process between (that forked the child and waited for it) cost a second fork of this large
    # process, ~7 ms of CPU.
    def start(conn, fds, request):
        pid = os.fork()
        if pid == 0:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # its own children are its business
            for held in (selector, listener, *CHILDREN.values()):
                held.close()
            for held in WAKE:
                os.close(held)
            conn.close()
            for target, fd in enumerate(fds):  # 0, 1, 2, then any more in order (a listener: 3)
                if fd != target:
                    os.dup2(fd, target)
                    os.close(fd)
            signal.signal(signal.SIGINT, INTERRUPT)  # Ctrl+C as the server's own Python took it
            if request["env"] is not None:
                os.environ.clear()
                os.environ.update(request["env"])
            if request.get("cwd") is not None:
                os.chdir(request["cwd"])
            os._exit(child(request["code"], request["args"]))
        for fd in fds:
            os.close(fd)
        try:
            conn.sendall(f"{pid}\\n".encode())
        except OSError:
            pass  # the asker is gone: its child still gets reaped here
        CHILDREN[pid] = conn

    def reap(block=False):  # each child that ended (all of them, waiting, with `block`): how, to its asker
        while CHILDREN:
            try:
                pid, status = os.waitpid(-1, 0 if block else os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = CHILDREN.pop(pid, None)
            if conn is None:
                continue
            try:
                conn.sendall(f"{os.waitstatus_to_exitcode(status)}\\n".encode())
            except OSError:
                pass
            conn.close()

    for entry in reversed(os.environ.get("PYTHONPATH", "").split(os.pathsep)):  # forked from a template: its
        if entry and entry not in sys.path:                                    # path was made for another one
            sys.path.insert(1, entry)
    for name in sys.argv[2:]:  # MODULE, or MODULE:FUNCTION to call once imported
        module, _, function = name.partition(":")
        try:
            loaded = importlib.import_module(module)
        except ImportError:  # imported (and failing, with its own message) where a child uses it
            continue
        if function:
            getattr(loaded, function)()
    if "threading" in sys.modules and sys.modules["threading"].active_count() > 1:
        names = [t.name for t in sys.modules["threading"].enumerate()]
        sys.exit(f"forks: a preloaded module started a thread ({names}): its forks would not have it")
    gc.freeze()  # what was imported lives as long as every child: their collector never scans it
    INTERRUPT = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is its children's: it ends with its input
    CHILDREN = {}  # pid -> the connection of the request that started it
    WAKE = os.pipe()  # a child's end (SIGCHLD) wakes the loop below
    os.set_blocking(WAKE[1], False)
    signal.set_wakeup_fd(WAKE[1])
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    listener = socket.socket(fileno=int(sys.argv[1]))
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(sys.stdin.fileno(), selectors.EVENT_READ, "test")
    selector.register(WAKE[0], selectors.EVENT_READ, "ended")
    while True:
        for key, _ in selector.select(timeout=0.5):
            if key.data == "test" and not os.read(sys.stdin.fileno(), 4096):
                reap(block=True)  # reaped here: their CPU is counted as the test's children's
                sys.exit(0)
            if key.data == "ended":
                os.read(WAKE[0], 4096)
            if key.data == "accept":
                conn, _ = listener.accept()
                message, fds, _, _ = socket.recv_fds(conn, 1 << 20, 8)
                while not message.endswith(b"\\n"):
                    message += conn.recv(1 << 20)
                start(conn, fds, json.loads(message))
        reap()
""")


class Forked:
    """A forked child, driven as a subprocess.Popen with text pipes is."""

    def __init__(self, conn: socket.socket, stdin: Optional[int], stdout: Optional[int], stderr: Optional[int]) -> None:
        self._conn, self._pending = conn, b""
        self.stdin = None if stdin is None else open(stdin, "w", encoding="utf-8")
        self.stdout = None if stdout is None else open(stdout, encoding="utf-8")
        self.stderr = None if stderr is None else open(stderr, encoding="utf-8")
        self.pid = int(self._line(None))
        self.returncode: Optional[int] = None

    def _line(self, timeout: Optional[float]) -> str:
        self._conn.settimeout(timeout)
        while b"\n" not in self._pending:
            chunk = self._conn.recv(64)
            if not chunk:
                raise RuntimeError("the fork server ended before its child did")
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return line.decode()

    def wait(self, timeout: Optional[float] = None) -> int:
        if self.returncode is None:
            try:
                self.returncode = int(self._line(timeout))
            except TimeoutError:
                raise subprocess.TimeoutExpired(f"fork {self.pid}", timeout or 0) from None
            self._conn.close()
        return self.returncode

    def poll(self) -> Optional[int]:
        """Its exit code once it has ended, else None (without waiting)."""
        if self.returncode is None:
            self._conn.setblocking(False)
            try:
                self._pending += self._conn.recv(64)
            except BlockingIOError:
                pass
            finally:
                self._conn.setblocking(True)
            if b"\n" in self._pending:
                self.wait()
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:
            os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(9)

    def communicate(self, timeout: float = 120) -> tuple[str, str]:
        """Both outputs to their end (stderr read alongside, so a full pipe never stalls the child)."""
        if self.stdin is not None:
            self.stdin.close()
        err: list[str] = [""]
        stderr = self.stderr
        reader = threading.Thread(target=lambda: stderr is not None and err.append(stderr.read()))
        reader.start()
        out = "" if self.stdout is None else self.stdout.read()
        reader.join()
        self.wait(timeout)
        if self.stdout is not None:
            self.stdout.close()
        if stderr is not None:
            stderr.close()
        return out, err[-1]


def _request(path: str, request: dict[str, object], fds: list[int]) -> socket.socket:
    """Ask the server at `path` for a child (`request`: its code, args, env) holding `fds` as 0, 1, 2..."""
    import json

    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(path)
    socket.send_fds(conn, [json.dumps(request).encode() + b"\n"], fds)
    return conn


class ForkServer:
    """The warm parent: started on entry with `env` and the `preload` modules imported (in order; a
    `module:function` is imported, then called), ended on exit. A fork of the server at `template` (else
    of the one TEMPLATE names, in a worker) where there is one, its imports made already."""

    def __init__(self, env: dict[str, str], preload: tuple[str, ...], template: Optional[str] = None,
                 python: Optional[str] = None, cwd: Optional[str] = None) -> None:
        """`python`: that interpreter started (another environment's: never a fork of a template), in `cwd`."""
        self._folder = tempfile.TemporaryDirectory(prefix="forks")
        self.path = str(Path(self._folder.name) / "socket")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(self.path)
        listener.listen(16)
        self._server: subprocess.Popen[bytes] | Forked
        with listener:
            template = None if python else template or os.environ.get(TEMPLATE)
            if template and os.path.exists(template):
                in_r, in_w = os.pipe()  # its input, as the Popen's: ends when this ends
                request = {"code": SERVER, "args": ["3", *preload], "env": env, "cwd": cwd or os.getcwd()}
                conn = _request(template, request, [in_r, 1, 2, listener.fileno()])
                os.close(in_r)
                self._server = Forked(conn, in_w, None, None)
            else:
                self._server = subprocess.Popen([python or sys.executable, "-c", SERVER, str(listener.fileno()),
                                                 *preload], stdin=subprocess.PIPE, env=env, cwd=cwd,
                                                pass_fds=[listener.fileno()])

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, kind: Optional[type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        assert self._server.stdin is not None
        self._server.stdin.close()  # the server reaps its children, then ends
        self._server.wait(timeout=120)
        self._folder.cleanup()

    def start(self, code: str, *args: str, stdin: bool = False, stderr: bool = True,
              env: Optional[dict[str, str]] = None, pass_fds: tuple[int, ...] = (), cwd: Optional[str] = None) -> Forked:
        """A child running `code` with `args` as sys.argv[1:], as `python -c code *args` would: its
        standard input a pipe (`stdin`, else empty), its standard error a pipe (else discarded), its
        environment `env` (else the server's), `pass_fds` its descriptors 3, 4... (a listening socket),
        its working folder `cwd` (else the server's)."""
        in_r, in_w = os.pipe() if stdin else (os.open(os.devnull, os.O_RDONLY), None)
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe() if stderr else (None, os.open(os.devnull, os.O_WRONLY))
        request = {"code": code, "args": list(args), "env": env, "cwd": cwd}
        conn = _request(self.path, request, [in_r, out_w, err_w, *pass_fds])
        for fd in (in_r, out_w, err_w):  # the child holds them: its end is the pipes' end
            os.close(fd)
        return Forked(conn, in_w, out_r, err_r)


def hand_over(path: str, code: str, args: list[str]) -> int:
    """This process's standard input, output and error, environment and working folder to a child
    of the server listening at `path`, running `code` with `args`; the child's exit code (128 + the
    signal's number when one killed it, as a shell says it)."""
    request = {"code": code, "args": args, "env": dict(os.environ), "cwd": os.getcwd()}
    with _request(path, request, [0, 1, 2]) as conn:
        for fd in (0, 1):  # the child holds them: its end is the pipes' end
            os.close(fd)
        lines = b""
        while lines.count(b"\n") < 2 and (chunk := conn.recv(64)):
            lines += chunk
    if lines.count(b"\n") < 2:
        print("forks: the fork server ended before its child did", file=sys.stderr)
        return 70
    code_line = int(lines.split(b"\n")[1])
    return 128 - code_line if code_line < 0 else code_line


if __name__ == "__main__":  # python -S forks.py SOCKET [interpreter options] -c CODE ARGS...
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the child (in this process group) itself
    at = sys.argv.index("-c")
    sys.exit(hand_over(sys.argv[1], sys.argv[at + 1], sys.argv[at + 2:]))
