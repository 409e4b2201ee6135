"""One profile's way through a run, from its trace: the steps as a timeline (virtual and wall time),
each step's mapped values, a condition's path and why (each operand's value), every call attempt
with its masked request and response and the target that answered (a badge per kind), Copy as
cURL and Re-send (the call engine, recorded in the history as source `journey`). Every read and
the re-send happen off the UI thread."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.calls import CallResult, send
from app.calls.history import history_of
from app.calls.record import RecordedRequest
from app.journeys.model import ActionNode, Journey
from app.journeys.runsetup import services_resolvers
from app.journeys.tracereader import TraceReader
from app.masking import MASK
from ui.journeys.replaymenu import ReplayAsk
from ui.sending.result_view import ResultView, monospace, pretty_body
from ui.workers import run_in_background

if TYPE_CHECKING:
    from app.services import Services

# The target that answered: (badge text, colour); white text reads on each, light or dark.
BADGES = {"sandbox": ("SANDBOX", "#1565c0"), "real": ("REAL", "#c62828"), "mock": ("MOCK", "#6a1b9a"),
          "dry": ("DRY", "#5d4037")}
AttemptRole = Qt.ItemDataRole.UserRole + 1


def badge_kind(target: str) -> str:
    """sandbox / real / mock / dry from a trace's target label (`env` is the real endpoint)."""
    kind = target.partition(":")[0]
    return "real" if kind == "env" else kind if kind in BADGES else "real"


def _read(path: Path, seq: int) -> tuple[Optional[dict[str, Any]], Journey]:
    with TraceReader(path) as reader:
        return reader.entry(seq), reader.journey()


def resend_attempt(services: Services, action_name: str, target: str, values: Optional[dict[str, Any]],
                   path: str = "") -> CallResult:
    """The call again, with the action as it is now, the step's mapped values and the dynamic path
    the run computed (resolved and checked as the run does: `send`'s path suffix), to the target
    that answered it (the sandbox or the environment), recorded as source `journey`."""
    action = services.workspace.load(action_name)
    resolvers = services_resolvers(services)
    resolver = resolvers.sandbox if badge_kind(target) == "sandbox" else resolvers.env
    return send(action, values or {}, engine=services.auth, resolver=resolver, path_suffix=path, source="journey",
                history=history_of(services))


def recorded_path(node: ActionNode, why: Optional[dict[str, Any]]) -> str:
    """The dynamic path a step called (its trace records it); ValueError when it cannot be sent again."""
    if node.dynamic_path is None:
        return ""
    path = (why or {}).get("dynamicPath")
    if not isinstance(path, str):
        raise ValueError(f"this trace does not hold the dynamic path node {node.id} called (a run of an older "
                         "version): run the journey again to re-send it")
    if MASK in path:
        raise ValueError(f"the dynamic path node {node.id} called held a secret (masked in the trace): "
                         "run the journey again to send it")
    return path


class TraceView(QWidget):
    resent = Signal(object)  # the CallResult of a Re-send
    entryShown = Signal(object)  # the profile entry now shown (its path and steps: the diagram highlights it)
    replayAsked = Signal(object)  # ReplayAsk: this profile of this run, replayed against the current journey

    def __init__(self, services: Services, parent: Optional[QWidget] = None, name: str = "journeyTrace") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.services = services
        self.entry: Optional[dict[str, Any]] = None
        self.journey: Optional[Journey] = None
        self._asked: Optional[tuple[Path, int]] = None
        self.header = QLabel("Select a profile to see its steps", self)
        self.header.setObjectName("journeyTraceHeader")
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.steps = QTreeWidget(self)
        self.steps.setObjectName("journeyTraceSteps")
        self.steps.setHeaderLabels(["Step", "Virtual time", "Wall time", "Result"])
        self.steps.setColumnWidth(0, 300)
        self.steps.setAlternatingRowColors(True)
        self.badge = QLabel(self)
        self.badge.setObjectName("journeyTargetBadge")
        self.badge.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)
        self.badge.hide()
        self.attempt_line = QLabel(self)
        self.attempt_line.setWordWrap(True)
        self.copy_curl = QPushButton("Copy as cURL", self)
        self.copy_curl.setObjectName("journeyCopyCurl")
        self.resend = QPushButton("Re-send", self)
        self.resend.setObjectName("journeyResend")
        self.replay_profile = QPushButton("Replay this profile", self)
        self.replay_profile.setObjectName("journeyReplayProfile")
        self.replay_profile.setToolTip("Run this profile's rows again against the journey as it is now, each call "
                                       "answered from this run's recording (offline; nothing is sent)")
        self.replay_profile.setEnabled(False)
        for button in (self.copy_curl, self.resend):
            button.setEnabled(False)
        self.detail = QPlainTextEdit(self)
        self.detail.setObjectName("journeyTraceDetail")
        self.detail.setReadOnly(True)
        self.detail.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        monospace(self.detail)
        self.result = ResultView(self)
        self.result.setObjectName("journeyResendResult")
        self.result.hide()
        self._layout()
        if name != "journeyTrace":  # another trace beside the run's (a comparison): names of its own
            for widget in self.findChildren(QWidget):
                if widget.objectName().startswith("journey"):
                    widget.setObjectName(name + widget.objectName().removeprefix("journey"))
        self.steps.currentItemChanged.connect(self._current)
        self.copy_curl.clicked.connect(self.on_copy_curl)
        self.resend.clicked.connect(self.on_resend)
        self.replay_profile.clicked.connect(self.on_replay_profile)

    def _layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.badge)
        bar.addWidget(self.attempt_line, 1)
        bar.addWidget(self.copy_curl)
        bar.addWidget(self.resend)
        lower = QWidget(self)
        box = QVBoxLayout(lower)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(bar)
        box.addWidget(self.detail, 1)
        box.addWidget(self.result, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.steps)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.replay_profile, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    # -- loading ---------------------------------------------------------------------------------
    def show_entry(self, path: Path, seq: int) -> None:
        """Show a profile entry (a table row) of a run; read off the UI thread."""
        self._asked = (Path(path), seq)
        self.header.setText("Reading the trace…")
        run_in_background(_read, Path(path), seq, on_done=lambda r: self._loaded((Path(path), seq), r),
                          on_error=lambda exc: self._unreadable((Path(path), seq), exc), owner=self)

    def _loaded(self, asked: tuple[Path, int], result: tuple[Optional[dict[str, Any]], Journey]) -> None:
        if asked != self._asked:
            return  # another profile was selected since
        self.entry, self.journey = result
        self._fill()

    def _unreadable(self, asked: tuple[Path, int], exc: BaseException) -> None:
        if asked == self._asked:
            self.entry = None
            self.steps.clear()
            self.header.setText(f"Cannot read this profile's trace: {exc}")

    def show_paused(self, entry: dict[str, Any], journey: Journey) -> None:
        """A profile paused at a breakpoint: its steps so far (app.journeys.breakpoints.paused_entry)."""
        self._asked, self.entry, self.journey = None, entry, journey
        self._fill()

    def clear(self) -> None:
        self._asked, self.entry = None, None
        self.replay_profile.setEnabled(False)
        self.steps.clear()
        self.header.setText("Select a profile to see its steps")
        self._current(None, None)

    # -- the timeline ----------------------------------------------------------------------------
    def _fill(self) -> None:
        self.steps.clear()
        self._current(None, None)
        entry = self.entry
        # A stored run's profile (not one paused mid-run) with an id can be replayed on its own.
        self.replay_profile.setEnabled(entry is not None and self._asked is not None and bool(entry["profileId"]))
        if entry is None:
            self.header.setText("This profile is not in the run")
            return
        who = entry["profileId"] or f"row {entry['row']}"
        text = f"<b>{who}</b> (row {entry['row']}): {entry['outcome']}"
        if entry.get("code"):
            text += f" ({entry['code']})"
        if entry["path"]:
            text += " — " + " → ".join(entry["path"])
        if entry.get("error"):
            text += f"<br>{_escape(entry['error'])}"
        self.header.setText(text)
        start = next((s["wallAt"] for s in entry["steps"] if s["wallAt"] is not None), None)
        for step in entry["steps"]:
            self.steps.addTopLevelItem(self._step_item(step, start))
        self.steps.expandAll()
        first = self.steps.topLevelItem(0)
        if first is not None:
            self.steps.setCurrentItem(first)
        self.entryShown.emit(entry)

    def _step_item(self, step: dict[str, Any], start: Optional[float]) -> QTreeWidgetItem:
        node = self.journey.node(step["node"]) if self.journey else None
        title = step["node"]
        if node is not None:
            title = f"{node.label} ({step['node']}, {node.type})" if node.label else f"{step['node']} ({node.type})"
        wall = "" if step["wallAt"] is None or start is None else f"+{(step['wallAt'] - start) * 1000:.1f} ms"
        if step["wallMs"]:
            wall += f" ({step['wallMs']:.1f} ms)"
        result = step["outcome"] or ""
        if step["port"]:
            result = (result + " · " if result else "") + f"{step['port']} → {step['next'] or 'end'}"
        if step["error"]:
            result = (result + " · " if result else "") + step["error"]
        item = QTreeWidgetItem([title, _time(step["virtualAt"]), wall, result])
        item.setToolTip(3, result)
        if step["values"]:
            values = QTreeWidgetItem(item, ["Mapped values"])
            for key, value in step["values"].items():
                QTreeWidgetItem(values, [key, "", "", _json(value)]).setToolTip(3, _json(value))
        if step["why"]:
            self._why_items(item, step["why"])
        for attempt in step["attempts"]:
            kind = badge_kind(attempt["target"])
            status = attempt["status"] if attempt["status"] is not None else attempt["error"] or ""
            outcome = f"{attempt['outcome'] or ''} {status}".strip()
            child = QTreeWidgetItem(item, [f"Attempt {attempt['number']} [{BADGES[kind][0]}]", "",
                                           f"{attempt['networkMs']:.1f} ms", outcome])
            child.setData(0, AttemptRole, {**attempt, "node": step["node"], "values": step["values"],
                                           "why": step["why"]})
            child.setForeground(0, QBrush(QColor(BADGES[kind][1]).lighter(150) if _dark() else QColor(BADGES[kind][1])))
        return item

    def _why_items(self, parent: QTreeWidgetItem, why: dict[str, Any]) -> None:
        if why.keys() <= {"dynamicPath", "queue"}:  # an action step: the path it called, its place in the queue
            if "dynamicPath" in why:
                QTreeWidgetItem(parent, ["Dynamic path", "", "", str(why["dynamicPath"])])
            if "queue" in why:
                queue = why["queue"]
                place = f"arrived #{queue.get('arrived', '?')}, released #{queue.get('released', '?')}"
                QTreeWidgetItem(parent, ["Throttling queue", "", "", place])
            return
        box = QTreeWidgetItem(parent, ["Why", "", "", f"took {why.get('taken', '?')}"])
        for path in why.get("paths", []):
            line = QTreeWidgetItem(box, [path.get("label") or "path", "", "",
                                         f"{path.get('expression', '')} → {_json(path.get('result'))}"])
            for comparison in path.get("comparisons", []):
                operands = ", ".join(f"{o['text']} = {_json(o.get('value'))} ({o.get('type', '?')})"
                                     for o in comparison.get("operands", []))
                QTreeWidgetItem(line, [comparison.get("text", ""), "", "",
                                       f"{_json(comparison.get('result'))}: {operands}"]).setToolTip(3, operands)
        for key, value in why.items():
            if key not in ("taken", "paths"):
                QTreeWidgetItem(box, [key, "", "", _json(value)])

    # -- the selected attempt ------------------------------------------------------------------------
    def current_attempt(self) -> Optional[dict[str, Any]]:
        item = self.steps.currentItem()
        return item.data(0, AttemptRole) if item is not None else None

    def _current(self, item: Optional[QTreeWidgetItem], _previous: Optional[QTreeWidgetItem]) -> None:
        attempt = item.data(0, AttemptRole) if item is not None else None
        self.result.hide()
        self.detail.show()
        if attempt is None:
            self.badge.hide()
            self.attempt_line.setText("Select an attempt to see its request and response" if self.entry else "")
            self.detail.setPlainText("")
            self.copy_curl.setEnabled(False)
            self.resend.setEnabled(False)
            return
        kind = badge_kind(attempt["target"])
        text, colour = BADGES[kind]
        self.badge.setText(text)
        self.badge.setToolTip(f"answered by: {attempt['target']}")
        self.badge.setStyleSheet(f"QLabel {{ background: {colour}; color: white; border-radius: 3px;"
                                 " padding: 1px 6px; font-weight: bold; }")
        self.badge.show()
        timing = f"queue {attempt['queueMs']:.1f} ms, network {attempt['networkMs']:.1f} ms"
        self.attempt_line.setText(f"{attempt['node']}: attempt {attempt['number']}, "
                                  f"{attempt['outcome'] or attempt['error'] or ''} ({timing})")
        self.detail.setPlainText(_exchange_text(attempt))
        self.copy_curl.setEnabled(True)
        sendable = kind in ("sandbox", "real") and self.services is not None
        self.resend.setEnabled(sendable)
        self.resend.setToolTip("Send this call again with the action as it is now" if sendable
                               else "A dry or mock call was never sent; nothing to re-send")

    def on_copy_curl(self) -> None:
        attempt = self.current_attempt()
        if attempt is not None:
            QGuiApplication.clipboard().setText(_recorded(attempt).to_curl())

    def on_replay_profile(self) -> None:
        if self._asked is not None and self.entry is not None and self.entry["profileId"]:
            self.replayAsked.emit(ReplayAsk(self._asked[0], False, str(self.entry["profileId"])))

    def on_resend(self) -> None:
        attempt = self.current_attempt()
        node = self.journey.node(attempt["node"]) if attempt is not None and self.journey else None
        if attempt is None or not isinstance(node, ActionNode):
            return
        try:
            path = recorded_path(node, attempt.get("why"))
        except ValueError as exc:
            self.attempt_line.setText(f"Not re-sent: {exc}")
            return
        self.resend.setEnabled(False)
        self.attempt_line.setText(f"Re-sending {node.action}…")
        run_in_background(resend_attempt, self.services, node.action, attempt["target"], attempt["values"], path,
                          on_done=self._resent, on_error=self._not_resent, owner=self)

    def _resent(self, result: CallResult) -> None:
        if not shiboken6.isValid(self):
            return
        self.resend.setEnabled(True)
        self.attempt_line.setText(f"Re-sent: {result.summary()} (in the history as source journey)")
        self.detail.hide()
        self.result.show_result(result)
        self.result.show()
        self.resent.emit(result)

    def _not_resent(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self.resend.setEnabled(True)
            self.attempt_line.setText(f"Not re-sent: {exc}")


def _recorded(attempt: dict[str, Any]) -> RecordedRequest:
    request = attempt["request"]
    return RecordedRequest(request["method"] or "POST", request["url"] or "",
                           [tuple(h) for h in request["headers"]], request["body"])


def _exchange_text(attempt: dict[str, Any]) -> str:
    request, response = attempt["request"], attempt["response"]
    lines = [f"{request['method']} {request['url']}"]
    lines += [f"{k}: {v}" for k, v in request["headers"]]
    if request["body"] is not None:
        lines += ["", pretty_body(request["body"])]
    if request.get("note"):
        lines.append(f"({request['note']})")
    lines += ["", "-" * 40, ""]
    if response is None:
        lines.append(f"No response: {attempt['error'] or 'not sent (' + attempt['target'] + ')'}")
    else:
        lines.append(f"HTTP {response['status']}")
        lines += [f"{k}: {v}" for k, v in response["headers"]]
        if response["body"]:
            lines += ["", pretty_body(response["body"])]
        if response.get("note"):
            lines.append(f"({response['note']})")
    return "\n".join(lines)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _time(iso: Optional[str]) -> str:
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
    except ValueError:
        return iso


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _dark() -> bool:
    from PySide6.QtGui import QPalette

    return QGuiApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128
