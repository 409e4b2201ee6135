"""The "Check endpoint" dialog: the readiness check of one action, off the UI thread.

Rate and duration, Start and Stop (Stop halts at once and keeps a partial report), the latency
plot filled as the check runs (progress by signal), and the report. A real endpoint (any host but
this machine) is called only after a confirmation naming its hosts and the number of calls.
"""
from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING, Any, Optional

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.check import DEFAULT_RATE, MAX_RATE, CheckPlan, CheckReport, run_check
from app.check.plan import DEFAULT_DURATION_S, MAX_DURATION_S, confirmation, real_hosts
from app.model import Action, CustomAuth
from ui import ask
from ui.check_plot import LatencyPlot
from ui.sending.result_view import monospace
from ui.workers import run_in_background

if TYPE_CHECKING:
    from app.services import Services


class _Signals(QObject):
    """Lives on the GUI thread; the check's worker emits its snapshots through it (queued)."""

    progress = Signal(object)


def hosts_job(services: Services, action: Action) -> list[str]:
    """The worker's first job: the real hosts the check would call (resolving may start the sandbox)."""
    return real_hosts(action, services.resolver())


def check_job(services: Services, action: Action, plan: CheckPlan, cancel: threading.Event,
              signals: _Signals) -> CheckReport:
    """The worker's job (no widgets): run the check, snapshots by signal (the dialog gone: stop)."""

    def progress(snapshot: dict[str, Any]) -> None:
        if shiboken6.isValid(signals):
            signals.progress.emit(snapshot)
        else:
            cancel.set()

    return run_check(action, plan, secrets=services.secrets, resolver=services.resolver(), net=services.net(),
                     cancel=cancel, progress=progress)


class CheckDialog(QDialog):
    """Check one action's endpoint: will it hold the platform's load?"""

    finished_check = Signal(object)  # the CheckReport, once shown

    def __init__(self, services: Services, action: Action, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.services, self.action = services, action
        self.setWindowTitle(f"Check endpoint — {action.name}")
        self.resize(820, 620)
        self._cancel: Optional[threading.Event] = None
        self._signals = _Signals(self)
        self._signals.progress.connect(self._on_progress)
        self.rate = QSpinBox()
        self.rate.setRange(1, int(MAX_RATE))
        self.rate.setValue(int(DEFAULT_RATE))
        self.rate.setSuffix(" calls/s")
        self.rate.setAccessibleName("Rate")
        self.duration = QDoubleSpinBox()
        self.duration.setRange(0.1, MAX_DURATION_S)
        self.duration.setValue(DEFAULT_DURATION_S)
        self.duration.setSuffix(" s")
        self.duration.setAccessibleName("Duration")
        self.start_button = QPushButton("Start")
        self.start_button.clicked.connect(self.on_start)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.on_stop)
        self.status = QLabel(f"{action.endpoint.method} {action.endpoint.url}: ready")
        self.status.setWordWrap(True)
        self.plot = LatencyPlot()
        self.report_view = QPlainTextEdit()
        self.report_view.setReadOnly(True)
        self.report_view.setAccessibleName("Check report")
        monospace(self.report_view)
        row = QHBoxLayout()
        for widget in (QLabel("Rate"), self.rate, QLabel("Duration"), self.duration):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.start_button)
        row.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.plot, 2)
        layout.addWidget(self.report_view, 1)

    # -- start: the hosts first, a confirmation for real ones, then the check ---------------------
    def plan(self) -> CheckPlan:
        return CheckPlan(float(self.rate.value()), self.duration.value())

    def on_start(self) -> None:
        if self._cancel is not None:
            return
        self._set_running(True)
        self.status.setText("Preparing the request…")
        run_in_background(hosts_job, self.services, self.action, on_done=self._on_hosts,
                          on_error=self._on_error, owner=self)

    def _on_hosts(self, hosts: list[str]) -> None:
        plan = self.plan()
        if hosts:
            text = confirmation(hosts, plan, isinstance(self.action.auth, CustomAuth))
            if not ask.confirm(self, "Call a real endpoint?", text, ok=f"Call {', '.join(hosts)}"):
                self._set_running(False)
                self.status.setText("Not started: the real endpoint was not confirmed; nothing was sent")
                return
        self._cancel = cancel = threading.Event()
        self.destroyed.connect(lambda *_: cancel.set())  # the dialog went away: stop the check too
        self.status.setText(f"Running: {plan.total_calls:,} calls at {plan.rate:g}/s…")
        self.plot.set_points([])
        run_in_background(check_job, self.services, self.action, plan, cancel, self._signals,
                          on_done=self._on_done, on_error=self._on_error, owner=self)

    def on_stop(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.stop_button.setEnabled(False)
            self.status.setText("Stopping…")

    # -- results ----------------------------------------------------------------------------------
    def _on_progress(self, snapshot: dict[str, Any]) -> None:
        if not shiboken6.isValid(self):
            return
        self.plot.set_points(snapshot["timeline"])
        latency = snapshot["latencyMs"]
        self.status.setText(f"{snapshot['started']:,} of {snapshot['planned']:,} started, {snapshot['completed']:,} "
                            f"answered, p95 {latency['p95']:.0f} ms, {sum(snapshot['errors'].values())} errors")

    def _on_done(self, report: CheckReport) -> None:
        if not shiboken6.isValid(self):
            return
        self._cancel = None
        self._set_running(False)
        data = report.to_dict()
        self.plot.set_points(data["timeline"])
        self.status.setText("Stopped: partial report" if report.cancelled else "Done")
        errors = "\n".join(f"{e['summary']}\n{e['body'] or ''}" for e in data["firstErrors"])
        self.report_view.setPlainText(report.text() + ("\n\nFirst error responses:\n" + errors if errors else "")
                                      + "\n\n" + json.dumps({k: data[k] for k in ("latencyMs", "errors", "token")},
                                                            indent=2))
        self.finished_check.emit(report)

    def _on_error(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._cancel = None
        self._set_running(False)
        reason = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
        self.status.setText(f"Not run: {reason}")

    def done(self, result: int) -> None:
        """Closing the dialog (Esc, its X) stops a running check: nothing runs unseen."""
        self.on_stop()
        super().done(result)

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.rate.setEnabled(not running)
        self.duration.setEnabled(not running)

    @property
    def running(self) -> bool:
        return self._cancel is not None
