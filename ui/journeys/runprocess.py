"""A journey run in a child process (app.journeys.childrun), driven by a QProcess (on Linux the
QProcess is `run`, whose run the window's zygote forks: ui/journeys/zygote.py).

The run shares no GIL with the window: its progress comes back as JSON lines, read on the GUI
thread when Qt says output is ready; of the lines read at once only the newest progress is handed
on, so however fast they come the window redraws at most once per read. `stop()` asks the child
to stop (it keeps what finished and reports a `cancelled` run); a child that does not answer
within STOP_GRACE_MS is ended, and one that ends without a result (crashed, killed) is reported
with its exit and the last lines it wrote to standard error, never waited on forever.

A RunProcess keeps itself alive until its child has exited (a closed window's run is asked to stop
and left to finish its trace), so a QProcess is never destroyed while its process runs."""
from __future__ import annotations

import json
import sys
from typing import Any, Optional

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from app.journeys.actionplan import PlanError
from app.journeys.childrun import STOP, ChildSpec, read_progress, read_result
from ui.journeys import zygote

STOP_GRACE_MS = 5000  # the runner stops within a second; this is for a child that hangs
STDERR_KEPT = 4000  # characters of the child's standard error kept for a crash's message
_alive: set["RunProcess"] = set()


class RunError(ValueError):
    """The run did not give a result: why, in words (the bar shows it as it is)."""


class RunProcess(QObject):
    progressed = Signal(object, object)  # RunProgress, (bytes read, size or None)
    finished = Signal(object)  # RunResult
    failed = Signal(object)  # PlanError (refused: nothing was run) or RunError
    pausedChanged = Signal(object)  # the profiles paused at a breakpoint now (the child's `paused` items)

    def __init__(self) -> None:
        super().__init__()  # no parent: it lives until its child has exited (see the module docstring)
        self.process = QProcess(self)
        self.process.setProgram(sys.executable)
        self.process.setArguments(zygote.run_arguments())
        self.process.setProcessEnvironment(_environment())
        self.process.readyReadStandardOutput.connect(self._read)
        self.process.readyReadStandardError.connect(self._read_errors)
        self.process.finished.connect(self._exited)
        self.process.errorOccurred.connect(self._error)
        self.ended = False  # a result, a refusal or a failure was handed on
        self.stopping = False
        self._killed = False
        self._errors = ""
        self._run_pid: Optional[int] = None  # the zygote's child running the run, once it said so
        self._kill_timer = QTimer(self, singleShot=True, interval=STOP_GRACE_MS, timeout=self._kill)

    def start(self, spec: ChildSpec) -> None:
        _alive.add(self)
        self.process.start()
        self.process.write((spec.to_json() + "\n").encode("utf-8"))

    def send(self, command: dict[str, Any]) -> None:
        """A command for the running child (breakpoints set, a paused profile released)."""
        if not self.ended and not self.stopping and self.process.state() == QProcess.ProcessState.Running:
            self.process.write((json.dumps(command) + "\n").encode("utf-8"))

    def pid(self) -> int:
        """The run's process: the zygote's child when it runs there (it says its pid first on its
        standard error), else the process started."""
        self._read_errors()
        return self._run_pid or int(self.process.processId())

    def stop(self) -> None:
        """Ask the child to stop; end it if it has not within STOP_GRACE_MS."""
        if self.stopping or self.process.state() == QProcess.ProcessState.NotRunning:
            return
        self.stopping = True
        self.process.write(f"{STOP}\n".encode())
        self._kill_timer.start()

    def _kill(self) -> None:
        if self.process.state() != QProcess.ProcessState.NotRunning:
            self._killed = True
            if self.pid() != self.process.processId():
                zygote.kill(self.pid())  # the run itself: the process started ends once it has, not before
            else:
                self.process.kill()

    # -- what the child says -------------------------------------------------------------------------
    def _read(self) -> None:
        progress: Optional[tuple[Any, Any]] = None
        while self.process.canReadLine():
            line = bytes(self.process.readLine().data()).decode("utf-8", "replace").strip()
            try:
                message = json.loads(line)
            except ValueError:
                self._keep_error(line)  # not ours (the child sends its messages only here)
                continue
            if "progress" in message:
                progress = read_progress(message["progress"])
                continue
            if "paused" in message:
                if not self.ended:
                    self.pausedChanged.emit(message["paused"])
                continue
            if progress is not None:
                self._progress(progress)
                progress = None
            self._outcome(message)
        if progress is not None:
            self._progress(progress)

    def _progress(self, progress: tuple[Any, Any]) -> None:
        if not self.ended:
            self.progressed.emit(*progress)

    def _outcome(self, message: dict[str, Any]) -> None:
        if self.ended:
            return
        if "result" in message:
            self._end(self.finished, read_result(message["result"]))
        elif "refused" in message:
            self._end(self.failed, PlanError(list(message["refused"])))
        elif "error" in message:
            self._end(self.failed, RunError(str(message["error"])))

    def _end(self, signal: Any, value: Any) -> None:
        self.ended = True
        self._kill_timer.stop()
        self.process.closeWriteChannel()  # the end of its input: a child still running stops
        signal.emit(value)

    def _read_errors(self) -> None:
        self._keep_error(bytes(self.process.readAllStandardError().data()).decode("utf-8", "replace"))
        if self._run_pid is None and self._errors.startswith(zygote.RUN_PID) and "\n" in self._errors:
            line, self._errors = self._errors.split("\n", 1)
            self._run_pid = int(line[len(zygote.RUN_PID):])

    def _keep_error(self, text: str) -> None:
        self._errors = (self._errors + text)[-STDERR_KEPT:]

    # -- the child's end -----------------------------------------------------------------------------
    def _exited(self, code: int, status: QProcess.ExitStatus) -> None:
        self._read()
        self._read_errors()
        if not self.ended:
            self._end(self.failed, RunError(self._why_ended(code, status)))
        self._release()

    def _error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and not self.ended:
            self._end(self.failed, RunError(f"The run process could not start ({sys.executable}): "
                                            f"{self.process.errorString()}"))
            self._release()

    def _why_ended(self, code: int, status: QProcess.ExitStatus) -> str:
        if self._killed:
            return (f"Stopped: the run process did not stop within {STOP_GRACE_MS // 1000} s and was ended; "
                    "what finished is kept in its trace (it reads as interrupted)")
        how = "crashed" if status == QProcess.ExitStatus.CrashExit else f"exited with code {code}"
        last = [line for line in self._errors.strip().splitlines() if line.strip()][-3:]
        return (f"The run process ended unexpectedly ({how}) without a result; what finished is kept in "
                "its trace (it reads as interrupted)" + (": " + " / ".join(last) if last else ""))

    def _release(self) -> None:
        self._kill_timer.stop()
        QTimer.singleShot(0, lambda: _alive.discard(self))


def finish_all(timeout_ms: int = 3000) -> None:
    """At shutdown: ask every run still going to stop and give each up to `timeout_ms` to write the
    end of its trace (a run stops within a second); one that does not is ended (its trace reads as
    interrupted). The window is closing: nothing else waits on the UI thread then."""
    for proc in list(_alive):
        proc.stop()
        if not proc.process.waitForFinished(timeout_ms):
            proc._kill()
            proc.process.waitForFinished(timeout_ms)


def busy() -> bool:
    """Whether some run process has not exited yet (tests wait for them to end)."""
    return bool(_alive)


def _environment() -> QProcessEnvironment:
    """The window's environment, with this very `app` package first on the path (a development
    checkout or an installed one: the child runs the same code as the window)."""
    env = QProcessEnvironment()
    for name, value in zygote.environment().items():
        env.insert(name, value)
    return env
