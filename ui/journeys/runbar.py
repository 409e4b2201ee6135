"""The run bar of a journey: the profiles file (with a preview of its first rows and of the rows
that will be rejected, with why), the preset, each action node's target (with the real hosts an
env run would call, shown before it can be armed), the seed; Run, Stop, a progress bar with rate
and ETA, and the journey's past runs to reopen.

The run happens in a child process (ui.journeys.runprocess, app.journeys.childrun): the window's
process only reads its progress lines, so the UI thread never competes with the run for the GIL.
The progress is coalesced (the child publishes ~10 snapshots a second; of the lines read at once
only the newest is shown). Stop asks the child to stop (it stops within a second and keeps what
finished); a child that crashes or is killed is reported with why, and the bar is ready again."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import shiboken6
from PySide6.QtCore import QProcess, Qt, QTimer, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.journeys.actionplan import PlanError, plan_calls
from app.journeys.childrun import ChildSpec, secrets_for
from app.journeys.model import Journey
from app.journeys.profiles import ProfileRow
from app.journeys.progress import RunProgress
from app.journeys.runner import RunResult
from app.journeys.runsetup import Preview, preview, refusal_problems, services_resolvers
from app.journeys.targets import Target
from app.journeys.tracereader import RunInfo, list_runs
from app.journeys.traces import TraceError
from ui import ask
from ui.journeys.breakpoints import BreakpointsControl, PausedPane
from ui.journeys.compare import CompareButton
from ui.journeys.exportdialog import ExportDialog, start_export
from ui.journeys.replaymenu import ReplayAsk, ReplayButton
from ui.journeys.runprocess import RunError, RunProcess
from ui.workers import run_in_background

if TYPE_CHECKING:
    from app.services import Services

PRESETS = ("fast", "test-mode", "real-time")
TARGET_KINDS = ("sandbox", "env", "mock", "dry")


@dataclass(frozen=True)
class RunSpec:
    """What the bar's controls say, as plain values for the worker thread."""

    profiles: str
    preset: str = "fast"
    seed: Optional[int] = None
    targets: dict[str, str] = field(default_factory=dict)  # node -> sandbox / env / dry / mock:FILE
    arm: bool = False

    def parsed_targets(self) -> dict[str, Target]:
        """TargetError (which node, why) for a mock file that cannot be used."""
        from app.journeys.targets import TargetError

        out = {}
        for node, text in self.targets.items():
            try:
                out[node] = Target.parse(text)
            except TargetError as exc:
                raise TargetError(f"node {node}: {exc}") from None
        return out


def _actions(services: Services, journey: Journey) -> dict[str, Any]:
    return {n: services.workspace.load(n) for n in journey.actions_used() if services.workspace.exists(n)}


def real_hosts(services: Services, journey: Journey, spec: RunSpec) -> dict[str, list[str]]:
    """The real hosts this run would call (a worker's job: it builds every request once)."""
    plan = plan_calls(journey, _actions(services, journey), spec.parsed_targets(), services_resolvers(services),
                      services.auth)
    return plan.real_hosts()


def child_spec(services: Services, journey: Journey, spec: RunSpec,
               breakpoints: Optional[list[dict[str, Any]]] = None, replay: Optional[ReplayAsk] = None) -> ChildSpec:
    """The child process's run (a worker's job: the secrets it needs are read from the keyring)."""
    secrets, problem = secrets_for(services, journey)
    return ChildSpec(str(services.workspace.home), journey.dump(), str(Path(spec.profiles).resolve()), spec.preset,
                     spec.seed, dict(spec.targets), spec.arm, secrets, problem, list(breakpoints or []),
                     str(replay.run) if replay is not None else None, replay is not None and replay.rerun,
                     replay.profile if replay is not None else None)


class RunBar(QWidget):
    runStarted = Signal()
    progressed = Signal(object)  # RunProgress (the diagram's live counts)
    runFinished = Signal(object)  # RunResult
    runOpened = Signal(object)  # the run file to show (a finished run, or a past run reopened)
    detailsToggled = Signal(bool)  # the preview / rejected / targets section unfolded (True) or folded

    def __init__(self, services: Services, journey: Journey, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("journeyRunBar")
        self.services, self.journey = services, journey
        self.proc: Optional[RunProcess] = None
        self.result: Optional[RunResult] = None
        self.last_progress: Optional[RunProgress] = None
        self.preview_data: Optional[Preview] = None
        self.hosts: dict[str, list[str]] = {}
        self.control: Optional[BreakpointsControl] = None  # the view's breakpoints (use_breakpoints)
        self.paused: Optional[PausedPane] = None
        self.shown_run: Optional[Path] = None  # the run the results show (what Export… writes)
        self._build()
        self._preview_timer = QTimer(self, singleShot=True, interval=300, timeout=self.refresh_preview)
        self._hosts_timer = QTimer(self, singleShot=True, interval=300, timeout=self.refresh_hosts)
        self.profiles.textChanged.connect(self._preview_timer.start)
        self.run_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.browse.clicked.connect(self._browse)
        self.open_run.clicked.connect(self._open_past)
        self.export_button.clicked.connect(lambda: self.export())
        self.runOpened.connect(self._shown)
        self.replay_button.asked.connect(self.start_replay)
        self.destroyed.connect(self._abandon)
        self.refresh_runs()

    # -- the controls ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.profiles = QLineEdit(self)
        self.profiles.setObjectName("journeyProfilesEdit")
        self.profiles.setPlaceholderText("Profiles file: CSV, JSON lines or a JSON array")
        self.browse = QPushButton("Browse…", self)
        self.preview_table = QTableWidget(self)
        self.preview_table.setObjectName("journeyProfilesPreview")
        self.preview_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview_table.verticalHeader().hide()
        self.rejected_label = QLabel(self)
        self.rejected_label.setObjectName("journeyRejectedLabel")
        self.rejected_label.setWordWrap(True)
        self.rejected = QListWidget(self)
        self.rejected.setObjectName("journeyRejectedRows")
        self.preset = QComboBox(self)
        self.preset.setObjectName("journeyPreset")
        self.preset.addItems(PRESETS)
        self.preset.setToolTip("fast: waits complete at once; test-mode: as the platform's test mode "
                               "(10 s waits, top split branch, at most 100 profiles); real-time: waits wait")
        self.seed = QLineEdit(self)
        self.seed.setObjectName("journeySeed")
        self.seed.setPlaceholderText("random")
        self.seed.setValidator(QIntValidator(0, 2**31 - 1, self))
        self.seed.setToolTip("Seed of the percentage splits and random(): the same seed gives the same run")
        self.targets = QTableWidget(0, 3, self)
        self.targets.setObjectName("journeyTargets")
        self.targets.setHorizontalHeaderLabels(["Action node", "Target", "Mock file"])
        self.targets.verticalHeader().hide()
        header = self.targets.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._target_combos: dict[str, tuple[QComboBox, QLineEdit]] = {}
        for node in self.journey.action_nodes():
            self._add_target_row(node.id, node.action)
        self.details = QTabWidget(self)
        self.details.setObjectName("journeyRunDetails")
        self.details.setDocumentMode(True)
        self.details.addTab(self.preview_table, "Preview")
        self.details.addTab(self.rejected, "Rejected")
        self.details.addTab(self.targets, f"Targets ({self.targets.rowCount()})")
        self.details.setMaximumHeight(170)
        self.details_button = QToolButton(self)
        self.details_button.setObjectName("journeyRunDetailsButton")
        self.details_button.setText("Preview and targets")
        self.details_button.setToolTip("Show or hide the profiles' preview, the rejected rows and each action "
                                       "node's target")
        self.details_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._details_toggled)
        self.details_button.setChecked(True)
        self._details_toggled(True)
        self.hosts_label = QLabel(self)
        self.hosts_label.setObjectName("journeyRealHosts")
        self.hosts_label.setWordWrap(True)
        self.hosts_label.hide()
        self.arm = QCheckBox("Arm real calls", self)
        self.arm.setObjectName("journeyArm")
        self.arm.setEnabled(False)
        self.arm.setToolTip("Enabled once the real hosts this run would call are listed")
        self.run_button = QPushButton("Run", self)
        self.run_button.setObjectName("journeyRunButton")
        self.stop_button = QPushButton("Stop", self)
        self.stop_button.setObjectName("journeyStopButton")
        self.stop_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("journeyProgress")
        self.progress.setTextVisible(True)
        self.progress.setFormat("Not run yet")
        self.progress.setValue(0)
        self.status = QLabel(self)
        self.status.setObjectName("journeyRunStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.past = QComboBox(self)
        self.past.setObjectName("journeyPastRuns")
        self.past.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.past.setMinimumContentsLength(20)
        self.open_run = QPushButton("Open run", self)
        self.open_run.setObjectName("journeyOpenRun")
        self.export_button = QPushButton("Export…", self)
        self.export_button.setObjectName("journeyExportButton")
        self.export_button.setToolTip("Write the run shown as JSON lines, CSV, the platform's test-mode log, or a "
                                      "profile's calls as cURL")
        self.export_button.setEnabled(False)
        self.compare_button = CompareButton(self.past, self)
        self.replay_button = ReplayButton(self.past, self)
        self.replaying: Optional[ReplayAsk] = None  # what the run started last replays (None: a plain run)
        self._replay: Optional[ReplayAsk] = None  # asked by start_replay, taken by start
        self._lay_out()

    def _add_target_row(self, node: str, action: str) -> None:
        row = self.targets.rowCount()
        self.targets.insertRow(row)
        item = QTableWidgetItem(f"{node} ({action})")
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.targets.setItem(row, 0, item)
        combo = QComboBox(self.targets)
        combo.setObjectName(f"journeyTarget_{node}")
        combo.addItems(TARGET_KINDS)
        mock = QLineEdit(self.targets)
        mock.setPlaceholderText("JSON list of responses, one per attempt")
        mock.setEnabled(False)
        self.targets.setCellWidget(row, 1, combo)
        self.targets.setCellWidget(row, 2, mock)
        combo.currentTextChanged.connect(lambda kind, m=mock: m.setEnabled(kind == "mock"))
        combo.currentTextChanged.connect(self._targets_changed)
        mock.textChanged.connect(self._targets_changed)
        self._target_combos[node] = (combo, mock)

    def _lay_out(self) -> None:
        """Compact, to fit a 1280x800 window beside the results: the file, the run's options and
        buttons, its status and the past runs always show; the preview, the rejected rows and the
        targets are tabs of a section that folds (it folds by itself once a run is shown)."""
        top = QHBoxLayout()
        caption = QLabel("&Profiles", self)
        caption.setBuddy(self.profiles)
        top.addWidget(caption)
        top.addWidget(self.profiles, 1)
        top.addWidget(self.browse)
        top.addWidget(self.details_button)
        controls = QHBoxLayout()
        for label, widget in (("Pr&eset", self.preset), ("See&d", self.seed)):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            controls.addWidget(caption)
            controls.addWidget(widget)
        controls.addWidget(self.arm)
        controls.addWidget(self.run_button)
        controls.addWidget(self.stop_button)
        controls.addWidget(self.progress, 1)
        runs = QHBoxLayout()
        runs.addWidget(QLabel("Past runs", self))
        runs.addWidget(self.past, 1)
        runs.addWidget(self.open_run)
        runs.addWidget(self.export_button)
        runs.addWidget(self.compare_button)
        runs.addWidget(self.replay_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.details)
        layout.addWidget(self.rejected_label)
        layout.addWidget(self.hosts_label)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addLayout(runs)

    def show_details(self, shown: bool) -> None:
        """Unfold (or fold) the preview, rejected rows and targets."""
        self.details_button.setChecked(shown)

    def _details_toggled(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.detailsToggled.emit(shown)

    def spec(self) -> RunSpec:
        targets = {}
        for node, (combo, mock) in self._target_combos.items():
            kind = combo.currentText()
            targets[node] = f"mock:{mock.text().strip()}" if kind == "mock" else kind
        seed = self.seed.text().strip()
        return RunSpec(self.profiles.text().strip(), self.preset.currentText(), int(seed) if seed else None,
                       targets, self.arm.isChecked() and self.arm.isEnabled())

    def set_target(self, node: str, spec: str) -> None:
        """Point an action node at sandbox, env, dry or mock:FILE (the window's and tests' way in)."""
        combo, mock = self._target_combos[node]
        kind, _, rest = spec.partition(":")
        mock.setText(rest)
        combo.setCurrentText(kind)

    # -- preview -------------------------------------------------------------------------------------
    def refresh_preview(self) -> None:
        path = self.profiles.text().strip()
        if not path:
            self._show_preview(None, "")
            return
        self.rejected_label.setText("Reading the file…")
        run_in_background(preview, path, self.journey.entry,
                          on_done=lambda p: self._previewed(path, p), on_error=lambda e: self._previewed(path, e),
                          owner=self)

    def _previewed(self, path: str, result: Any) -> None:
        if path != self.profiles.text().strip():
            return  # the path changed since: its own preview follows
        if isinstance(result, BaseException):
            self._show_preview(None, f"Cannot read the profiles: {result}")
        else:
            self._show_preview(result, "")

    def _show_preview(self, data: Optional[Preview], problem: str) -> None:
        self.preview_data = data
        self.preview_table.clear()
        self.rejected.clear()
        if data is None:
            self.preview_table.setRowCount(0)
            self.preview_table.setColumnCount(0)
            self.rejected_label.setText(problem)
            self.details.setTabText(1, "Rejected")
            return
        columns = _preview_columns(data.rows)
        self.preview_table.setColumnCount(len(columns))
        self.preview_table.setHorizontalHeaderLabels(columns)
        self.preview_table.setRowCount(len(data.rows))
        for r, row in enumerate(data.rows):
            cells = _preview_cells(row)
            for c, name in enumerate(columns):
                self.preview_table.setItem(r, c, QTableWidgetItem(cells.get(name, "")))
        self.preview_table.resizeColumnsToContents()
        self.rejected.addItems([str(rejection) for rejection in data.rejected])
        self.details.setTabText(1, f"Rejected ({len(data.rejected)})")
        scanned = (f"{data.scanned:,} row{'s' if data.scanned != 1 else ''} ({data.fmt})"
                   + (" read so far" if data.more else ""))
        self.rejected_label.setText(f"{len(data.rejected)} of the first {scanned} will be rejected" if data.rejected
                                    else f"No rejected row in the first {scanned}")

    def _browse(self) -> None:
        path = ask.open_file(self, "Profiles file", "Profiles (*.csv *.jsonl *.ndjson *.json);;All files (*)")
        if path is not None:
            self.profiles.setText(str(path))

    # -- real hosts ----------------------------------------------------------------------------------
    def _targets_changed(self) -> None:
        self.arm.setChecked(False)
        self.arm.setEnabled(False)
        self.hosts = {}
        self._say_hosts("")
        if any(spec == "env" for spec in self.spec().targets.values()):
            self._say_hosts("Listing the real hosts this run would call…")
            self._hosts_timer.start()

    def _say_hosts(self, text: str) -> None:
        self.hosts_label.setText(text)
        self.hosts_label.setVisible(bool(text))  # an empty line would take a row of the compact bar

    def refresh_hosts(self) -> None:
        spec = self.spec()
        run_in_background(real_hosts, self.services, self.journey, spec,
                          on_done=lambda hosts: self._hosts_listed(spec, hosts),
                          on_error=lambda exc: self._hosts_listed(spec, exc), owner=self)

    def _hosts_listed(self, spec: RunSpec, hosts: Any) -> None:
        if spec.targets != self.spec().targets:
            return
        if isinstance(hosts, BaseException):
            self._say_hosts(f"Cannot list the hosts: {_problem(hosts)}")
            return
        self.hosts = hosts
        if hosts:
            listed = "; ".join(f"{h} (from {', '.join(n)})" for h, n in hosts.items())
            self._say_hosts(f"This run would call real hosts: {listed}. Arm it to call them.")
        else:
            self._say_hosts("No real host: every call stays on this machine.")
        self.arm.setEnabled(bool(hosts))

    # -- the run -------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """A run was started and has not given its result (or failed) yet."""
        return self.proc is not None

    def start_replay(self, replay: ReplayAsk) -> None:
        """Replay a past run (its rows, seed, preset): from its recording, or again for real."""
        self._replay = replay
        self.start()

    def start(self) -> None:
        spec = self.spec()
        replay, self._replay = self._replay, None
        if self.running:
            return
        if not spec.profiles and replay is None:
            self.status.setText("Choose a profiles file first")
            self.profiles.setFocus()
            return
        proc = self.proc = RunProcess()
        proc.progressed.connect(self._progress)
        proc.finished.connect(self._finished)
        proc.failed.connect(self._failed)
        self.result, self.last_progress = None, None
        self.run_button.setEnabled(False)
        self.replay_button.set_busy(True)
        self.stop_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Starting…")
        self.status.setText(f"Running {self.journey.name}…" if replay is None else
                            f"{'Re-running' if replay.rerun else 'Replaying'} run {replay.run.stem} against "
                            f"the current {self.journey.name}…")
        self.replaying = replay
        self.runStarted.emit()
        points = self.control.breaks.wire() if self.control is not None else []
        run_in_background(child_spec, self.services, self.journey, spec, points, replay, owner=self,
                          on_done=lambda child: self._launch(proc, child),
                          on_error=lambda exc: self._failed(exc) if proc is self.proc else None)

    def _launch(self, proc: RunProcess, child: ChildSpec) -> None:
        if proc is not self.proc:
            return  # stopped before it started
        proc.start(child)
        if self.control is not None:  # the breakpoints follow the run: set, paused, stepped, resumed
            proc.pausedChanged.connect(self.control.breaks.show_paused)
            self.control.breaks.attach(proc.send)

    def stop(self) -> None:
        proc = self.proc
        if proc is None:
            return
        self.stop_button.setEnabled(False)
        if proc.process.state() == QProcess.ProcessState.NotRunning:  # still reading the secrets
            self._ended()
            self.progress.setRange(0, 1)
            self.progress.setFormat("Not run")
            self.status.setText("Stopped before the run started")
            return
        proc.stop()
        self.status.setText("Stopping: the profiles in flight end cancelled…")

    def _abandon(self) -> None:
        if self.proc is not None:
            self.proc.stop()  # the child stops and finishes its trace; the RunProcess waits for it
            if self.control is not None:
                self.control.breaks.detach()  # its paused profiles go with it

    def _progress(self, progress: RunProgress, position: tuple[int, Optional[int]]) -> None:
        if not shiboken6.isValid(self) or not self.running:
            return
        at, size = position
        self.last_progress = progress
        total = progress.limit
        if total is None and size and at:
            total = max(progress.done, round(progress.rows_read * size / at))
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(min(progress.done, total))
        text = f"{progress.done:,}" + (f" / ~{total:,}" if total else "") + f" profiles · {progress.rate:,.0f}/s"
        if total and progress.rate > 0:
            text += f" · ETA {_duration((total - progress.done) / progress.rate)}"
        self.progress.setFormat(text)
        self.progressed.emit(progress)

    def _finished(self, result: RunResult) -> None:
        if not shiboken6.isValid(self):
            return
        self._ended()
        self.result = result
        done = sum(result.outcomes.values())
        self.progress.setRange(0, max(done, 1))
        self.progress.setValue(max(done, 1) if done else 0)
        self.progress.setFormat(f"{done:,} profiles in {_duration(result.elapsed_s)}")
        outcomes = ", ".join(f"{k} {v:,}" for k, v in sorted(result.outcomes.items()))
        self.status.setText(f"Run {result.run_id} {result.state}: {result.rows_read:,} rows read "
                            f"(seed {result.seed}, preset {result.preset}); {outcomes or 'no profile'}"
                            + (" — test mode stopped at its limit" if result.cut else ""))
        self.runFinished.emit(result)
        self.runOpened.emit(result.path)
        self.refresh_runs(select=result.path)

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._ended()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("Not run")
        self.status.setText(_problem(exc))
        self.refresh_runs()  # a crashed run's trace is there, as interrupted

    def _ended(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            for signal in (proc.progressed, proc.finished, proc.failed):
                signal.disconnect()
            if self.control is not None:
                self.control.breaks.detach()
        self.run_button.setEnabled(True)
        self.replay_button.set_busy(False)
        self.stop_button.setEnabled(False)

    # -- breakpoints and export ----------------------------------------------------------------------
    def use_breakpoints(self, control: BreakpointsControl) -> None:
        """Runs pause at the view's breakpoints; the Paused list shows under the status line."""
        self.control = control
        self.paused = PausedPane(control, self)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.status) + 1, self.paused)
        # the bar's height changed: the run view refits it as when the details fold (detailsToggled)
        self.paused.shownChanged.connect(lambda _shown: self.detailsToggled.emit(self.details_button.isChecked()))

    def _shown(self, path: Path) -> None:
        self.shown_run = Path(path)
        self.export_button.setEnabled(True)

    def export(self, profile: str = "") -> None:
        """Export… the run shown: the choice in a dialog, the file written off the UI thread."""
        if self.shown_run is None:
            return
        dialog = ExportDialog(self.shown_run, [n.id for n in self.journey.action_nodes()], profile, self)
        if ask.show_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        self.status.setText("Exporting…")
        start_export(self.shown_run, dialog.choice(), self.status.setText, self)

    # -- past runs -------------------------------------------------------------------------------------
    def refresh_runs(self, select: Optional[Path] = None) -> None:
        name = self.journey.name
        run_in_background(lambda home: [r for r in list_runs(home) if r.journey_name == name],
                          self.services.workspace.home, on_done=lambda runs: self._runs_listed(runs, select),
                          owner=self)

    def _runs_listed(self, runs: list[RunInfo], select: Optional[Path]) -> None:
        self.past.clear()
        for info in runs:
            self.past.addItem(f"{info.started_at[:19].replace('T', ' ')} · {info.state} · {info.profiles:,} profiles"
                              f" · {info.preset}", str(info.path))
        if select is not None:
            self.past.setCurrentIndex(max(0, self.past.findData(str(select))))
        self.open_run.setEnabled(bool(runs))

    def _open_past(self) -> None:
        path = self.past.currentData()
        if path:
            self.runOpened.emit(Path(path))


def _preview_cells(row: ProfileRow) -> dict[str, str]:
    import json

    cells = {"profileId": row.profile_id}
    if row.audiences:
        cells["audiences"] = "|".join(row.audiences)
    for prefix, values in (("", row.attributes), ("event.", row.event)):
        for key, value in _flat(values):
            cells[prefix + key] = value if isinstance(value, str) else json.dumps(value, default=str)
    return cells


def _flat(data: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in data.items():
        if isinstance(value, dict) and value:
            out += _flat(value, f"{prefix}{key}.")
        else:
            out.append((f"{prefix}{key}", value))
    return out


def _preview_columns(rows: list[ProfileRow]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        for name in _preview_cells(row):
            if name not in columns:
                columns.append(name)
    return columns


def _problem(exc: BaseException) -> str:
    if isinstance(exc, PlanError):
        return "The run cannot start: " + "; ".join(refusal_problems(exc))
    if isinstance(exc, (ValueError, OSError, TraceError, RunError)):
        return str(exc)
    return f"The run failed: {type(exc).__name__}: {exc}"


def _duration(seconds: float) -> str:
    # A sandbox run of the sample takes well under a second: "0 s" read as if nothing had run.
    if seconds < 9.95:
        return f"{max(0.0, seconds):.1f} s"
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}" if whole >= 60 else f"{whole} s"
